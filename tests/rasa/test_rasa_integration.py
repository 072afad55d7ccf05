"""A real Rasa 3.6 server and action server, trained on mitra's export, with mitra's component and actions."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from core.db.models import Application
from tests.rasa.conftest import SERVICE_TOKEN

# Training Rasa on a catalog it has not seen takes longer than the suite's 900 s hang guard on 2 cores.
pytestmark = [pytest.mark.rasa, pytest.mark.slow, pytest.mark.timeout(3000)]


@pytest.fixture(scope="module")
def rasa(rasa_venv, exported, mitra_api):
    from bot import rasa_runtime

    model = rasa_runtime.train(exported.directory, exported.digest)  # validated while it trains, when not cached
    with rasa_runtime.serve(exported.directory, model, mitra_api.url, SERVICE_TOKEN) as servers:
        yield servers


def say(rasa, sender: str, text: str) -> list[dict]:
    response = httpx.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def texts(answers: list[dict]) -> str:
    return "\n".join(a.get("text", "") for a in answers)


CASTE_ANSWERS = {"applicant_name": "Ravi Kumar", "aadhaar": "2345 6789 0124", "district": "Guntur",
                 "mandal": "Tenali", "mobile": "9876543210"}


def caste_answer(spec) -> str:
    return CASTE_ANSWERS.get(spec.name) or spec.choices[0].value


def test_parse_uses_mitra_routing_in_telugu(rasa):
    parsed = httpx.post(f"{rasa.url}/model/parse", json={"text": "నాకు కుల ధృవీకరణ పత్రం కావాలి"}, timeout=60).json()
    assert parsed["intent"]["name"] == "revenue.caste_certificate"
    assert parsed["intent_ranking"][0]["name"] == "revenue.caste_certificate"
    assert {"entity": "language", "value": "te"}.items() <= parsed["entities"][-1].items()


def test_full_application_then_status(rasa, mitra_api, catalog):
    sender = "919800011122"
    service = catalog.services["revenue.caste_certificate"]
    first = say(rasa, sender, "I need a caste certificate")
    assert service.fields[0].prompt.en in texts(first)
    reply = first
    bad_aadhaar_seen = False
    for spec in service.fields:
        if spec.name == "aadhaar" and not bad_aadhaar_seen:  # mitra's check refuses, the form asks again
            refused = say(rasa, sender, "1234")
            assert "Aadhaar" in texts(refused) and spec.prompt.en in texts(refused)
            bad_aadhaar_seen = True
        reply = say(rasa, sender, caste_answer(spec))
    summary = texts(reply)
    assert "Ravi Kumar" in summary and "0124" in summary and "2345 6789 0124" not in summary
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["/affirm", "/deny"]

    submitted = texts(say(rasa, sender, "/affirm"))
    with mitra_api.services.session_factory() as session:
        application = session.scalar(select(Application).where(Application.service_id == service.id))
    assert application is not None and application.reference in submitted
    assert application.fields["aadhaar"].endswith("0124") and "2345" not in application.fields["aadhaar"]

    status = texts(say(rasa, sender, f"status of {application.reference}"))
    assert application.reference in status and "submitted" in status


def test_telugu_conversation_gets_telugu_questions_and_cancel(rasa, catalog):
    sender = "919800011133"
    service = catalog.services["revenue.caste_certificate"]
    first = texts(say(rasa, sender, "నాకు కుల ధృవీకరణ పత్రం కావాలి"))
    assert service.fields[0].prompt.te in first
    cancelled = texts(say(rasa, sender, "రద్దు"))
    assert "రద్దు" in cancelled
    # the form is over: the next message is routed afresh
    assert "Namaskaram" in texts(say(rasa, sender, "hello"))


def test_status_by_the_departments_own_number(rasa, catalog):
    """A status service asked by the department's own number (no mitra reference): the status action looks it up
    at the department through mitra, as mitra's own dialogue does."""
    from catalog.formats import get_format

    service = catalog.services["cmrf.application_status"]
    number = get_format(service.fields[0].format).example  # the simulated department knows its example
    asked = texts(say(rasa, "919800011166", "what is the status of my CM relief fund application"))
    assert service.fields[0].prompt.en in asked
    answered = texts(say(rasa, "919800011166", number))
    assert service.name.en in answered and number in answered and "Status:" in answered


def test_unknown_reference_is_answered_politely(rasa):
    answer = texts(say(rasa, "919800011144", "status of AP-REV-2026-999999"))
    assert "AP-REV-2026-999999" in answer


def test_rest_channel_answers_become_mitra_replies(rasa, mitra_api, catalog):
    """RasaDialogue (MITRA_DIALOGUE_ENGINE=rasa) against the real Rasa: a voice transcript opens the form, the
    questions come back as text, the summary's buttons as WhatsApp buttons, and a tap sends the button's payload."""
    from bot.rasa_dialogue import RasaDialogue
    from bot.replies import IncomingMessage
    from voice.transcript import Transcript

    citizen, service = "919800011155", catalog.services["revenue.caste_certificate"]
    heard = Transcript(text="naaku caste certificate kavali", language="te", language_probs={"te": 0.8, "en": 0.2},
                       confidence=0.9, segments=[], duration_s=2.0, processing_s=0.5, engine="test", model="none")
    bot = RasaDialogue(rasa.url)
    try:
        replies = bot.handle(IncomingMessage(citizen, "wamid.r0", transcript=heard))
        asked = "\n".join(r.text for r in replies)
        assert replies[0].kind == "text", replies
        assert service.fields[0].prompt.en in asked or service.fields[0].prompt.te in asked, asked
        for n, spec in enumerate(service.fields, start=1):
            replies = bot.handle(IncomingMessage(citizen, f"wamid.r{n}", text=caste_answer(spec)))
        summary = replies[-1]
        assert summary.kind == "buttons" and [b.id for b in summary.buttons] == ["/affirm", "/deny"], replies
        assert "Ravi Kumar" in summary.text and "2345 6789 0124" not in summary.text
        tapped = summary.buttons[0]
        done = bot.handle(IncomingMessage(citizen, "wamid.tap", text=tapped.title, choice_id=tapped.id))
        with mitra_api.services.session_factory() as session:
            references = set(session.scalars(select(Application.reference)))
        assert any(reference in done[0].text for reference in references), done
        cancel = bot.handle(IncomingMessage(citizen, "wamid.cancel", text="cancel"))
        assert cancel and all(r.kind == "text" and r.text.strip() for r in cancel)
    finally:
        bot.close()

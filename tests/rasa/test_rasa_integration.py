"""A real Rasa 3.6 server and action server, trained on mitra's export, with mitra's component and actions."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from tests.rasa.conftest import SERVICE_TOKEN

pytestmark = [pytest.mark.rasa, pytest.mark.slow]


@pytest.fixture(scope="module")
def rasa(rasa_venv, exported, mitra_api):
    from bot import rasa_runtime

    model = rasa_runtime.train(exported.directory, exported.digest)  # validates first when not cached
    with rasa_runtime.serve(exported.directory, model, mitra_api.url, SERVICE_TOKEN) as servers:
        yield servers


def say(rasa, sender: str, text: str) -> list[dict]:
    response = httpx.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def texts(answers: list[dict]) -> str:
    return "\n".join(a.get("text", "") for a in answers)


def test_parse_uses_mitra_routing_in_telugu(rasa):
    parsed = httpx.post(f"{rasa.url}/model/parse", json={"text": "నాకు కుల ధృవీకరణ పత్రం కావాలి"}, timeout=60).json()
    assert parsed["intent"]["name"] == "revenue.caste_certificate"
    assert parsed["intent_ranking"][0]["name"] == "revenue.caste_certificate"
    assert {"entity": "language", "value": "te"}.items() <= parsed["entities"][-1].items()


def test_full_application_then_status(rasa, mitra_api, catalog):
    from core.db.models import Application

    sender = "919800011122"
    service = catalog.services["revenue.caste_certificate"]
    first = say(rasa, sender, "I need a caste certificate")
    assert service.fields[0].prompt.en in texts(first)
    answers = {"applicant_name": "Ravi Kumar", "aadhaar": "2345 6789 0124", "district": "Guntur",
               "mandal": "Tenali", "mobile": "9876543210"}
    reply = first
    bad_aadhaar_seen = False
    for spec in service.fields:
        if spec.name == "aadhaar" and not bad_aadhaar_seen:  # mitra's check refuses, the form asks again
            refused = say(rasa, sender, "1234")
            assert "Aadhaar" in texts(refused) and spec.prompt.en in texts(refused)
            bad_aadhaar_seen = True
        value = answers.get(spec.name) or spec.choices[0].value
        reply = say(rasa, sender, value)
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


def test_unknown_reference_is_answered_politely(rasa):
    answer = texts(say(rasa, "919800011144", "status of AP-REV-2026-999999"))
    assert "AP-REV-2026-999999" in answer


def test_dialogue_hand_over_client_relays_rasa_replies(rasa):
    from bot.rasa_dialogue import RasaDialogue
    from bot.replies import IncomingMessage

    bot = RasaDialogue(rasa.url)
    try:
        replies = bot.handle(IncomingMessage(citizen_id="919800011155", message_id="wamid.1",
                                             text="naaku caste certificate kavali"))
        assert replies and replies[0].kind == "text" and replies[0].text.strip()
        cancel = bot.handle(IncomingMessage(citizen_id="919800011155", message_id="wamid.2", text="cancel"))
        assert "Cancelled" in cancel[0].text or "రద్దు" in cancel[0].text
    finally:
        bot.close()

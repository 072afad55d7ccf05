"""Whole conversations through the signed webhook, the inbox worker, the real bot and the fake Graph server.

English, Telugu script and romanized Telugu: greeting, a free-text request, confirmation, every field of
the workflow with one invalid answer, submission, status lookup, the certificate PDF and its verify page;
plus menu digits, language switch, cancel, hand-off, out-of-scope and replayed webhooks.
"""
from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from core.db import Application, utcnow
from tests.api.whatsapp_citizen import WhatsAppCitizen, texts
from tests.fakes.http_server import ThreadedServer
from tests.utils.chat import REFERENCE, TELUGU, answer_until_summary, answers_for

pytestmark = pytest.mark.slow

SERVICE = "revenue.caste_certificate"
JOURNEYS = {
    "en": {"hi": "Hi", "request": "I need a caste certificate for my son's college admission", "sorry": "Sorry",
           "yes": "yes"},
    "te": {"hi": "నమస్కారం", "request": "నాకు కుల ధృవీకరణ పత్రం కావాలి", "sorry": "క్షమించండి", "yes": "అవును"},
    "te-latn": {"hi": "namaskaram", "request": "naaku kula dhruvikarana patram kaavali", "sorry": "క్షమించండి",
                "yes": "avunu"},
}


@pytest.fixture
def app_url(services_factory, api_router):
    services = services_factory(_router=api_router)
    with ThreadedServer(create_app(services.settings, services=services)) as server:
        server.services = services
        yield server


@pytest.fixture
def citizen(app_url, graph, session_factory):
    return WhatsAppCitizen(app_url.url, graph, session_factory)


def fill_every_field(citizen, service, catalog, lang: str, replies) -> list:
    """Answer each question once wrongly (it must be re-asked with a reason), then rightly, until the summary."""
    refused = set()

    def refuse_once(spec) -> None:
        if spec.name in refused:
            return
        refused.add(spec.name)
        again = citizen.say(answers_for(spec, catalog, utcnow().date(), lang)[1])
        assert again[0].text.startswith(JOURNEYS[lang]["sorry"]), (spec.name, again[0].text)
        assert spec.prompt.get(lang) in texts(again)

    return answer_until_summary(citizen.say, service, catalog, utcnow().date(), replies, shown=texts,
                                at_summary=lambda r: bool(r[-1].choice_ids) and r[-1].choice_ids[0] == "submit",
                                language=lang, before_answering=refuse_once)


@pytest.mark.parametrize("lang", list(JOURNEYS))
def test_request_to_verified_certificate(lang, citizen, app_url, catalog, graph, session_factory, settings):
    words, service = JOURNEYS[lang], catalog.services[SERVICE]

    welcome = citizen.say(words["hi"])
    assert welcome[0].kind == "button" and set(welcome[0].choice_ids) == {"menu", "lang:en", "lang:te"}
    # Telugu words tell the language; an English "Hi" does not, so it gets Telugu then English
    assert TELUGU.search(welcome[0].text)
    assert ("voice note" in welcome[0].text) == (lang == "en")

    confirm = citizen.say(words["request"])
    assert confirm[-1].choice_ids == ["yes", "no", "menu"], texts(confirm)
    assert service.name.get(lang) in confirm[-1].text

    summary = fill_every_field(citizen, service, catalog, lang, citizen.say(words["yes"]))
    assert "234567890124" not in texts(summary)  # Aadhaar is shown masked
    done = citizen.say(words["yes"])
    reference = REFERENCE.search(texts(done)).group()
    assert reference.startswith("AP-REV-") and f"{service.fee:g}" in texts(done)

    citizen.replay()  # Meta redelivers the confirmation: no second application
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1

    status = citizen.say(f"status of {reference}")
    assert reference in texts(status)
    citizen.say(f"pay {reference}")  # the fee, later, by its reference: the office starts once it is paid
    link = re.search(r"/pay/\S+", texts(citizen.tap("pay"))).group(0)
    assert httpx.post(f"{app_url.url}{link}", data={"action": "pay"}, timeout=30).status_code == 200

    from applications.connectors import EmbeddedConnector

    EmbeddedConnector.for_catalog(session_factory, catalog, settings).advance(utcnow() + timedelta(days=60))
    issued = citizen.say(f"status of {reference}")
    document = next(s for s in issued if s.kind == "document" and  # not the fee's receipt, sent meanwhile
                    s.payload["document"]["filename"] == f"{reference}.pdf")
    assert graph.uploads[document.payload["document"]["id"]].content.startswith(b"%PDF")

    token = document.text.split("/verify/")[1].split()[0]
    page = httpx.get(f"{app_url.url}/verify/{token}")
    assert page.status_code == 200 and "VALID" in page.text and "Ravi Kumar" in page.text
    forged = httpx.get(f"{app_url.url}/verify/{token[:-2]}xx")
    assert forged.status_code == 400 and "INVALID" in forged.text and "Ravi Kumar" not in forged.text


def test_menu_digits_language_switch_cancel_and_hand_off(citizen, catalog):
    service = catalog.services[SERVICE]
    departments = citizen.say("menu")
    assert departments[0].kind == "list"
    citizen.say(str(service.menu_path[0]))
    first_question = citizen.say(str(service.menu_path[1]))
    assert service.fields[0].prompt.en in texts(first_question)
    assert "Cancelled" in texts(citizen.say("cancel"))

    chooser = citizen.say("language")
    assert set(chooser[0].choice_ids) == {"lang:en", "lang:te"}
    assert TELUGU.search(texts(citizen.tap("lang:te", "తెలుగు")))
    assert TELUGU.search(texts(citizen.say("help")))
    citizen.tap("lang:en", "English")

    assert "help desk" in texts(citizen.say("agent"))
    assert "will answer you here" in texts(citizen.say("I need a caste certificate"))
    assert citizen.say("menu")[0].kind == "list"


def test_out_of_scope_and_unsupported(citizen):
    answer = citizen.say("who won the cricket match yesterday")
    assert "can't help with that" in texts(answer) and "yes" not in answer[-1].choice_ids
    from tests.utils.webhooks import message_webhook

    sticker = citizen._exchange(message_webhook(citizen.wa_id, {"id": "wamid.STICKER", "type": "sticker",
                                                                "sticker": {"id": "S1"}}), "wamid.STICKER")
    assert "sticker" in texts(sticker)

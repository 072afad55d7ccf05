"""Free text and voice notes through the real router: confirm, pre-fill, clarify, out of scope, "Did you say".

Expectations come from the catalog (a service's own examples), not from a fixed list of answers."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.dialogue import Conversation as DialogueState_
from bot.state import DialogueState
from catalog.schema import FieldType
from core.db import Message
from tests.bot.conftest import VALID_AADHAAR, Chat, all_text
from voice.transcript import Transcript

TELUGU = re.compile(r"[\u0C00-\u0C7F]")


def routed_example(router, catalog, lang: str, with_fields=(FieldType.aadhaar, FieldType.district)):
    """A catalog example in `lang` that the router sends straight to its own service."""
    for service in sorted(catalog.services.values(), key=lambda s: s.menu_path):
        if not all(any(f.type == t for f in service.fields) for t in with_fields):
            continue
        for example in service.examples:
            if example.lang != lang:
                continue
            result = router.route(example.text)
            if result.decision == "route" and result.service_id == service.id:
                return service, example.text
    pytest.skip(f"no {lang} example routes straight to its service")


@pytest.mark.parametrize("lang", ["en", "te", "te-latn"])
def test_free_text_confirms_the_service_in_the_citizens_language(make_bot, router, catalog, sessions, lang):
    service, text = routed_example(router, catalog, lang)
    chat = Chat(make_bot(router))
    confirm = chat.say(text)[0]
    assert confirm.kind == "buttons" and [b.id for b in confirm.buttons] == ["yes", "no", "menu"]
    assert (service.name.te if lang != "en" else service.name.en) in confirm.text
    assert bool(TELUGU.search(confirm.text)) == (lang != "en")
    if lang == "te-latn":
        assert service.name.en in confirm.text  # romanized writers also get the English text
    started = chat.say(choice="yes")
    assert service.fields[0].prompt.get(lang) in all_text(started)
    with sessions() as s:
        stored = s.scalars(select(Message).where(Message.direction == "in")).first()
        assert stored.route["service_id"] == service.id and stored.model_version == router.version


def test_first_message_details_are_prefilled_and_not_asked_again(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    district = catalog.gazetteer.districts[0].name.en
    chat = Chat(make_bot(router))
    chat.say(f"{text}, my aadhaar is {VALID_AADHAAR[:4]} {VALID_AADHAAR[4:8]} {VALID_AADHAAR[8:]} "
             f"and I live in {district} district")
    started = all_text(chat.say("yes"))
    assert "From your message I noted" in started and "XXXX XXXX 0124" in started and district in started
    aadhaar_prompt = next(f for f in service.fields if f.type == FieldType.aadhaar).prompt.en
    assert aadhaar_prompt not in started


def test_no_asks_to_rephrase_and_out_of_scope_is_polite(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    chat = Chat(make_bot(router))
    chat.say(text)
    assert "other words" in chat.say(choice="no")[0].text
    answer = chat.say("who won the football world cup in 1998")[0]
    assert "can't help with that" in answer.text and {b.id for b in answer.buttons} == {"menu", "agent"}


def test_close_alternatives_come_as_a_list_of_at_most_ten(make_bot, router, catalog):
    bot = make_bot(router)
    routed = router.route("certificate")
    routed = replace(routed, decision="clarify")
    convo = DialogueState_(citizen_db_id=1, state=DialogueState(), language="en", chosen_language=None)
    bot.dialogue._act_on_route(convo, routed)
    reply = convo.replies[0]
    services = [r for r in reply.rows if r.id.startswith("svc:")]
    assert reply.kind == "list" and len(reply.rows) <= 10 and len(services) >= 2
    assert all(r.id[4:] in catalog.services for r in services)
    assert reply.rows[-1].id == "none"


def test_unsure_voice_note_asks_did_you_say(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    heard = Transcript(text=text, language="en", language_probs={"en": 0.9, "te": 0.1}, confidence=0.3,
                       segments=[], duration_s=3.0, processing_s=0.5, engine="test", model="none")
    chat = Chat(make_bot(router))
    asked = chat.say(transcript=heard)[0]
    assert asked.text.startswith("Did you say") and text in asked.text
    confirm = chat.say(choice="yes")[0]
    assert service.name.en in confirm.text and confirm.buttons[0].id == "yes"
    chat.say(transcript=heard)
    assert "type" in chat.say(choice="no")[0].text
    sure = replace(heard, confidence=0.95)
    assert service.name.en in chat.say(transcript=sure)[0].text

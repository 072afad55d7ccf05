"""A citizen filling in a service's form, as every conversation test does: valid and invalid answers for any
field of the catalog, and the loops that give them (`fill_fields`, `answer_until_summary`).

`say` is whatever sends one message and returns what came back: `Chat.say` for the bot in-process,
`WhatsAppCitizen.say` over the webhook.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from bot.replies import IncomingMessage, Reply
from catalog.formats import get_format
from catalog.schema import FieldType, ServiceField

REFERENCE = re.compile(r"AP-[A-Z]{2,5}-\d{4}-\d{6}")  # a mitra application reference
TELUGU = re.compile(r"[\u0C00-\u0C7F]")
VALID_AADHAAR = "234567890124"  # Verhoeff check digit 4
VALID_MOBILE = "9848012345"

_ids = itertools.count(1)


@dataclass
class Chat:
    """One citizen talking to a bot; every message gets a fresh WhatsApp-like id."""

    bot: object  # bot.engine.Bot or anything with its handle()
    citizen: str = "919800000001"
    sent: list[str] = field(default_factory=list)
    channel: str = "whatsapp"

    def say(self, text: str | None = None, choice: str | None = None, message_id: str | None = None,
            **extra) -> list[Reply]:
        message_id = message_id or f"wamid.test{next(_ids)}"
        self.sent.append(message_id)
        return self.bot.handle(IncomingMessage(self.citizen, message_id, self.channel, text=text, choice_id=choice,
                                               **extra))


def all_text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def answers_for(spec: ServiceField, catalog, today: date, language: str = "en") -> tuple[str, str]:
    """(a valid answer, an invalid one) for any field of the catalog; choices and places in the citizen's words."""
    telugu = language == "te"
    gaz = catalog.gazetteer
    if spec.type == FieldType.date:
        past, future = today - timedelta(days=9000), today + timedelta(days=10)
        good = {"past": past, "future": future, "any": past}[spec.date_range]
        bad = {"past": future.strftime("%d-%m-%Y"), "future": past.strftime("%d-%m-%Y"),
               "any": "no date here"}[spec.date_range]
        return good.strftime("%d-%m-%Y"), bad
    if spec.type in (FieldType.number, FieldType.amount):
        low = spec.min if spec.min is not None else 1
        good = f"{low:g}"
        bad = "lots" if spec.max is None else f"{spec.max + 1:g}"
        return good, bad
    if spec.type == FieldType.identifier:  # the format's own example, and words that are no number
        return get_format(spec.format).example, "hello there"
    places = {FieldType.district: gaz.districts, FieldType.town: gaz.towns, FieldType.temple: gaz.temples}
    if spec.type in places:
        name = places[spec.type][0].name
        return (name.te if telugu else name.en), "Atlantis Nowhere"
    return {
        FieldType.text: ("Water pipe broken near the school", "x"),
        FieldType.name: ("Ravi Kumar", "12345"),
        FieldType.aadhaar: ("2345 6789 0124", "2345 6789 0123"),
        FieldType.mobile: (VALID_MOBILE, "12345"),
        FieldType.mandal: ("Tenali", "7"),
        FieldType.village: ("Kollipara", "7"),
        FieldType.choice: ((spec.choices[-1].label.te if telugu else spec.choices[-1].label.en) if spec.choices
                           else "", "99"),  # no option 99; words would be kept as "Other"
        FieldType.reference: ("AP-REV-2026-000001", "hello there"),
        FieldType.survey_number: ("123/4A", "survey?"),
    }[spec.type]




def fill_fields(say: Callable[[str], list], fields, catalog, today: date, language: str = "en") -> list:
    """Answer each of `fields` rightly, in order; the replies to the last answer."""
    replies = []
    for spec in fields:
        replies = say(answers_for(spec, catalog, today, language)[0])
    return replies


def answer_until_summary(say: Callable[[str], list], service, catalog, today: date, replies: list, *,
                         shown: Callable[[list], str], at_summary: Callable[[list], bool], language: str = "en",
                         before_answering: Callable[[ServiceField], None] | None = None) -> list:
    """Answer whichever question the bot asked last until it shows the summary; the summary's replies.

    `before_answering(spec)` runs before each answer (a test refusing each field once uses it)."""
    for _ in range(3 * len(service.fields) + 2):
        if at_summary(replies):
            return replies
        text = shown(replies)
        asked = [f for f in service.fields if f.prompt.get(language) in text]
        assert asked, f"no field prompt in {text!r}"
        if before_answering is not None:
            before_answering(asked[-1])
        replies = say(answers_for(asked[-1], catalog, today, language)[0])
    raise AssertionError(f"never reached the summary; last: {shown(replies)!r}")


def open_by_menu(chat: Chat, service, language: str = "en") -> list:
    """Menu digits say nothing about a language, so the citizen picks one first (else replies are bilingual)."""
    chat.say(choice=f"lang:{language}")
    chat.say("menu")
    chat.say(str(service.menu_path[0]))
    return chat.say(str(service.menu_path[1]))


def first_service(catalog, outcome: str, with_type: FieldType | None = None, min_fields: int = 3):
    for service in sorted(catalog.services.values(), key=lambda s: s.menu_path):
        if service.outcome.value == outcome and len(service.fields) >= min_fields and \
                (with_type is None or any(f.type == with_type for f in service.fields)):
            return service
    pytest.skip(f"catalog has no {outcome} service with a {with_type} field")


def pay_fee(chat: Chat) -> None:
    """Just after an application with a fee: *Pay*, and the simulated gateway's page paid."""
    link = re.search(r"/pay/(\S+)", chat.say(choice="pay")[-1].text).group(1)
    assert chat.bot.ledger.simulate(link, "pay").outcome == "recorded"

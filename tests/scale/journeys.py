"""A whole application, as a script a citizen can send blind: worked out once against an in-process bot,
then replayed through the deployed service, whose answers must be the same, in the same order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.replies import IncomingMessage, Reply
from catalog.schema import FieldType
from core.db import utcnow
from tests.api.whatsapp_citizen import Sent
from tests.utils.chat import REFERENCE
from tests.utils.webhooks import message_webhook, text_webhook
from whatsapp.payloads import reply_payloads

SERVICE = "revenue.caste_certificate"


@dataclass
class Step:
    text: str | None = None
    choice: str | None = None

    def webhook(self, wa_id: str, message_id: str) -> dict:
        if self.choice is None:
            return text_webhook(wa_id, message_id, self.text)
        return message_webhook(wa_id, {"id": message_id, "type": "interactive", "interactive": {
            "type": "button_reply", "button_reply": {"id": self.choice, "title": self.choice}}})


@dataclass
class Script:
    steps: list[Step] = field(default_factory=list)
    expected: list[list[str]] = field(default_factory=list)  # per step: the texts the citizen receives


def normalized(text: str) -> str:
    """Reference numbers differ between runs; everything else must match."""
    return REFERENCE.sub("AP-REF", text)


def reply_texts(wa_id: str, replies: list[Reply]) -> list[str]:
    texts = []
    for reply in replies:
        payloads = ([{"type": "document", "document": {"caption": reply.text}}] if reply.kind == "document"
                    else reply_payloads(wa_id, reply))
        texts.extend(normalized(Sent(p).text) for p in payloads)
    return texts


def _answer(spec, catalog) -> str:
    return {
        FieldType.name: "Ravi Kumar",
        FieldType.aadhaar: "2345 6789 0124",
        FieldType.choice: spec.choices[-1].label.en if spec.choices else "",
        FieldType.district: catalog.gazetteer.districts[0].name.en,
        FieldType.mandal: "Tenali",
        FieldType.mobile: "9848012345",
        FieldType.date: (utcnow() - timedelta(days=9000)).strftime("%d-%m-%Y"),
        FieldType.text: "Water pipe broken near the school",
    }[spec.type]


def caste_certificate_script(bot, catalog, wa_id: str = "919700000000") -> Script:
    """Greeting, request, confirm, every field, submit: driven by what the bot asks."""
    service = catalog.services[SERVICE]
    script = Script()

    def say(step: Step) -> list[Reply]:
        message_id = f"wamid.SCRIPT{len(script.steps):03d}"
        replies = bot.handle(IncomingMessage(wa_id, message_id, text=step.text, choice_id=step.choice))
        script.steps.append(step)
        script.expected.append(reply_texts(wa_id, replies))
        return replies

    say(Step("Hi"))
    replies = say(Step("I need a caste certificate"))
    assert any(b.id == "yes" for r in replies for b in r.buttons or []), replies
    replies = say(Step(choice="yes"))
    for _ in range(len(service.fields) + 1):
        if any(b.id == "submit" for r in replies for b in r.buttons or []):
            replies = say(Step(choice="submit"))
            assert REFERENCE.search(" ".join(r.text for r in replies)), replies
            return script
        asked = [f for f in service.fields if f.prompt.get("en") in " ".join(r.text for r in replies)]
        assert asked, f"no field prompt in {replies!r}"
        replies = say(Step(_answer(asked[-1], catalog)))
    raise AssertionError("the script never reached the summary")


def received_texts(graph, wa_id: str) -> list[str]:
    return [normalized(Sent(p).text) for p in graph.sent_to(wa_id)]

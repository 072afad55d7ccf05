"""A citizen on WhatsApp, as the tests see one: signed webhooks in, the fake Graph server's record out."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from core.db import InboxItem
from tests.utils.net import wait_for
from tests.utils.webhooks import message_webhook, post_webhook, text_webhook

_ids = itertools.count(1)


@dataclass
class Sent:
    """One message the citizen received, flattened for assertions."""

    payload: dict

    @property
    def kind(self) -> str:
        if self.payload["type"] == "interactive":
            return self.payload["interactive"]["type"]  # button | list
        return self.payload["type"]

    @property
    def text(self) -> str:
        p = self.payload
        if p["type"] == "text":
            return p["text"]["body"]
        if p["type"] == "interactive":
            return p["interactive"]["body"]["text"]
        return p.get(p["type"], {}).get("caption", "")

    @property
    def choice_ids(self) -> list[str]:
        action = self.payload.get("interactive", {}).get("action", {})
        if "buttons" in action:
            return [b["reply"]["id"] for b in action["buttons"]]
        return [r["id"] for s in action.get("sections", []) for r in s["rows"]]

    def title_of(self, choice_id: str) -> str:
        action = self.payload["interactive"]["action"]
        items = [b["reply"] for b in action.get("buttons", [])] + \
            [r for s in action.get("sections", []) for r in s["rows"]]
        return next(i["title"] for i in items if i["id"] == choice_id)


@dataclass
class WhatsAppCitizen:
    app_url: str
    graph: object
    session_factory: object
    wa_id: str = "919812345678"
    seen: int = 0
    message_ids: list[str] = field(default_factory=list)

    def post(self, payload: dict) -> httpx.Response:
        response = post_webhook(self.app_url, payload)
        assert response.status_code == 200, response.text
        return response

    def _exchange(self, payload: dict, message_id: str) -> list[Sent]:
        self.message_ids.append(message_id)
        self.post(payload)
        wait_for(lambda: self._finished(message_id), timeout=120)
        sent = self.graph.sent_to(self.wa_id)
        new, self.seen = sent[self.seen:], len(sent)
        return [Sent(p) for p in new]

    def _finished(self, message_id: str) -> bool:
        with self.session_factory() as session:
            status = session.scalar(select(InboxItem.status).where(InboxItem.wa_message_id == message_id))
        return status in ("done", "failed")

    def say(self, text: str) -> list[Sent]:
        message_id = f"wamid.E2E{next(_ids):06d}"
        return self._exchange(text_webhook(self.wa_id, message_id, text), message_id)

    def tap(self, choice_id: str, title: str = "", list_row: bool = False) -> list[Sent]:
        message_id = f"wamid.E2E{next(_ids):06d}"
        kind = "list_reply" if list_row else "button_reply"
        payload = message_webhook(self.wa_id, {"id": message_id, "type": "interactive", "interactive": {
            "type": kind, kind: {"id": choice_id, "title": title or choice_id}}})
        return self._exchange(payload, message_id)

    def replay(self, index: int = -1) -> httpx.Response:
        """Post a webhook for an earlier message id again, as Meta's redelivery does."""
        return self.post(text_webhook(self.wa_id, self.message_ids[index], "replayed"))


def texts(sent: list[Sent]) -> str:
    return "\n".join(s.text for s in sent)



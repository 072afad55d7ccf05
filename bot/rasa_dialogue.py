"""Hand the dialogue to a Rasa server: citizen text (typed or transcribed) goes to Rasa's REST channel and
Rasa's replies come back as mitra replies, ready for WhatsApp. Chosen with MITRA_DIALOGUE_ENGINE=rasa.

    bot = RasaDialogue("http://127.0.0.1:5005")
    bot.handle(IncomingMessage(citizen_id="919800000001", message_id="wamid.1", text="caste certificate"))
"""
from __future__ import annotations

import logging

import httpx

from bot.replies import Button, IncomingMessage, ListRow, Reply
from bot.texts import Texts

log = logging.getLogger(__name__)

WHATSAPP_BUTTONS_MAX = 3  # more choices than this become a list


class RasaDialogue:
    """Same contract as bot.engine.Bot: `handle(IncomingMessage) -> list[Reply]`."""

    def __init__(self, rasa_url: str, timeout_s: float = 30.0, client: httpx.Client | None = None):
        self.webhook = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.client = client or httpx.Client(timeout=timeout_s)

    def handle(self, msg: IncomingMessage) -> list[Reply]:
        if not isinstance(msg, IncomingMessage):
            raise TypeError(f"RasaDialogue.handle expects an IncomingMessage, got {type(msg).__name__}")
        if not (msg.citizen_id or "").strip():
            raise ValueError("message has no citizen_id")
        t = Texts("en")
        if msg.unsupported_type:
            return [Reply(kind="text", text=t.say("unsupported_type", kind=msg.unsupported_type))]
        said = _said(msg)
        if not said.strip():
            return [Reply(kind="text", text=t.say("type_instead" if msg.transcript is not None else "not_understood"))]
        try:
            response = self.client.post(self.webhook, json={
                "sender": msg.citizen_id, "message": said,
                "metadata": {"message_id": msg.message_id, "channel": msg.channel,
                             "voice": msg.transcript is not None}})
            response.raise_for_status()
            answers = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            log.error("Rasa at %s did not answer message %s: %s", self.webhook, msg.message_id, exc)
            return [Reply(kind="text", text=_UNAVAILABLE)]
        replies = [reply for answer in answers if isinstance(answer, dict) for reply in _to_replies(answer)]
        return replies or [Reply(kind="text", text=t.say("not_understood"))]

    def close(self) -> None:
        self.client.close()


_UNAVAILABLE = ("Sorry, I cannot answer right now. Please try again in a few minutes.\n"
                "క్షమించండి, ఇప్పుడు జవాబివ్వలేకపోతున్నాను. కొన్ని నిమిషాల తర్వాత మళ్లీ ప్రయత్నించండి.")


def _said(msg: IncomingMessage) -> str:
    """A tapped button sends its payload (`/affirm`, a choice's value), as Rasa's own channels do."""
    if msg.choice_id:
        return msg.choice_id
    if msg.text:
        return msg.text
    return getattr(msg.transcript, "text", "") or ""


def _to_replies(answer: dict) -> list[Reply]:
    """One Rasa REST answer ({text, buttons, image, custom}) as mitra replies."""
    text = str(answer.get("text") or "")
    buttons = [Button(id=str(b.get("payload") or b.get("title")), title=str(b.get("title") or b.get("payload")))
               for b in answer.get("buttons") or [] if isinstance(b, dict)]
    if buttons and len(buttons) <= WHATSAPP_BUTTONS_MAX:
        return [Reply(kind="buttons", text=text, buttons=buttons)]
    if buttons:
        return [Reply(kind="list", text=text, rows=[ListRow(id=b.id, title=b.title) for b in buttons],
                      list_button=Texts("en").title("list_choose"))]
    if answer.get("image"):
        text = f"{text}\n{answer['image']}".strip()
    return [Reply(kind="text", text=text)] if text else []

"""Turn the bot's channel-neutral replies into Cloud API message payloads.

The limits themselves are in bot/render.py, where the replies are built to fit them (and stored as sent); the
clipping here only guards a reply built elsewhere.
"""
from __future__ import annotations

from bot.render import (
    BUTTON_TITLE_MAX,
    BUTTONS_MAX,
    INTERACTIVE_BODY_MAX,
    LIST_BUTTON_MAX,
    LIST_MAX_ROWS,
    ROW_DESCRIPTION_MAX,
    ROW_TITLE_MAX,
    TEXT_MAX,
    clip,
)
from bot.replies import Reply

CAPTION_MAX = 1024


def _envelope(to: str, kind: str, body: dict) -> dict:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind, kind: body}


def text_payloads(to: str, text: str) -> list[dict]:
    """A long text becomes several messages rather than being cut."""
    chunks = [text[i: i + TEXT_MAX] for i in range(0, len(text), TEXT_MAX)] or [""]
    return [_envelope(to, "text", {"preview_url": False, "body": chunk}) for chunk in chunks]


def buttons_payload(to: str, reply: Reply) -> dict:
    buttons = [{"type": "reply", "reply": {"id": b.id[:256], "title": clip(b.title, BUTTON_TITLE_MAX)}}
               for b in reply.buttons[:BUTTONS_MAX]]
    return _envelope(to, "interactive", {"type": "button",
                                         "body": {"text": clip(reply.text, INTERACTIVE_BODY_MAX)},
                                         "action": {"buttons": buttons}})


def list_payload(to: str, reply: Reply) -> dict:
    rows = []
    for row in reply.rows[:LIST_MAX_ROWS]:
        item = {"id": row.id[:200], "title": clip(row.title, ROW_TITLE_MAX)}
        if row.description:
            item["description"] = clip(row.description, ROW_DESCRIPTION_MAX)
        rows.append(item)
    button = clip(reply.list_button or "Options", LIST_BUTTON_MAX)
    return _envelope(to, "interactive", {"type": "list",
                                         "body": {"text": clip(reply.text, INTERACTIVE_BODY_MAX)},
                                         "action": {"button": button, "sections": [{"rows": rows}]}})


def document_payload(to: str, media_id: str, filename: str, caption: str = "") -> dict:
    body = {"id": media_id, "filename": filename}
    if caption:
        body["caption"] = clip(caption, CAPTION_MAX)
    return _envelope(to, "document", body)


def reply_payloads(to: str, reply: Reply) -> list[dict]:
    """Payloads for every reply kind except documents, which need an upload first (see the client)."""
    if reply.kind == "buttons" and reply.buttons:
        return [buttons_payload(to, reply)]
    if reply.kind == "list" and reply.rows:
        return [list_payload(to, reply)]
    if reply.kind == "document":
        raise ValueError("documents are uploaded first: use WhatsAppClient.send_reply")
    return text_payloads(to, reply.text)

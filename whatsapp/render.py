"""Turn the bot's channel-neutral replies into Cloud API message payloads, within WhatsApp's limits."""
from __future__ import annotations

from bot.replies import Reply

TEXT_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_MAX = 20
MAX_LIST_ROWS = 10
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
LIST_BUTTON_MAX = 20
CAPTION_MAX = 1024


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, marking the cut with an ellipsis."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _envelope(to: str, kind: str, body: dict) -> dict:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind, kind: body}


def text_payloads(to: str, text: str) -> list[dict]:
    """A long text becomes several messages rather than being cut."""
    chunks = [text[i: i + TEXT_MAX] for i in range(0, len(text), TEXT_MAX)] or [""]
    return [_envelope(to, "text", {"preview_url": False, "body": chunk}) for chunk in chunks]


def buttons_payload(to: str, reply: Reply) -> dict:
    buttons = [{"type": "reply", "reply": {"id": b.id[:256], "title": clip(b.title, BUTTON_TITLE_MAX)}}
               for b in reply.buttons[:MAX_BUTTONS]]
    return _envelope(to, "interactive", {"type": "button",
                                         "body": {"text": clip(reply.text, INTERACTIVE_BODY_MAX)},
                                         "action": {"buttons": buttons}})


def list_payload(to: str, reply: Reply) -> dict:
    rows = []
    for row in reply.rows[:MAX_LIST_ROWS]:
        item = {"id": row.id[:200], "title": clip(row.title, ROW_TITLE_MAX)}
        if row.description:
            item["description"] = clip(row.description, ROW_DESCRIPTION_MAX)
        rows.append(item)
    button = clip(reply.list_button or "Options", LIST_BUTTON_MAX)
    return _envelope(to, "interactive", {"type": "list",
                                         "body": {"text": clip(reply.text, INTERACTIVE_BODY_MAX)},
                                         "action": {"button": button, "sections": [{"rows": rows}]}})


def audio_payload(to: str, media_id: str) -> dict:
    """An uploaded voice reply (the Cloud API's audio message takes no caption: the text goes separately)."""
    return _envelope(to, "audio", {"id": media_id})


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

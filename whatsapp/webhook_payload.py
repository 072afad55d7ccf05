"""Parse Meta's Cloud API webhook JSON (entry[].changes[].value) into messages and status updates."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TYPES = ("text", "audio", "interactive", "button")


class PayloadError(ValueError):
    """The webhook body is not the JSON shape Meta documents."""


@dataclass
class InboundMessage:
    """One citizen message as WhatsApp delivered it, before any processing."""

    message_id: str
    wa_id: str
    timestamp: int
    type: str  # text, audio, interactive, button, image, sticker, location, ...
    text: str | None = None
    choice_id: str | None = None  # button_reply / list_reply id, or a template button payload
    choice_title: str | None = None
    media_id: str | None = None
    mime_type: str | None = None
    voice: bool = False
    profile_name: str = ""
    raw: dict = field(default_factory=dict)

    @property
    def supported(self) -> bool:
        return self.type in SUPPORTED_TYPES and (self.type != "interactive" or self.choice_id is not None)


@dataclass
class StatusUpdate:
    """sent / delivered / read / failed for a message we sent."""

    message_id: str
    status: str
    recipient_id: str
    timestamp: int
    errors: list[dict] = field(default_factory=list)


@dataclass
class WebhookBatch:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


def parse_webhook(payload: Any) -> WebhookBatch:
    if not isinstance(payload, dict) or not isinstance(payload.get("entry", []), list):
        raise PayloadError("expected an object with an 'entry' list")
    batch = WebhookBatch()
    for entry in payload.get("entry", []):
        for change in _list(entry, "changes"):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                raise PayloadError("each change needs a 'value' object")
            names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "")
                     for c in _list(value, "contacts") if isinstance(c, dict)}
            for message in _list(value, "messages"):
                parsed = _parse_message(message)
                parsed.profile_name = names.get(parsed.wa_id, "")
                batch.messages.append(parsed)
            batch.statuses.extend(_parse_status(s) for s in _list(value, "statuses"))
    return batch


def _list(obj: Any, key: str) -> list:
    value = obj.get(key, []) if isinstance(obj, dict) else None
    if not isinstance(value, list):
        raise PayloadError(f"'{key}' must be a list")
    return value


def _required(obj: dict, key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"message is missing '{key}'")
    return value


def _timestamp(obj: dict) -> int:
    try:
        return int(obj.get("timestamp", 0))
    except (TypeError, ValueError):
        raise PayloadError(f"timestamp {obj.get('timestamp')!r} is not a number") from None


def _parse_message(message: Any) -> InboundMessage:
    if not isinstance(message, dict):
        raise PayloadError("each message must be an object")
    kind = _required(message, "type")
    parsed = InboundMessage(message_id=_required(message, "id"), wa_id=_required(message, "from"),
                            timestamp=_timestamp(message), type=kind, raw=message)
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        parsed.text = str(body.get("body", ""))
    elif kind == "audio":
        parsed.media_id = body.get("id")
        parsed.mime_type = body.get("mime_type")
        parsed.voice = bool(body.get("voice", False))
        if not parsed.media_id:
            raise PayloadError("audio message without a media id")
    elif kind == "interactive":
        reply = body.get(body.get("type", "")) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(reply, dict):
            parsed.choice_id, parsed.choice_title = reply.get("id"), reply.get("title")
    elif kind == "button":  # a quick-reply button on a template message
        parsed.choice_id, parsed.choice_title = body.get("payload"), body.get("text")
        parsed.text = body.get("text")
    return parsed


def _parse_status(status: Any) -> StatusUpdate:
    if not isinstance(status, dict):
        raise PayloadError("each status must be an object")
    return StatusUpdate(message_id=_required(status, "id"), status=_required(status, "status"),
                        recipient_id=str(status.get("recipient_id", "")), timestamp=_timestamp(status),
                        errors=list(status.get("errors") or []))

"""Channel-neutral messages in and out of the bot. `api` renders replies for WhatsApp or the chat page."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Button:
    id: str
    title: str  # WhatsApp allows 20 characters; the renderer truncates


@dataclass
class ListRow:
    id: str
    title: str  # 24 characters on WhatsApp
    description: str = ""  # 72 characters on WhatsApp


@dataclass
class Document:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"
    caption: str = ""


@dataclass
class Reply:
    kind: Literal["text", "buttons", "list", "document", "audio"]
    text: str
    buttons: list[Button] = field(default_factory=list)
    rows: list[ListRow] = field(default_factory=list)
    list_button: str = ""  # the label of the button that opens a list
    document: Document | None = None
    language: str = ""  # "audio": the language `text` is spoken in (voice replies, bot/voice_replies.py)
    # text shown to the citizen only -> how the stored copy says it (a heard personal number, read back whole)
    masked: dict[str, str] = field(default_factory=dict)


@dataclass
class IncomingMessage:
    """One citizen message after decoding: typed text, a tapped button/list row, or a transcribed voice note."""

    citizen_id: str  # WhatsApp number (wa_id) or a web-chat session id
    message_id: str
    channel: Literal["whatsapp", "web"] = "whatsapp"
    text: str | None = None
    choice_id: str | None = None  # id of the tapped button or list row
    transcript: object | None = None  # voice.Transcript when the message was a voice note
    unsupported_type: str | None = None  # image, sticker, location ... answered politely

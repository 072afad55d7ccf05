"""Messages a gateway event causes (receipt, ticket, failed payment, expired link) reaching the citizen.

They answer the citizen's own payment, so they go out through the same WhatsApp client as replies (not muted by
STOP); each is also stored as an outbound message, so the conversation history and the web chat (which polls
`GET /v1/chat/updates`) show it. A receipt or ticket is the register's document (applications/documents.py,
shaped Telugu and a verify QR), sent at most once (`PaymentLedger.mark_document_sent`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from bot.replies import Document, Reply
from core.db.models import Citizen, Message

log = logging.getLogger(__name__)
DOCUMENT_PREFIX = "document:"  # messages.wa_message_id of a stored message that carried a register document


def deliver(services, notices) -> int:
    """Send each notice to its citizen; returns how many went out."""
    sent = 0
    for notice in notices:
        if notice.document is not None and not services.ledger().mark_document_sent(notice.order_reference):
            continue
        reply = _reply(services, notice)
        with services.session_factory.begin() as session:
            citizen = session.get(Citizen, notice.citizen_id)
            number = services.vault.open(citizen.number_sealed)
            session.add(Message(citizen_id=citizen.id, conversation_id=citizen.conversation.id
                                if citizen.conversation else None, direction="out",
                                wa_message_id=_message_key(notice), kind=reply.kind, text=notice.text))
            channel = citizen.channel
        if channel == "whatsapp" and services.whatsapp is not None:
            services.whatsapp.send_reply(number, reply)
            sent += 1
        else:
            log.info("payment notice %s kept for the %s channel (no push)", notice.order_reference, channel)
    return sent


def _message_key(notice) -> str:
    """What the stored outbound message points at: the document it carried, or the payment order."""
    return f"{DOCUMENT_PREFIX}{notice.document}" if notice.document else f"payment:{notice.order_reference}"


def document_for(services, reference: str, caption: str = "") -> Document | None:
    """A receipt, ticket or slip from the register as a message attachment (None if it is not there)."""
    register = services.documents()
    doc = register.for_reference(reference)
    if doc is None:
        return None
    return Document(register.filename(doc), register.pdf(doc), caption=caption)


def _reply(services, notice) -> Reply:
    document = document_for(services, notice.document, notice.text) if notice.document else None
    if document is None:
        return Reply(kind="text", text=notice.text)
    return Reply(kind="document", text=notice.text, document=document)


@dataclass(frozen=True)
class Pushed:
    """A message mitra sent a citizen on its own (not as the answer to a chat request)."""

    id: int
    text: str
    document: str | None  # the register reference of the receipt or ticket it carried
    notification: int | None = None  # a status change or reminder (runtime/notifications.py): its id


def pushed_since(services, sender_id: str, after: int) -> list[Pushed]:
    """What reached this sender (e.g. a web-chat session) after message id `after`: receipts, tickets, payment
    news, status changes and reminders. The web chat polls this, since it has no channel to push on."""
    from runtime.notifications import WEB_KEY

    key = services.vault.lookup_hash(sender_id)
    with services.session_factory() as session:
        citizen_id = session.scalar(select(Citizen.id).where(Citizen.lookup_hash == key))
        if citizen_id is None:
            return []
        rows = session.execute(select(Message.id, Message.text, Message.wa_message_id).where(
            Message.citizen_id == citizen_id, Message.direction == "out", Message.id > after,
            or_(Message.wa_message_id.like(f"{DOCUMENT_PREFIX}%"), Message.wa_message_id.like("payment:%"),
                Message.wa_message_id.like(f"{WEB_KEY}%")))
            .order_by(Message.id)).all()
    return [Pushed(row_id, text, key.removeprefix(DOCUMENT_PREFIX) if key.startswith(DOCUMENT_PREFIX) else None,
                   int(key.removeprefix(WEB_KEY)) if key.startswith(WEB_KEY) else None)
            for row_id, text, key in rows]


def last_message_id(services) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.max(Message.id))) or 0

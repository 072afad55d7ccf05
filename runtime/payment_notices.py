"""Messages a gateway event causes (receipt, ticket, failed payment, expired link) reaching the citizen.

They answer the citizen's own payment, so they go out through the same WhatsApp client as replies (not muted by
STOP); each is also stored as an outbound message, so the conversation history and the web chat (which polls
`GET /v1/chat/updates`) show it. A receipt or ticket is the register's document (applications/documents.py,
shaped Telugu and a verify QR), sent at most once (`PaymentLedger.mark_document_sent`).
"""
from __future__ import annotations

import logging

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

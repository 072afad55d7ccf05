"""Messages a gateway event causes (receipt, ticket, failed payment, expired link) reaching the citizen.

Until runtime.notifications.notify (issue 15) lands they go out through the same WhatsApp client as replies;
each is also stored as an outbound message so the conversation history shows it. A receipt or ticket is
sent at most once (`PaymentLedger.mark_document_sent`).
"""
from __future__ import annotations

import logging

from bot.replies import Document, Reply
from core.db.models import Citizen, Message

log = logging.getLogger(__name__)


def deliver(services, notices) -> int:
    """Send each notice to its citizen; returns how many went out."""
    sent = 0
    for notice in notices:
        if notice.document is not None and not services.ledger().mark_document_sent(notice.order_reference):
            continue
        reply = _reply(notice)
        with services.session_factory.begin() as session:
            citizen = session.get(Citizen, notice.citizen_id)
            number = services.vault.open(citizen.number_sealed)
            session.add(Message(citizen_id=citizen.id, conversation_id=citizen.conversation.id
                                if citizen.conversation else None, direction="out",
                                wa_message_id=f"payment:{notice.order_reference}", kind=reply.kind, text=notice.text))
            channel = citizen.channel
        if channel == "whatsapp" and services.whatsapp is not None:
            services.whatsapp.send_reply(number, reply)
            sent += 1
        else:
            log.info("payment notice %s kept for the %s channel (no push)", notice.order_reference, channel)
    return sent


def _reply(notice) -> Reply:
    if notice.document is None:
        return Reply(kind="text", text=notice.text)
    return Reply(kind="document", text=notice.text,
                 document=Document(notice.document.filename, notice.pdf(), caption=notice.text))

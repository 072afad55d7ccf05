"""`Bot.handle(message) -> replies`: load the citizen's conversation, answer, save everything in one go.

The dialogue runs between two short transactions (read, then write with an optimistic version check), so a
second worker or a restart continues exactly where the conversation was, and a message handled twice
(a redelivered webhook) gets the replies it got the first time instead of a second answer.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from analysts import review
from applications.certificates import CertificateRegistry
from applications.connectors import DepartmentConnector
from bot import handoff, render
from bot.application_desk import citizen_for
from bot.consent import ConsentDesk
from bot.consent import say as consent_say
from bot.dialogue import Conversation as DialogueConversation
from bot.dialogue import Dialogue, Turn
from bot.replies import IncomingMessage, Reply
from bot.state import DialogueState
from bot.voice_replies import VoiceReplies
from core.audio_store import AudioStore
from core.db.models import Citizen, Conversation, Message, utcnow
from core.security import Vault

log = logging.getLogger(__name__)

ATTEMPTS = 4  # a conflicting update from another worker is retried this often


class ConcurrentUpdate(RuntimeError):
    """Another worker answered this citizen at the same moment; handle() retries."""


@dataclass
class _Loaded:
    citizen_db_id: int
    conversation_id: int
    version: int
    chosen_language: str | None
    language: str
    handed_off: bool
    state: DialogueState
    replayed: list[Reply] | None


class Bot:
    def __init__(self, catalog, router, session_factory, connector: DepartmentConnector, settings,
                 matcher=None, clock: Callable[[], datetime] = utcnow, departments=None, ledger=None):
        self.catalog = catalog
        self.sessions = session_factory
        self.vault = Vault(settings.secret_key)
        self.certificates = getattr(connector, "certificates", None) or \
            CertificateRegistry(session_factory, settings, catalog)
        self.dialogue = Dialogue(catalog, router, connector, self.certificates, self.vault, clock, matcher)
        self.settings = settings
        self.consent = ConsentDesk(session_factory, self.vault, settings,
                                   AudioStore(settings.audio_dir) if hasattr(settings, "audio_dir") else None)
        self._add_commerce(settings, departments, ledger)
        self.voice_replies = VoiceReplies(session_factory)
        self.dialogue.add_command(self.voice_replies.command)

    def _add_commerce(self, settings, departments, ledger) -> None:
        """Payment and booking services continue after submission: bill or seats, link, receipt or ticket."""
        from bot.booking_flow import BookingFlow
        from bot.payment_flow import PaymentFlow
        from departments import departments_from_settings
        from payments import ledger_from_settings

        self.departments = departments or departments_from_settings(settings, self.sessions)
        self.ledger = ledger or ledger_from_settings(settings, self.sessions, self.departments, clock=self.dialogue.clock)
        payments = PaymentFlow(self.ledger, self.departments, self.dialogue.desk)
        for outcome in ("payment_receipt", "certificate", "application"):  # a bill, an amount, or a fee
            self.dialogue.add_flow(outcome, payments)
        self.dialogue.add_command(payments.fee_command)
        self.dialogue.add_status_note(payments.fee_note)
        bookings = BookingFlow(self.ledger, self.departments, settings.payment_link_minutes,
                               self.catalog.gazetteer)
        self.dialogue.add_flow("booking", bookings)
        self.dialogue.add_command(bookings.command)
        self.dialogue.add_command(bookings.own_bookings_command)
        self.dialogue.add_form_aside(bookings.prices)

    def handle(self, msg: IncomingMessage) -> list[Reply]:
        _check_message(msg)
        for attempt in range(ATTEMPTS):
            try:
                return self._handle_once(msg)
            except (StaleDataError, IntegrityError, ConcurrentUpdate) as exc:
                log.info("conversation changed under message %s (attempt %d): %s", msg.message_id, attempt + 1,
                         type(exc).__name__)
        raise ConcurrentUpdate(f"message {msg.message_id}: the conversation kept changing; try again")

    def _handle_once(self, msg: IncomingMessage) -> list[Reply]:
        loaded = self._load(msg)
        if loaded.replayed is not None:
            return loaded.replayed
        convo = DialogueConversation(loaded.citizen_db_id, loaded.state, loaded.language, loaded.chosen_language,
                                     loaded.handed_off)
        turn = Turn(msg.message_id, _said(msg), msg.choice_id, msg.transcript, msg.unsupported_type, _own_mobile(msg))
        answered = self.consent.respond(loaded.citizen_db_id, convo, turn.said, turn.choice_id)
        if answered == "erased":
            return convo.replies  # nothing of this conversation is kept: the next message starts fresh
        if answered is None:
            self.dialogue.respond(convo, turn)
            self.voice_replies.after(convo, turn, msg.channel)
        self.consent.add_notice(loaded.citizen_db_id, convo)
        self._save(msg, loaded, convo)
        return convo.replies

    def _load(self, msg: IncomingMessage) -> _Loaded:
        with self.sessions.begin() as session:
            citizen = citizen_for(session, self.vault, msg.citizen_id, msg.channel)
            conversation = citizen.conversation
            if conversation is None:
                conversation = Conversation(citizen_id=citizen.id, state={}, language="en")
                session.add(conversation)
                session.flush()
            replayed = self._earlier_replies(session, citizen.id, msg.message_id)
            return _Loaded(citizen.id, conversation.id, conversation.version, citizen.language,
                           citizen.language or conversation.language, conversation.handed_off,
                           DialogueState.from_json(conversation.state, self.vault), replayed)

    def _earlier_replies(self, session, citizen_db_id: int, message_id: str) -> list[Reply] | None:
        seen = session.scalar(select(Message.id).where(
            Message.citizen_id == citizen_db_id, Message.direction == "in", Message.wa_message_id == message_id))
        if seen is None:
            return None
        stored = session.scalars(select(Message).where(
            Message.citizen_id == citizen_db_id, Message.direction == "out",
            Message.wa_message_id == message_id).order_by(Message.id))
        return [render.from_stored(m.reply, self._stored_document) for m in stored if m.reply]

    def _stored_document(self, filename: str) -> bytes:
        """The file a stored reply carried, made again for a replay: a certificate (`<reference>.pdf`), or a
        receipt, ticket or slip from the document register (`<kind>-<reference>.pdf`)."""
        content = self.dialogue.certificate_pdf(filename)
        register = getattr(self.ledger, "documents", None)
        if content or register is None:
            return content
        reference = filename.removesuffix(".pdf").partition("-")[2]
        doc = register.for_reference(reference) if reference else None
        return register.pdf(doc) if doc is not None and register.filename(doc) == filename else b""

    def _save(self, msg: IncomingMessage, loaded: _Loaded, convo: DialogueConversation) -> None:
        with self.sessions.begin() as session:
            conversation = session.get(Conversation, loaded.conversation_id)
            if conversation.version != loaded.version:
                raise ConcurrentUpdate(f"conversation {conversation.id} moved on")
            conversation.state = convo.state.to_json(self.vault)
            conversation.language = convo.language
            conversation.handed_off = convo.handed_off
            if convo.chosen_language != loaded.chosen_language:
                session.get(Citizen, loaded.citizen_db_id).language = convo.chosen_language
            self._track_handoff(session, loaded, convo)
            inbound = _inbound_record(msg, loaded, convo)
            session.add(inbound)
            review.maybe_enqueue(session, inbound, msg, convo.route, convo.handed_off and not loaded.handed_off)
            for reply in convo.replies:
                session.add(_outbound_record(msg, loaded, reply))


    def _track_handoff(self, session, loaded: _Loaded, convo: DialogueConversation) -> None:
        if convo.handed_off and not loaded.handed_off:
            ahead = handoff.open_handoff(session, loaded.citizen_db_id, loaded.conversation_id)
            minutes = handoff.expected_wait_minutes(ahead, getattr(self.settings, "agent_minutes_per_handoff", 5))
            convo.add(render.text(consent_say(convo.language, "handoff_wait", minutes=minutes, ahead=ahead)))
        elif loaded.handed_off and not convo.handed_off:
            handoff.close_handoffs(session, loaded.citizen_db_id, "cancelled")


def _check_message(msg: IncomingMessage) -> None:
    if not isinstance(msg, IncomingMessage):
        raise TypeError(f"Bot.handle expects an IncomingMessage, got {type(msg).__name__}")
    if not (msg.citizen_id or "").strip():
        raise ValueError("message has no citizen_id")
    if not (msg.message_id or "").strip():
        raise ValueError("message has no message_id")
    if msg.text is not None and not isinstance(msg.text, str):
        raise ValueError("message text must be a string")


def _own_mobile(msg: IncomingMessage) -> str | None:
    """The Indian mobile number a WhatsApp message comes from (its wa_id, "919848012345"); none on the web chat."""
    from nlu.entities import parse_mobile

    return parse_mobile(f"+{msg.citizen_id}") if msg.channel == "whatsapp" else None


def _said(msg: IncomingMessage) -> str:
    if msg.text:
        return msg.text
    return getattr(msg.transcript, "text", "") or "" if msg.transcript is not None else ""


def _outbound_record(msg: IncomingMessage, loaded: _Loaded, reply: Reply) -> Message:
    from nlu.entities import mask_pii

    stored = render.to_stored(reply)
    stored["text"] = mask_pii(stored["text"])  # "Did you say ...?" repeats the citizen's words
    return Message(citizen_id=loaded.citizen_db_id, conversation_id=loaded.conversation_id, direction="out",
                   wa_message_id=msg.message_id, kind=reply.kind, text=stored["text"], reply=stored)


def _inbound_record(msg: IncomingMessage, loaded: _Loaded, convo: DialogueConversation) -> Message:
    from nlu.entities import mask_pii

    transcript = getattr(msg.transcript, "text", None) if msg.transcript is not None else None
    kind = ("unsupported" if msg.unsupported_type else "voice" if msg.transcript is not None
            else "choice" if msg.choice_id else "text")
    route = convo.route.to_dict() if convo.route else None
    if route:  # the route result repeats the citizen's words and entities: mask them too
        route["text"] = mask_pii(route["text"])
        route["normalized_text"] = mask_pii(route["normalized_text"])
        route["entities"] = [{**e, "value": mask_pii(e["value"]), "text": mask_pii(e["text"])}
                             for e in route["entities"]]
    return Message(
        citizen_id=loaded.citizen_db_id, conversation_id=loaded.conversation_id, direction="in",
        wa_message_id=msg.message_id, kind=kind,
        text=mask_pii(msg.text or "") + (f" [{msg.choice_id}]" if msg.choice_id else ""),
        transcript=mask_pii(transcript) if transcript else None, route=route,
        model_version=convo.route.model_version if convo.route else None,
    )

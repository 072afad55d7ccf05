"""Proactive messages: `notify()` is the one way mitra writes to a citizen who did not just write to it.

Each notification is first recorded (an outbox row, in the same transaction as the change that caused it
when the caller passes its session), then delivered: skipped after STOP or when its kind is muted; free text
inside the service window (the citizen's last message less than MITRA_WHATSAPP_SERVICE_WINDOW_S ago), an
approved template outside it. Graph errors are handled as Meta documents them, whether they come back in the
send's response or later in a `failed` status webhook:

  131047 re-engagement needed  -> send the template instead
  131026 undeliverable         -> recorded, never retried
  130429 throughput (number)   -> every send from our number waits
  131056 pair rate (citizen)   -> sends to this citizen wait
  other 4xx                    -> recorded with the code
  5xx / unreachable            -> retried later, with a doubling wait, at most `notification_attempts` times
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.replies import Document, Reply
from core.db import Citizen, Consent, Conversation, Delivery, Message, Notification, SendPause, utcnow
from runtime.templates import template

log = logging.getLogger(__name__)

KINDS = ("application_status", "certificate_issued", "payment_received", "booking_reminder", "draft_reminder",
         "agent_reply")
ANSWERS = ("agent_reply",)  # answers to the citizen's own request: not muted by STOP
RE_ENGAGEMENT, UNDELIVERABLE, THROUGHPUT, PAIR_RATE = 131047, 131026, 130429, 131056
STATUS_RANK = {"sending": 0, "pending": 0, "sent": 1, "delivered": 2, "read": 3}
STUCK_SENDING = timedelta(minutes=5)  # a send claimed this long ago died with its process

DocumentSource = Callable[[str], Document | None]  # reference -> the file a notification carries


WEB_CHAT = "web"  # a web-chat citizen: a notification is stored as a message the chat's updates feed shows
WEB_KEY = "notification:"  # messages.wa_message_id of a notification posted to the web chat, then its id


@dataclass(frozen=True)
class Recipient:
    number: str
    language: str
    lookup_hash: str
    in_window: bool
    channel: str = "whatsapp"


class Notifier:
    def __init__(self, session_factory: sessionmaker[Session], vault, settings, whatsapp=None,
                 documents: dict[str, DocumentSource] | None = None, clock: Callable[[], datetime] = utcnow):
        self.sessions = session_factory
        self.vault = vault
        self.settings = settings
        self.whatsapp = whatsapp
        self.documents = dict(documents or {})
        self.clock = clock

    # -- recording -------------------------------------------------------------------------------
    def enqueue(self, session: Session, citizen_id: int, kind: str, reference: str = "",
                params: dict | None = None, dedupe_key: str | None = None) -> Notification | None:
        """Record a notification inside the caller's transaction; None when the same event was recorded."""
        if kind not in KINDS:
            raise ValueError(f"unknown notification kind {kind!r}")
        key = dedupe_key or f"{kind}:{reference}:{citizen_id}"
        if session.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            return None
        row = Notification(citizen_id=citizen_id, kind=kind, reference=reference, dedupe_key=key,
                           params=dict(params or {}), status="pending", attempts=0)
        session.add(row)
        session.flush()
        return row

    def notify(self, citizen_id: int, kind: str, reference: str = "", params: dict | None = None,
               dedupe_key: str | None = None) -> int | None:
        """Record and deliver at once; returns the notification id (None: this event already notified)."""
        try:
            with self.sessions.begin() as session:
                row = self.enqueue(session, citizen_id, kind, reference, params, dedupe_key)
                row_id = row.id if row else None
        except IntegrityError:  # the same event recorded by another process a moment ago
            return None
        if row_id is not None:
            self.deliver(row_id)
        return row_id

    # -- delivering ------------------------------------------------------------------------------
    def deliver_due(self, limit: int = 100) -> int:
        """Send every notification whose time has come (the worker calls this on its schedule)."""
        now = self.clock()
        with self.sessions.begin() as session:
            session.execute(update(Notification).where(
                Notification.status == "sending", Notification.updated_at < now - STUCK_SENDING)
                .values(status="pending").execution_options(synchronize_session=False))
            query = select(Notification.id).where(
                Notification.status == "pending",
                or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now))
            if self.whatsapp is None:  # only the web chat can be reached
                query = query.join(Citizen, Citizen.id == Notification.citizen_id).where(Citizen.channel == WEB_CHAT)
            due = session.scalars(query.order_by(Notification.id).limit(limit)).all()
        return sum(1 for row_id in due if self.deliver(row_id))

    def deliver(self, row_id: int, force_template: bool = False) -> bool:
        """One attempt at one notification; True when something went out."""
        if self.whatsapp is None and not self._for_web_chat(row_id) or not self._claim(row_id):
            return False
        with self.sessions() as session:
            row = session.get(Notification, row_id)
            reason, recipient = self._recipient(session, row)
            kind, reference, params = row.kind, row.reference, dict(row.params)
        if reason:
            self._finish(row_id, status="skipped", error=reason)
            return False
        if recipient.channel == WEB_CHAT:
            self._post_to_web_chat(row_id, recipient, kind, reference, params)
            return True
        pause = self._paused(recipient)
        if pause is not None:
            self._finish(row_id, status="pending", next_attempt_at=pause)
            return False
        as_template = force_template or not recipient.in_window
        try:
            wamid = self._send(recipient, kind, reference, params, as_template)
        except Exception as exc:  # GraphError, TemplateError, a broken document
            self._failed(row_id, recipient, _code(exc), _status(exc), str(exc), as_template)
            return False
        self._sent(row_id, recipient, wamid, "template" if as_template else "text", kind, params)
        return True

    def _claim(self, row_id: int) -> bool:
        with self.sessions.begin() as session:
            claimed = session.execute(update(Notification).where(
                Notification.id == row_id, Notification.status == "pending")
                .values(status="sending", attempts=Notification.attempts + 1, updated_at=self.clock())
                .execution_options(synchronize_session=False))
        return claimed.rowcount == 1

    def _for_web_chat(self, row_id: int) -> bool:
        with self.sessions() as session:
            return session.scalar(select(Citizen.channel).join(Notification, Notification.citizen_id == Citizen.id)
                                  .where(Notification.id == row_id)) == WEB_CHAT

    def _post_to_web_chat(self, row_id: int, recipient: Recipient, kind: str, reference: str, params: dict) -> None:
        """The web chat has no push: the text is stored as an outbound message that GET /v1/chat/updates returns
        (with the document, made again from `document_of`)."""
        text = template(kind).text(recipient.language, _in_words(kind, recipient.language,
                                                                 {"reference": reference, **params}))
        with self.sessions.begin() as session:
            row = session.get(Notification, row_id)
            row.status, row.sent_as, row.next_attempt_at, row.error, row.error_code = "sent", "web", None, None, None
            conversation = session.scalar(select(Conversation.id).where(Conversation.citizen_id == row.citizen_id))
            session.add(Message(citizen_id=row.citizen_id, conversation_id=conversation, direction="out",
                                wa_message_id=f"{WEB_KEY}{row_id}", kind="notify:web", text=text))
        log.info("notification %s (%s) posted to the web chat", row_id, kind)

    def document_of(self, row_id: int) -> Document | None:
        """The file notification `row_id` carries (a certificate), made again; None when it carries none."""
        with self.sessions() as session:
            row = session.get(Notification, row_id)
            if row is None:
                return None
            kind, reference = row.kind, row.reference
        if template(kind).header != "document" or kind not in self.documents:
            return None
        return self.documents[kind](reference)

    def _recipient(self, session: Session, row: Notification) -> tuple[str | None, Recipient | None]:
        citizen = session.get(Citizen, row.citizen_id)
        if citizen is None or not citizen.number_sealed or citizen.channel not in ("whatsapp", WEB_CHAT):
            return "no WhatsApp number or web chat (erased)", None
        consent = session.scalar(select(Consent).where(Consent.citizen_id == citizen.id))
        if row.kind not in ANSWERS and consent is not None:
            if consent.notifications_off:
                return "the citizen stopped notifications", None
            if row.kind in (consent.muted_kinds or []):
                return f"the citizen turned off {row.kind}", None
        conversation = session.scalar(select(Conversation).where(Conversation.citizen_id == citizen.id))
        language = citizen.language or (conversation.language if conversation else "en")
        last_in = session.scalar(select(func.max(Message.created_at)).where(
            Message.citizen_id == citizen.id, Message.direction == "in"))
        window = timedelta(seconds=self.settings.whatsapp_service_window_s)
        in_window = last_in is not None and self.clock() - last_in < window
        return None, Recipient(self.vault.open(citizen.number_sealed), language, citizen.lookup_hash, in_window,
                               citizen.channel)

    def _send(self, recipient: Recipient, kind: str, reference: str, params: dict, as_template: bool) -> str:
        spec = template(kind)
        values = _in_words(kind, recipient.language, {"reference": reference, **params})
        document = self.documents[kind](reference) if spec.header == "document" and kind in self.documents \
            else None
        if spec.header == "document" and document is None:
            raise ValueError(f"the document for {kind} {reference} could not be made")
        if as_template:
            attached = None
            if document is not None:
                media_id = self.whatsapp.upload_media(document.content, document.mime_type, document.filename)
                attached = {"id": media_id, "filename": document.filename}
            payload = spec.payload(recipient.number, recipient.language, values, attached)
            self.whatsapp.bucket.acquire()
            return self.whatsapp.send_payload(payload)
        text = spec.text(recipient.language, values)
        reply = Reply(kind="document", text=text, document=Document(
            document.filename, document.content, document.mime_type, text)) if document else \
            Reply(kind="text", text=text)
        return self.whatsapp.send_reply(recipient.number, reply)[-1]

    # -- outcomes --------------------------------------------------------------------------------
    def _sent(self, row_id: int, recipient: Recipient, wamid: str, sent_as: str, kind: str, params: dict) -> None:
        from nlu.entities import mask_pii

        with self.sessions.begin() as session:
            row = session.get(Notification, row_id)
            row.status, row.sent_as, row.wa_message_id, row.next_attempt_at = "sent", sent_as, wamid, None
            row.error = row.error_code = None
            values = _in_words(kind, recipient.language, {"reference": row.reference, **params})
            text = template(kind).text(recipient.language, values)
            session.add(Message(citizen_id=row.citizen_id, direction="out", wa_message_id=wamid,
                                kind=f"notify:{sent_as}"[:16], text=mask_pii(text)))
            if not session.scalar(select(Delivery.id).where(Delivery.wa_message_id == wamid)):
                session.add(Delivery(wa_message_id=wamid, citizen_hash=recipient.lookup_hash,
                                     in_reply_to=f"notification:{row_id}", kind=kind[:16], status="sent",
                                     status_history=[{"status": "sent", "at": utcnow().isoformat()}]))
        log.info("notification %s (%s) sent as %s", row_id, kind, sent_as)

    def _failed(self, row_id: int, recipient: Recipient, code: int | None, http_status: int | None, error: str,
                was_template: bool) -> None:
        now = self.clock()
        log.warning("notification %s failed: code %s, status %s: %s", row_id, code, http_status, error[:200])
        if code == RE_ENGAGEMENT and not was_template:
            self._finish(row_id, status="pending", error_code=code, error=error)
            self.deliver(row_id, force_template=True)
            return
        if code == UNDELIVERABLE:
            self._finish(row_id, status="undeliverable", error_code=code, error=error)
            return
        if code in (THROUGHPUT, PAIR_RATE):
            key = f"number:{self.settings.whatsapp_phone_number_id}" if code == THROUGHPUT else \
                f"citizen:{recipient.lookup_hash}"
            until = now + timedelta(seconds=self.settings.throughput_backoff_s)
            self._pause(key, until, str(code))
            self._finish(row_id, status="pending", error_code=code, error=error, next_attempt_at=until)
            return
        if http_status is not None and 400 <= http_status < 500 or code is not None and http_status is None:
            self._finish(row_id, status="failed", error_code=code, error=error)
            return
        self._retry_later(row_id, code, error)

    def _retry_later(self, row_id: int, code: int | None, error: str) -> None:
        with self.sessions() as session:
            attempts = session.get(Notification, row_id).attempts
        if attempts >= self.settings.notification_attempts:
            self._finish(row_id, status="failed", error_code=code, error=f"gave up after {attempts}: {error}")
            return
        wait = self.settings.notification_retry_s * 2 ** (attempts - 1)
        self._finish(row_id, status="pending", error_code=code, error=error,
                     next_attempt_at=self.clock() + timedelta(seconds=wait))

    def _finish(self, row_id: int, **values) -> None:
        if values.get("error"):
            values["error"] = values["error"][:2000]
        with self.sessions.begin() as session:
            session.execute(update(Notification).where(Notification.id == row_id).values(**values)
                            .execution_options(synchronize_session=False))

    def _pause(self, key: str, until: datetime, reason: str) -> None:
        with self.sessions.begin() as session:
            pause = session.scalar(select(SendPause).where(SendPause.key == key))
            if pause is None:
                session.add(SendPause(key=key, until=until, reason=reason))
            else:
                pause.until, pause.reason = max(pause.until, until), reason

    def _paused(self, recipient: Recipient) -> datetime | None:
        keys = [f"number:{self.settings.whatsapp_phone_number_id}", f"citizen:{recipient.lookup_hash}"]
        with self.sessions() as session:
            until = session.scalar(select(func.max(SendPause.until)).where(SendPause.key.in_(keys)))
        return until if until is not None and until > self.clock() else None

    # -- what WhatsApp said later ----------------------------------------------------------------
    def on_status(self, wamid: str, status: str, errors: list[dict]) -> None:
        """A status webhook for a message we sent: move the notification on; a `failed` is handled by code."""
        with self.sessions() as session:
            row = session.scalar(select(Notification).where(Notification.wa_message_id == wamid))
            if row is None:
                return
            row_id, current, sent_as = row.id, row.status, row.sent_as
            reason, recipient = self._recipient(session, row)
        if status == "failed":
            if current not in ("sent", "delivered", "read"):
                return  # already handled (a redelivered webhook)
            code = _error_code(errors)
            if recipient is None:
                self._finish(row_id, status="failed", error_code=code, error=reason)
                return
            self._finish(row_id, status="sending", wa_message_id=None)
            self._failed(row_id, recipient, code, None if code is None else 400,
                         _error_text(errors), sent_as == "template")
            return
        if STATUS_RANK.get(status, 0) > STATUS_RANK.get(current, 9):
            self._finish(row_id, status=status)


def _in_words(kind: str, language: str, values: dict) -> dict:
    """A status code ("in_verification") becomes the citizen's words for it ("in verification")."""
    if kind == "application_status" and values.get("status"):
        from bot.texts import Texts

        label = Texts("te" if language.startswith("te") else "en").title(f"status_{values['status']}")
        values = {**values, "status": label}
    return values


def _code(exc: Exception) -> int | None:
    return getattr(exc, "code", None)


def _status(exc: Exception) -> int | None:
    status = getattr(exc, "status", None)
    if status is None and not hasattr(exc, "code"):
        return 400  # not a Graph error: our own (a template or document problem); retrying will not help
    return status


def _error_code(errors: list[dict]) -> int | None:
    for error in errors or []:
        try:
            return int(error.get("code"))
        except (TypeError, ValueError):
            continue
    return None


def _error_text(errors: list[dict]) -> str:
    return "; ".join(f"{e.get('code')}: {e.get('title') or e.get('message') or ''}" for e in errors or []) or \
        "failed without a reason"

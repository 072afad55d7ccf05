"""The inbox worker: claim a stored message, turn it into an IncomingMessage, ask the bot, send the replies."""
from __future__ import annotations

import logging
import threading
import time
import uuid

from bot.replies import IncomingMessage, Reply
from bot.texts import BOTH, Texts
from core.db import utcnow
from core.ratelimit import inbound_limit
from runtime import metrics
from runtime.inbox import ClaimedMessage
from runtime.observability import log_context
from runtime.speech import SpeechError, transcribe_bytes
from whatsapp import payloads
from whatsapp.client import MediaError
from whatsapp.webhook_payload import InboundMessage

log = logging.getLogger(__name__)

# The worker's own notices (apology, voice note, slow down) come before any dialogue: in both languages.
WORKER_TEXTS = Texts(BOTH)


class InboxWorker:
    def __init__(self, services, read_inbox: bool = True):
        """`read_inbox=False`: only the scheduled work (status progress, reminders, hold sweeps, notifications
        to the web chat, retention), for a process without WhatsApp whose citizens use the web chat."""
        self.services = services
        self.read_inbox = read_inbox
        self.config = services.worker_settings
        self.name = f"worker-{uuid.uuid4().hex[:8]}"
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.inbound_limit = inbound_limit(services.settings.redis_url, self.config.per_citizen_per_minute)

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> InboxWorker:
        self._thread = threading.Thread(target=self.run_forever, name=self.name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_forever(self) -> None:
        next_advance = 0.0
        next_retention = time.monotonic() + 60.0  # a starting process answers citizens first
        while not self._stop.is_set():
            if time.monotonic() >= next_advance:
                next_advance = time.monotonic() + self.config.advance_interval_s
                self.periodic()
                self.deliver_notifications()
            if time.monotonic() >= next_retention:
                next_retention = time.monotonic() + self.services.settings.retention_interval_s
                self.apply_retention()
            if not self.read_inbox:
                self.wake.wait(max(0.0, min(next_advance, next_retention) - time.monotonic()))
                self.wake.clear()
                continue
            try:
                worked = self.run_once()
            except Exception:  # the database went away for a moment: keep the worker alive
                log.exception("%s: inbox poll failed", self.name)
                worked = False
            if not worked:
                self.wake.wait(self.config.poll_interval_s)
                self.wake.clear()

    def periodic(self) -> None:
        """The scheduled work: move application statuses, put expired seat holds back on sale, tell departments
        of payments made while they were down, remind citizens of tomorrow's bookings and unfinished requests
        (the queue's sweeper runs this too)."""
        self.advance_applications()
        self.release_expired_holds()
        self.tell_departments_of_payments()
        self.send_reminders()

    def tell_departments_of_payments(self) -> None:
        try:
            told = self.services.ledger().tell_departments()
        except Exception:
            log.exception("%s: telling departments of payments failed", self.name)
            return
        if told:
            log.info("%s: %d payments made while a department was down are now recorded there", self.name, told)

    def send_reminders(self) -> None:
        from runtime.reminders import send_reminders

        try:
            send_reminders(self.services)
        except Exception:
            log.exception("%s: sending reminders failed", self.name)

    def release_expired_holds(self) -> int:
        """Holds not paid in time free their seats even when nobody books after them."""
        try:
            released = self.services.departments().release_expired(utcnow())
        except Exception:
            log.exception("%s: releasing expired holds failed", self.name)
            return 0
        if released:
            log.info("%s: %d expired holds released", self.name, released)
        return released

    def advance_applications(self) -> None:
        """Let the embedded department connector move applications whose time has come."""
        connector = self.services.connector()
        if not hasattr(connector, "advance"):
            return  # a real department system moves its own statuses
        try:
            moved = connector.advance(utcnow())
        except Exception:
            log.exception("%s: moving application statuses failed", self.name)
            return
        if moved:
            log.info("%s: %d application status changes", self.name, len(moved))

    def deliver_notifications(self) -> None:
        """Send notifications that are due (retries, pauses that ended, the ones a crash interrupted)."""
        try:
            self.services.notifier().deliver_due()
        except Exception:
            log.exception("%s: delivering notifications failed", self.name)

    def apply_retention(self) -> None:
        from runtime.retention import apply_retention

        try:
            apply_retention(self.services.session_factory, self.services.settings)
        except Exception:
            log.exception("%s: the retention job failed", self.name)

    def drain(self, max_messages: int = 1000) -> int:
        """Process until nothing is ready (tests and batch use); returns how many were processed."""
        count = 0
        while count < max_messages and self.run_once():
            count += 1
        return count

    # -- one message -----------------------------------------------------------------------------
    def run_once(self, citizen_hash: str | None = None) -> bool:
        claimed = self.services.inbox.claim_next(self.config.lock_seconds, citizen_hash)
        if claimed is None:
            return False
        if claimed.attempts > self.config.max_attempts:  # it crashed the process every time: give up
            self._give_up(claimed, "gave up after repeated crashes")
            return True
        if self.config.pause_before_processing_s:
            time.sleep(self.config.pause_before_processing_s)
        with log_context(message_id=claimed.message.message_id):
            self._process_claimed(claimed)
        return True

    def _process_claimed(self, claimed: ClaimedMessage) -> None:
        try:
            self.process(claimed.message)
        except Exception as exc:
            metrics.ERRORS.labels("worker").inc()
            log.exception("%s: inbox row %s failed (attempt %s)", self.name, claimed.row_id, claimed.attempts)
            if claimed.attempts >= self.config.max_attempts:
                self._give_up(claimed, repr(exc))
            else:
                delay = self.config.retry_delay_s * 2 ** (claimed.attempts - 1)
                self.services.inbox.retry_later(claimed.row_id, repr(exc), delay)
        else:
            self.services.inbox.mark_done(claimed.row_id)

    def process(self, message: InboundMessage) -> None:
        metrics.MESSAGES_IN.labels("whatsapp", message.type if message.supported else "unsupported").inc()
        if not self._within_limit(message):
            return
        try:
            incoming = self.to_incoming(message)
        except (MediaError, SpeechError) as exc:
            self.send(message, [Reply(kind="text", text=WORKER_TEXTS.say("voice_note_problem", reason=str(exc)))])
            return
        self.send(message, self.services.bot().handle(incoming))

    def _within_limit(self, message: InboundMessage) -> bool:
        """The citizen's messages per minute (shared through Redis when configured); one notice when over."""
        verdict = self.inbound_limit.check(self.services.vault.lookup_hash(message.wa_id), message.message_id,
                                           message.timestamp)
        if not verdict.allowed and verdict.tell_citizen:
            self.send(message, [Reply(kind="text", text=WORKER_TEXTS.say("slow_down"))])
        return verdict.allowed

    def to_incoming(self, message: InboundMessage) -> IncomingMessage:
        incoming = IncomingMessage(citizen_id=message.wa_id, message_id=message.message_id, channel="whatsapp")
        if message.type == "text":
            incoming.text = message.text or ""
        elif message.choice_id is not None:
            incoming.choice_id, incoming.text = message.choice_id, message.choice_title
        elif message.type == "audio":
            media = self.services.whatsapp.download_media(message.media_id, self.services.settings.max_audio_bytes)
            self._keep_audio(message, media)
            transcript = transcribe_bytes(self.services, media.content)
            incoming.text, incoming.transcript = transcript.text, transcript
        else:
            incoming.unsupported_type = message.type
        return incoming

    def _keep_audio(self, message: InboundMessage, media) -> None:
        """The raw note, until MITRA_RETENTION_AUDIO_DAYS (runtime/retention.py) or an erasure removes it."""
        from core.audio_store import AudioStore

        AudioStore(self.services.settings.audio_dir).save(self.services.vault.lookup_hash(message.wa_id),
                                                          message.message_id, media.content, media.mime_type)

    def send(self, message: InboundMessage, replies: list[Reply]) -> None:
        client = self.services.whatsapp
        if client is None:
            raise RuntimeError("WhatsApp is not configured (MITRA_WHATSAPP_PHONE_NUMBER_ID / ACCESS_TOKEN)")
        already_sent = self.services.inbox.sent_count(message.message_id)  # a retry after a crash mid-send
        for reply in replies:
            parts = _payload_count(message.wa_id, reply)
            if already_sent >= parts:
                already_sent -= parts
                continue
            if already_sent:  # part of this reply went out before: send only the rest
                rest = payloads.reply_payloads(message.wa_id, reply)[already_sent:]
                wamids = [client.send_payload(p) for p in rest]
                already_sent = 0
            else:
                wamids = client.send_reply(message.wa_id, reply)
            for wamid in wamids:
                self.services.inbox.record_sent(message.wa_id, wamid, message.message_id, reply.kind)
            metrics.MESSAGES_OUT.labels("whatsapp", reply.kind).inc()

    def _give_up(self, claimed: ClaimedMessage, error: str) -> None:
        self.services.inbox.mark_failed(claimed.row_id, error)
        try:
            self.send(claimed.message, [Reply(kind="text", text=WORKER_TEXTS.say("worker_apology"))])
        except Exception:
            log.exception("%s: could not send the apology for row %s", self.name, claimed.row_id)


def _payload_count(wa_id: str, reply: Reply) -> int:
    if reply.kind == "document" and reply.document is not None:
        return 1
    return len(payloads.reply_payloads(wa_id, reply))

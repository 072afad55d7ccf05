"""The durable inbox: store each WhatsApp message once (by its id) before answering the webhook, then let
workers claim rows atomically, in order per citizen, with a lock that expires if a worker dies."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from core.db import Delivery, InboxItem, Vault, utcnow
from whatsapp.webhook_payload import InboundMessage, StatusUpdate

OPEN = ("pending", "processing")
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass
class ClaimedMessage:
    row_id: int
    attempts: int
    message: InboundMessage


class Inbox:
    def __init__(self, session_factory: sessionmaker[Session], vault: Vault):
        self.sessions = session_factory
        self.vault = vault

    # -- receiving -------------------------------------------------------------------------------
    def store(self, message: InboundMessage) -> bool:
        """Store a message; False when its id was already stored (a redelivery or a replay)."""
        data = asdict(message)
        data.pop("raw", None)  # everything needed is parsed out; the raw JSON would only repeat it
        row = InboxItem(wa_message_id=message.message_id, citizen_hash=self.vault.lookup_hash(message.wa_id),
                        payload=self.vault.seal_json(data), status="pending", attempts=0)
        with self.sessions() as session:
            if session.scalar(select(InboxItem.id).where(InboxItem.wa_message_id == message.message_id)):
                return False
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # another request stored the same id a moment ago
                session.rollback()
                return False
        return True

    # -- claiming --------------------------------------------------------------------------------
    def claim_next(self, lock_seconds: float, citizen_hash: str | None = None) -> ClaimedMessage | None:
        """Take the oldest ready row whose citizen has no earlier open row; never the same row twice.

        `citizen_hash` limits the claim to one citizen (a queue task draining that citizen's messages).
        """
        now = utcnow()
        query = select(InboxItem.id).where(_ready(now), ~_waits_for_earlier())
        if citizen_hash is not None:
            query = query.where(InboxItem.citizen_hash == citizen_hash)
        with self.sessions() as session:
            candidates = session.scalars(query.order_by(InboxItem.id).limit(5)).all()
            for row_id in candidates:
                claimed = session.execute(
                    update(InboxItem).where(InboxItem.id == row_id, _ready(now))
                    .values(status="processing", locked_until=now + timedelta(seconds=lock_seconds),
                            attempts=InboxItem.attempts + 1)
                    .execution_options(synchronize_session=False)
                )
                session.commit()
                if claimed.rowcount == 1:
                    row = session.get(InboxItem, row_id)
                    session.refresh(row)
                    return ClaimedMessage(row.id, row.attempts,
                                          InboundMessage(**self.vault.open_json(row.payload)))
        return None

    def overlooked_citizens(self, waiting_s: float, limit: int = 1000) -> list[str]:
        """Citizens with a claimable message that no queue task may be coming for: a retry that is due, a
        claim whose worker died (lock expired), or a message waiting longer than `waiting_s` (its task was
        lost, e.g. the broker was down when the webhook stored it)."""
        now = utcnow()
        overlooked = or_(InboxItem.locked_until.is_not(None),
                         InboxItem.received_at <= now - timedelta(seconds=waiting_s))
        with self.sessions() as session:
            return list(session.scalars(
                select(InboxItem.citizen_hash).where(_ready(now), overlooked, ~_waits_for_earlier())
                .group_by(InboxItem.citizen_hash).order_by(func.min(InboxItem.id)).limit(limit)))

    def mark_done(self, row_id: int) -> None:
        self._set(row_id, status="done", processed_at=utcnow(), locked_until=None, error=None)

    def mark_failed(self, row_id: int, error: str) -> None:
        self._set(row_id, status="failed", processed_at=utcnow(), locked_until=None, error=error[:2000])

    def retry_later(self, row_id: int, error: str, delay_s: float) -> None:
        self._set(row_id, status="pending", locked_until=utcnow() + timedelta(seconds=delay_s),
                  error=error[:2000])

    def _set(self, row_id: int, **values) -> None:
        with self.sessions() as session:
            session.execute(update(InboxItem).where(InboxItem.id == row_id).values(**values)
                            .execution_options(synchronize_session=False))
            session.commit()

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            rows = session.execute(select(InboxItem.status, func.count()).group_by(InboxItem.status)).all()
        return {status: count for status, count in rows}

    # -- outbound bookkeeping --------------------------------------------------------------------
    def sent_count(self, in_reply_to: str) -> int:
        """How many messages already went out in answer to this inbound message (a retried row skips them)."""
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.in_reply_to == in_reply_to)) or 0

    def record_sent(self, wa_id: str, wamid: str, in_reply_to: str | None, kind: str) -> None:
        with self.sessions() as session:
            delivery = session.scalar(select(Delivery).where(Delivery.wa_message_id == wamid))
            if delivery is None:  # a status webhook may already have created it
                delivery = Delivery(wa_message_id=wamid, citizen_hash=self.vault.lookup_hash(wa_id),
                                    status="sent", status_history=[])
                session.add(delivery)
            delivery.in_reply_to, delivery.kind = in_reply_to, kind
            delivery.status_history = [*delivery.status_history, {"status": "sent", "at": utcnow().isoformat()}]
            session.commit()

    def record_status(self, update_: StatusUpdate) -> None:
        """sent/delivered/read/failed from WhatsApp; a late 'delivered' never hides an earlier 'read'."""
        with self.sessions() as session:
            delivery = session.scalar(select(Delivery).where(Delivery.wa_message_id == update_.message_id))
            if delivery is None:
                delivery = Delivery(wa_message_id=update_.message_id, kind="unknown", status="queued",
                                    citizen_hash=self.vault.lookup_hash(update_.recipient_id), status_history=[])
                session.add(delivery)
            entry = {"status": update_.status, "timestamp": update_.timestamp}
            if update_.errors:
                entry["errors"] = update_.errors
                delivery.error = "; ".join(str(e.get("title") or e.get("message") or e) for e in update_.errors)
            delivery.status_history = [*delivery.status_history, entry]
            if STATUS_RANK.get(update_.status, 0) >= STATUS_RANK.get(delivery.status, 0):
                delivery.status = update_.status
            try:
                session.commit()
            except IntegrityError:  # the worker recorded the same delivery at the same moment: apply again
                session.rollback()
                self.record_status(update_)


def _ready(now):
    return and_(InboxItem.status.in_(OPEN), or_(InboxItem.locked_until.is_(None), InboxItem.locked_until <= now))


def _waits_for_earlier():
    earlier = aliased(InboxItem)
    return exists().where(earlier.citizen_hash == InboxItem.citizen_hash, earlier.id < InboxItem.id,
                          earlier.status.in_(OPEN))

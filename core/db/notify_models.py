"""Notifications, consent, hand-offs and send pauses (issue 15). Numbers are never stored here in clear."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, utcnow


class Consent(Base):
    """What the citizen was told (the privacy notice) and what they allowed (notifications)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    notice_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    notice_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    notifications_off: Mapped[bool] = mapped_column(Boolean, default=False)
    muted_kinds: Mapped[list] = mapped_column(JSON, default=list)  # kinds turned off one by one
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    erase_asked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # awaiting "yes"


class Notification(Base):
    """One proactive message: recorded with the change that caused it (an outbox), then delivered."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64), default="")
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)  # the same event notifies once
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    # pending | sent | delivered | read | skipped | undeliverable | failed
    sent_as: Mapped[str | None] = mapped_column(String(16), nullable=True)  # text | template
    wa_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    error_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Handoff(Base):
    """A citizen waiting for (or talking to) a person."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="waiting", index=True)
    # waiting | answered | resolved | cancelled
    agent: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    first_answer_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SendPause(Base):
    """Meta asked us to slow down for our number (130429) or for one citizen (131056) until `until`."""

    __tablename__ = "send_pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(96), unique=True)  # number:<phone id> | citizen:<lookup hash>
    until: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(64), default="")

"""The analysts' tables: the review queue (with labels) and the audit log of analyst actions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, utcnow


class ReviewItem(Base):
    """A message an analyst should look at, or a labelled text imported from a file.

    Text and transcript are stored masked (Aadhaar and mobile numbers never reach the queue).
    `status`: open | labelled | skipped. A labelled item teaches the next model `label`
    (a service id, a meta intent or out_of_scope) for `corrected_text or text`.
    """

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), unique=True, nullable=True)
    conversation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(32), default="conversation")  # conversation | import:<file>
    text: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    intent: Mapped[str | None] = mapped_column(String(96), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    suggested_label: Mapped[str | None] = mapped_column(String(96), nullable=True)  # what the citizen picked
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    label: Mapped[str | None] = mapped_column(String(96), nullable=True)
    corrected_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    labelled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    labelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    """Who did what, when: every analyst action (label, skip, import, export, train, promote, rollback)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(32), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

"""The tables mitra keeps. Numbers that identify a citizen are never stored in clear (see crypto.Vault)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Citizen(Base):
    """One person, known by their WhatsApp number (or a web-chat session id)."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lookup_hash: Mapped[str] = mapped_column(String(64), unique=True)  # keyed hash of the number
    number_sealed: Mapped[str] = mapped_column(Text)  # the number, encrypted: needed to reply
    number_masked: Mapped[str] = mapped_column(String(32))  # for people reading the database
    channel: Mapped[str] = mapped_column(String(16), default="whatsapp")
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)  # explicit choice, if any
    # replies spoken too (bot/voice_replies.py); None until offered after the citizen's first voice note
    voice_replies: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    conversation: Mapped[Conversation | None] = relationship(back_populates="citizen", uselist=False)


class Conversation(Base):
    """The dialogue state of one citizen; `version` guards against two workers updating it at once."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(8), default="en")
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    citizen: Mapped[Citizen] = relationship(back_populates="conversation")

    __mapper_args__ = {"version_id_col": version}


class Message(Base):
    """Every message in and out, with personal numbers masked."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), nullable=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    wa_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # text, voice, choice, buttons, list, document, unsupported
    text: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str | None] = mapped_column(Text, nullable=True)
    route: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reply: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # outbound: the reply, to resend on replay
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class InboxItem(Base):
    """A received WhatsApp message, stored before the webhook answers 200 and processed by a worker."""

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wa_message_id: Mapped[str] = mapped_column(String(128), unique=True)
    citizen_hash: Mapped[str] = mapped_column(String(64), index=True)  # Vault.lookup_hash(wa_id)
    payload: Mapped[str] = mapped_column(Text)  # the message JSON, sealed with Vault.seal_json
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending|processing|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Delivery(Base):
    """An outbound message and what WhatsApp later said about it (sent, delivered, read, failed)."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wa_message_id: Mapped[str | None] = mapped_column(String(128), unique=True, nullable=True)
    citizen_hash: Mapped[str] = mapped_column(String(64), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued|sent|delivered|read|failed
    status_history: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Application(Base):
    """A submitted service request. `idempotency_key` is the message that confirmed it: replays add nothing."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # AP-REV-2026-000123
    service_id: Mapped[str] = mapped_column(String(96), index=True)
    department_code: Mapped[str] = mapped_column(String(8))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # masked values, safe to show
    fields_sealed: Mapped[str] = mapped_column(Text, default="")  # exact values, encrypted
    language: Mapped[str] = mapped_column(String(8), default="en")
    fee: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    status_history: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expected_by: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)

    certificate: Mapped[Certificate | None] = relationship(back_populates="application", uselist=False)


class ReferenceCounter(Base):
    """The last number given out per department and year, so references are short and sequential."""

    __tablename__ = "reference_counters"
    __table_args__ = (UniqueConstraint("department_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_code: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(Base):
    """The certificate register: a hash chain, each record sealing the one before it."""

    __tablename__ = "certificates"
    # two certificates can never claim the same predecessor: the chain cannot fork
    __table_args__ = (Index("uq_certificates_prev_hash", "prev_hash", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)  # carried in the signed token
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    service_id: Mapped[str] = mapped_column(String(96))
    service_name_en: Mapped[str] = mapped_column(String(200))
    service_name_te: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)

    application: Mapped[Application] = relationship(back_populates="certificate")

"""Tables for payments and bookings (issue 14).

The simulated department store keeps its inventory here (`dept_*`); the payment ledger keeps orders, gateway
events, paid subjects and staff flags (`payment_*`). Exactly-once rules live in the constraints: a seat number
is unique per service, free seats never go below zero, a gateway event or a paid bill is recorded once.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, utcnow


class Inventory(Base):
    """One bookable thing on one day: a bus service, a darshan or seva slot, a room type for a night."""

    __tablename__ = "dept_inventory"
    __table_args__ = (CheckConstraint("free >= 0 AND free <= capacity", name="ck_inventory_free"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # bus | darshan | seva | room
    day: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    free: Mapped[int] = mapped_column(Integer)
    price_paise: Mapped[int] = mapped_column(Integer)


class Hold(Base):
    """Seats or places kept for a citizen until they pay (held), then confirmed, released or cancelled."""

    __tablename__ = "dept_holds"
    __table_args__ = (UniqueConstraint("reference", "inventory_id", name="uq_hold_line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), index=True)  # one line per night of a stay
    inventory_id: Mapped[int] = mapped_column(ForeignKey("dept_inventory.id"))
    count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="held")  # held | confirmed | released | cancelled
    holder: Mapped[str] = mapped_column(String(64))  # an opaque citizen reference, never a number
    amount_paise: Mapped[int] = mapped_column(Integer)
    refund_paise: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Seat(Base):
    """A seat (or place) number taken by a hold; unique per inventory row, so no seat is sold twice."""

    __tablename__ = "dept_seats"
    __table_args__ = (UniqueConstraint("inventory_id", "seat_no", name="uq_seat_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inventory_id: Mapped[int] = mapped_column(ForeignKey("dept_inventory.id"))
    seat_no: Mapped[int] = mapped_column(Integer)
    hold_id: Mapped[int] = mapped_column(ForeignKey("dept_holds.id"))


class BillSettlement(Base):
    """A bill the department has been told is paid (kind + identifier + period, once)."""

    __tablename__ = "dept_bill_settlements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_key: Mapped[str] = mapped_column(String(160), unique=True)
    amount_paise: Mapped[int] = mapped_column(Integer)
    receipt: Mapped[str] = mapped_column(String(40))
    paid_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PaymentOrder(Base):
    """One thing a citizen is asked to pay, with the gateway link that collects it."""

    __tablename__ = "payment_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # the gateway's reference_id
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    service_id: Mapped[str] = mapped_column(String(80))
    subject_key: Mapped[str] = mapped_column(String(160))  # the bill or hold this pays for
    purpose: Mapped[str] = mapped_column(String(16))  # bill | booking | fee | amount
    amount_paise: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255))
    details: Mapped[dict] = mapped_column(JSON, default=dict)  # what the citizen saw (masked)
    language: Mapped[str] = mapped_column(String(8), default="en")
    gateway: Mapped[str] = mapped_column(String(16))
    link_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    short_url: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="created")  # created|paid|failed|expired|cancelled
    expire_by: Mapped[datetime] = mapped_column(DateTime)
    gateway_payment_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    document_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PaidSubject(Base):
    """A bill or hold that has been paid for: the unique key is what makes a second payment impossible."""

    __tablename__ = "payment_paid_subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(160), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_orders.id"))


class GatewayEvent(Base):
    """A gateway webhook event already acted on (a redelivery finds its id here and does nothing)."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    event: Mapped[str] = mapped_column(String(40))
    order_reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    outcome: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PaymentFlag(Base):
    """Something staff must look at: an amount or reference that did not match, a double payment to refund."""

    __tablename__ = "payment_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason: Mapped[str] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(default=False)


class CitizenBooking(Base):
    """A confirmed booking as mitra knows it, whichever department system holds it: for its reminder the day
    before (runtime/reminders.py) and for its cancellation. `starts_at` is UTC."""

    __tablename__ = "citizen_bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(96))
    what_en: Mapped[str] = mapped_column(String(255))
    what_te: Mapped[str] = mapped_column(String(255), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    status: Mapped[str] = mapped_column(String(12), default="confirmed")  # confirmed | cancelled
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

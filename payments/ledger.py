"""Payment orders and gateway events, exactly once.

- A bill or hold has at most one open link (asking again gives the same link) and is paid at most once
  (`payment_paid_subjects.subject_key` is unique); a second payment is flagged for a refund.
- An event is acted on once (`payment_events.event_id` is unique); a redelivered `payment_link.paid` finds
  its event, or its order already paid, and does nothing.
- The signature is checked on the raw body before anything is parsed; an amount or reference that does not
  match the order is refused and flagged for staff.
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from applications.documents import DocumentRegister
from catalog.schema import Bilingual
from core.db.commerce_models import CitizenBooking, GatewayEvent, PaidSubject, PaymentFlag, PaymentOrder
from core.db.models import utcnow
from core.india_time import from_india
from departments import Bill, DepartmentError, DepartmentUnavailable
from payments import documents as paid_documents
from payments import messages
from payments.gateway import Gateway, GatewayError, LinkRequest, signature_ok

log = logging.getLogger(__name__)

EVENTS = ("payment_link.paid", "payment_link.expired", "payment_link.cancelled", "payment.failed")
OPEN = ("created", "failed")  # a failed payment leaves the link payable
FULFIL = "fulfil"  # _paid's answer when the department is to be told once the payment is committed
TELL_LATER = "department_unavailable"  # a flag that tell_departments clears once the department has it


class AlreadyPaid(RuntimeError):
    """The bill or booking is already paid; nothing new is asked for."""


class BadSignature(ValueError):
    """The event was not signed with the webhook secret (refused with 401, nothing stored)."""


class BadEvent(ValueError):
    """The body is signed but not an event mitra understands (400 with the reason)."""


@dataclass(frozen=True)
class Payable:
    """What the citizen is asked to pay for, as shown before they pay."""

    service_id: str
    purpose: str  # bill | booking | amount
    subject_key: str  # bill key, "hold:<booking reference>" or a one-off key
    amount_paise: int
    description: str
    lines: tuple[tuple[str, str], ...]  # (label, value) shown to the citizen, masked
    contact: str = ""
    bill: Bill | None = None
    booking_reference: str | None = None
    expire_by: datetime | None = None  # a booking's link lasts as long as its hold
    description_te: str = ""  # printed next to the English on the receipt
    holder: str = ""  # the name on the document: a ticket's devotee or guest; a bill's consumer, masked by the department
    slip: dict | None = None  # a booking's ticket: kind, what_en, what_te, when (payments/documents.BookingSlip)


@dataclass(frozen=True)
class Order:
    reference: str
    citizen_id: int
    service_id: str
    purpose: str
    subject_key: str
    amount_paise: int
    description: str
    status: str
    short_url: str
    link_id: str
    expire_by: datetime
    language: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A message for a citizen caused by a gateway event (sent by the runtime, not from a conversation)."""

    citizen_id: int
    order_reference: str
    text: str
    document: str | None = None  # the reference of the receipt or ticket in the document register


@dataclass(frozen=True)
class EventResult:
    outcome: str  # recorded | duplicate | ignored | refused
    reason: str = ""
    notices: tuple[Notice, ...] = ()


def slip_kind(details: dict | None) -> str:
    """What a booking's paid document is called, "ticket" or "appointment", from its order's details (an order
    made before the kind was kept: a ticket)."""
    return ((details or {}).get("slip") or {}).get("kind", "ticket")


class PaymentLedger:
    def __init__(self, session_factory: sessionmaker[Session], gateway: Gateway, departments,
                 public_base_url: str, link_minutes: int = 20, clock: Callable[[], datetime] = utcnow,
                 documents: DocumentRegister | None = None):
        self.sessions = session_factory
        self.documents = documents
        self.gateway = gateway
        self.departments = departments
        self.public_base_url = public_base_url.rstrip("/")
        self.link_minutes = link_minutes
        self.clock = clock

    # ---------------------------------------------------------------- orders
    def open_order(self, citizen_id: int, payable: Payable, language: str) -> Order:
        """The open link for this subject, or a new one; AlreadyPaid when it is paid; GatewayError if down."""
        with self.sessions() as session:
            if session.scalar(select(PaidSubject.id).where(PaidSubject.subject_key == payable.subject_key)):
                raise AlreadyPaid(payable.subject_key)
            existing = session.scalar(select(PaymentOrder).where(
                PaymentOrder.subject_key == payable.subject_key, PaymentOrder.citizen_id == citizen_id,
                PaymentOrder.status.in_(OPEN), PaymentOrder.expire_by > self.clock()))
            if existing is not None:
                return _order(existing)
        return self._new_order(citizen_id, payable, language)

    def _new_order(self, citizen_id: int, payable: Payable, language: str) -> Order:
        reference = f"MP{self.clock():%y%m%d}{secrets.token_hex(4).upper()}"
        expire_by = payable.expire_by or self.clock() + timedelta(minutes=self.link_minutes)
        link = self.gateway.create_link(LinkRequest(reference, payable.amount_paise, payable.description,
                                                    payable.contact, expire_by))
        details = {"lines": [list(x) for x in payable.lines], "booking_reference": payable.booking_reference,
                   "contact": payable.contact, "bill": _bill_json(payable.bill),
                   "description_te": payable.description_te, "holder": payable.holder, "slip": payable.slip}
        with self.sessions.begin() as session:
            row = PaymentOrder(reference=reference, citizen_id=citizen_id, service_id=payable.service_id,
                               subject_key=payable.subject_key, purpose=payable.purpose,
                               amount_paise=payable.amount_paise, description=payable.description[:255],
                               details=details, language=language, gateway=self.gateway.name,
                               link_id=link.link_id, short_url=link.short_url, status="created", expire_by=expire_by,
                               created_at=self.clock())
            session.add(row)
        return _order(row)

    def renew(self, reference: str) -> Order:
        """A fresh link for an expired, cancelled or failed order (a new reference_id, the same subject)."""
        old = self.order(reference)
        if old is None:
            raise KeyError(reference)
        if old.status == "paid":
            raise AlreadyPaid(old.subject_key)
        with self.sessions.begin() as session:
            session.execute(update(PaymentOrder).where(PaymentOrder.reference == reference,
                                                       PaymentOrder.status.in_(OPEN))
                            .values(status="expired"))
        details = old.details
        payable = Payable(old.service_id, old.purpose, old.subject_key, old.amount_paise, old.description,
                          tuple(tuple(x) for x in details.get("lines", [])), contact=details.get("contact", ""),
                          bill=_bill_from(details.get("bill")),
                          booking_reference=details.get("booking_reference"),
                          description_te=details.get("description_te", ""), holder=details.get("holder", ""),
                          slip=details.get("slip"))
        return self.open_order(old.citizen_id, payable, old.language)

    def is_paid(self, subject_key: str) -> bool:
        """Whether the bill, hold or one-off subject (an application's fee: "once:<reference>") is paid."""
        with self.sessions() as session:
            return session.scalar(select(PaidSubject.id).where(PaidSubject.subject_key == subject_key)) is not None

    def order(self, reference: str) -> Order | None:
        with self.sessions() as session:
            row = session.scalar(select(PaymentOrder).where(PaymentOrder.reference == reference))
            return _order(row) if row else None

    def order_by_link(self, link_id: str) -> Order | None:
        with self.sessions() as session:
            row = session.scalar(select(PaymentOrder).where(PaymentOrder.link_id == link_id))
            return _order(row) if row else None

    def flags(self) -> list[tuple[str | None, str]]:
        with self.sessions() as session:
            return [(f.order_reference, f.reason) for f in session.scalars(select(PaymentFlag).order_by(PaymentFlag.id))]

    # ---------------------------------------------------------------- gateway events
    def handle_event(self, raw: bytes, signature: str | None, event_id: str | None = None) -> EventResult:
        if not signature_ok(raw, signature, self.gateway.webhook_secret):
            raise BadSignature("X-Razorpay-Signature does not match the body")
        try:
            event = json.loads(raw)
            name = event["event"]
            payload = event.get("payload") or {}
        except (ValueError, KeyError, TypeError) as exc:
            raise BadEvent(f"not a gateway event: {exc}") from exc
        if name not in EVENTS:
            return EventResult("ignored", f"event {name!r} is not one mitra acts on")
        event_id = event_id or hashlib.sha256(raw).hexdigest()
        link = (payload.get("payment_link") or {}).get("entity") or {}
        payment = (payload.get("payment") or {}).get("entity") or {}
        try:
            return self._act(name, event_id, link, payment)
        except IntegrityError:
            return EventResult("duplicate", "this event was already handled")

    def _act(self, name: str, event_id: str, link: dict, payment: dict) -> EventResult:
        with self.sessions.begin() as session:
            row = self._order_for(session, link, payment)
            session.add(GatewayEvent(event_id=event_id, event=name, order_reference=row.reference if row else None,
                                     outcome="received", received_at=self.clock()))
            session.flush()  # a redelivered event stops here (unique event_id)
            if row is None:
                self._flag(session, None, "unknown_reference", {"event": name, "link": link.get("id"),
                                                                 "reference_id": link.get("reference_id")})
                return EventResult("refused", "no payment order has this link or reference")
            problem = _mismatch(row, name, link, payment)
            if problem:
                self._flag(session, row.reference, problem, {"event": name, "link": link, "payment_id": payment.get("id")})
                return EventResult("refused", problem.replace("_", " "))
            if name == "payment_link.paid":
                notices = self._paid(session, row, payment)
            else:
                notices = self._not_paid(session, row, name, payment)
            reference = row.reference
        if notices == [FULFIL]:  # the department is told after the payment is committed
            notices = [self._fulfil(reference)]
        return EventResult("recorded", notices=tuple(n for n in notices if n))

    def _order_for(self, session: Session, link: dict, payment: dict) -> PaymentOrder | None:
        query = select(PaymentOrder).with_for_update()
        if link.get("id"):
            return session.scalar(query.where(PaymentOrder.link_id == link["id"]))
        reference = (payment.get("notes") or {}).get("mitra_reference")
        return session.scalar(query.where(PaymentOrder.reference == reference)) if reference else None

    def _paid(self, session: Session, row: PaymentOrder, payment: dict) -> list[Notice | None]:
        if row.status == "paid" or (payment.get("id") and row.gateway_payment_id == payment.get("id")):
            return []  # the same payment told again under another event id
        row.status, row.paid_at = "paid", self.clock()
        row.gateway_payment_id = payment.get("id") or f"link:{row.link_id}"
        try:
            with session.begin_nested():
                session.add(PaidSubject(subject_key=row.subject_key, order_id=row.id))
        except IntegrityError:
            row.status = "refund_due"
            self._flag(session, row.reference, "paid_twice", {"subject": row.subject_key})
            return [self._notice(row, "paid_twice")]
        return [FULFIL]

    def _fulfil(self, reference: str) -> Notice:
        """Tell the department (settle the bill, record the fee, confirm the hold); a department that is down is
        told later (`tell_departments`), one that refuses is flagged for staff."""
        with self.sessions() as session:
            row = session.scalar(select(PaymentOrder).where(PaymentOrder.reference == reference))
        details = row.details or {}
        try:
            if row.purpose == "booking":
                booking = self.departments.confirm(details["booking_reference"])
                self.record_booking(row.citizen_id, row.service_id, booking, details.get("slip") or {})
                return self._document_notice(row, booking)
            self._tell_department(row)
        except DepartmentError as exc:
            later = isinstance(exc, DepartmentUnavailable) and row.purpose != "booking"  # a hold lapses meanwhile
            log.warning("payment %s recorded but the department did not take it: %s", row.reference, exc)
            with self.sessions.begin() as session:
                self._flag(session, row.reference, TELL_LATER if later else "department_refused_after_payment",
                           {"error": str(exc)})
                if row.purpose == "booking":
                    session.execute(update(PaymentOrder).where(PaymentOrder.id == row.id).values(status="refund_due"))
            if row.purpose == "booking":
                return self._notice(row, "hold_lapsed_paid")
        return self._document_notice(row, None)

    def _tell_department(self, row: PaymentOrder) -> None:
        """A paid bill or fee reaches the department; both calls are idempotent, so telling twice is safe."""
        details = row.details or {}
        if row.purpose == "bill" and details.get("bill"):
            self.departments.settle_bill(_bill_from(details["bill"]), row.reference)
        elif row.purpose == "fee":  # the office's time starts at the payment (departments/openapi.yaml)
            self.departments.fee_paid(_application_of(row.subject_key), row.reference, row.paid_at)

    def tell_departments(self, limit: int = 50) -> int:
        """Tell departments of the bills and fees paid while they were down (the worker's schedule calls this);
        returns how many were told. A department that refuses now is left to staff."""
        with self.sessions() as session:
            waiting = list(session.execute(select(PaymentFlag.id, PaymentOrder).join(
                PaymentOrder, PaymentOrder.reference == PaymentFlag.order_reference).where(
                PaymentFlag.reason == TELL_LATER, PaymentFlag.resolved.is_(False)).order_by(PaymentFlag.id)
                .limit(limit)))
        told = 0
        for flag_id, row in waiting:
            refused = None
            try:
                self._tell_department(row)
                told += 1
            except DepartmentUnavailable:
                break  # still down: the next round tries again
            except DepartmentError as exc:
                refused = exc
            with self.sessions.begin() as session:  # one transaction: a crash here cannot flag a refusal twice
                if refused is not None:
                    self._flag(session, row.reference, "department_refused_after_payment", {"error": str(refused)})
                session.execute(update(PaymentFlag).where(PaymentFlag.id == flag_id).values(resolved=True))
        return told

    def _document_notice(self, row: PaymentOrder, booking) -> Notice:
        t, amount = row.language, messages.rupees(row.amount_paise)
        if booking is not None:
            counted, places = _places(row.details or {}, booking)
            text = messages.say(f"paid_{slip_kind(row.details)}", t, amount=amount, booking=booking.reference, places=places,
                                counted=Bilingual(en=paid_documents.COUNTED[counted][0].lower(),
                                                  te=paid_documents.COUNTED[counted][1]))
            document = self.issue_ticket(row.details or {}, booking)
        else:
            what = (row.details or {}).get("description_te") if t.startswith("te") else ""
            text = messages.say("paid_receipt", t, amount=amount, what=what or row.description,
                                reference=row.reference)
            document = self._issue_receipt(row)
        return Notice(row.citizen_id, row.reference, text, document)

    def _issue_receipt(self, row: PaymentOrder) -> str | None:
        details = row.details or {}
        facts = paid_documents.receipt(
            row.reference, details.get("holder") or _masked_contact(details.get("contact", "")), row.description,
            details.get("description_te", ""), row.amount_paise, row.paid_at,
            [tuple(x) for x in details.get("lines", [])], row.gateway_payment_id or "")
        return self._issue(facts)

    def issue_ticket(self, details: dict, booking) -> str | None:
        """The e-ticket or appointment slip of a confirmed booking (its reference in the register)."""
        slip = details.get("slip") or {}
        counted, places = _places(details, booking)
        facts = paid_documents.booking(paid_documents.BookingSlip(
            booking.reference, slip.get("kind", "ticket"), slip.get("what_en", ""), slip.get("what_te", ""),
            slip.get("when", ""), places, booking.amount_paise,
            details.get("holder") or _masked_contact(details.get("contact", "")), counted), self.clock())
        return self._issue(facts)

    def record_booking(self, citizen_id: int, service_id: str, booking, slip: dict) -> None:
        """Remember a confirmed booking for its reminder (once per reference; a replay changes nothing)."""
        starts = slip.get("starts")
        if not starts:
            return
        starts_at = from_india(datetime.fromisoformat(starts))  # the department's times are India time
        try:
            with self.sessions.begin() as session:
                if session.scalar(select(CitizenBooking.id).where(CitizenBooking.reference == booking.reference)):
                    return
                session.add(CitizenBooking(reference=booking.reference, citizen_id=citizen_id, service_id=service_id,
                                           what_en=paid_documents.plain(slip.get("what_en", ""))[:255],
                                           what_te=slip.get("what_te", "")[:255], starts_at=starts_at,
                                           status="confirmed", created_at=self.clock()))
        except IntegrityError:
            pass  # recorded a moment ago by a redelivered event

    def citizen_booking(self, reference: str) -> CitizenBooking | None:
        """A confirmed (or since cancelled) booking by its number, whoever made it."""
        with self.sessions() as session:
            return session.scalar(select(CitizenBooking).where(CitizenBooking.reference == reference))

    def citizen_bookings(self, citizen_id: int, since: datetime, limit: int = 5) -> list[CitizenBooking]:
        """A citizen's bookings that start at or after `since`, soonest first (cancelled ones too)."""
        with self.sessions() as session:
            return list(session.scalars(select(CitizenBooking).where(
                CitizenBooking.citizen_id == citizen_id, CitizenBooking.starts_at >= since)
                .order_by(CitizenBooking.starts_at, CitizenBooking.id).limit(limit)))

    def booking_cancelled(self, reference: str) -> None:
        with self.sessions.begin() as session:
            session.execute(update(CitizenBooking).where(CitizenBooking.reference == reference)
                            .values(status="cancelled"))

    def _issue(self, facts) -> str | None:
        if self.documents is None:
            return None
        for attempt in range(5):  # two documents issued at once race for the chain's head (unique prev_hash)
            try:
                with self.sessions.begin() as session:
                    return self.documents.issue(session, facts).reference
            except IntegrityError:
                if attempt == 4:
                    raise
        return None

    def _not_paid(self, session: Session, row: PaymentOrder, name: str, payment: dict) -> list[Notice | None]:
        if row.status not in OPEN:
            return []  # already paid, expired or cancelled: a late event changes nothing
        if name == "payment.failed":
            row.status = "failed"
            why = (payment.get("error_description") or "declined").rstrip(".")
            return [Notice(row.citizen_id, row.reference,
                           messages.say("payment_failed", row.language, why=why, url=row.short_url))]
        row.status = "expired" if name == "payment_link.expired" else "cancelled"
        return [self._notice(row, "link_expired" if row.status == "expired" else "link_cancelled")]

    def _notice(self, row: PaymentOrder, key: str) -> Notice:
        return Notice(row.citizen_id, row.reference, messages.say(key, row.language, amount=messages.rupees(
            row.amount_paise), reference=row.reference))

    def _flag(self, session: Session, reference: str | None, reason: str, details: dict) -> None:
        log.warning("payment flagged for staff: %s %s", reference, reason)
        session.add(PaymentFlag(order_reference=reference, reason=reason, details=json.dumps(details, default=str),
                                created_at=self.clock(), resolved=False))

    def mark_document_sent(self, reference: str) -> bool:
        """True once per order: the receipt or ticket goes out at most once."""
        with self.sessions.begin() as session:
            done = session.execute(update(PaymentOrder).where(PaymentOrder.reference == reference,
                                                              PaymentOrder.document_sent_at.is_(None))
                                   .values(document_sent_at=self.clock()))
            return done.rowcount == 1

    def simulate(self, link_id: str, action: str) -> EventResult:
        """The simulated pay page's buttons: the same signed event Razorpay would send, through handle_event."""
        order = self.order_by_link(link_id)
        if order is None or not hasattr(self.gateway, "event"):
            raise KeyError(link_id)
        body, signature, event_id = self.gateway.event(action, link_id, order.reference, order.amount_paise)
        return self.handle_event(body, signature, event_id)


def _mismatch(row: PaymentOrder, name: str, link: dict, payment: dict) -> str:
    if link and link.get("reference_id") not in (None, row.reference):
        return "reference_mismatch"
    if name == "payment_link.paid":
        paid = link.get("amount_paid", payment.get("amount"))
        if paid != row.amount_paise or (payment and payment.get("amount") != row.amount_paise):
            return "amount_mismatch"
        if (link.get("currency") or payment.get("currency") or "INR") != "INR":
            return "currency_mismatch"
    return ""


def _order(row: PaymentOrder) -> Order:
    return Order(row.reference, row.citizen_id, row.service_id, row.purpose, row.subject_key, row.amount_paise,
                 row.description, row.status, row.short_url or "", row.link_id or "", row.expire_by, row.language,
                 dict(row.details or {}))


def _masked_contact(contact: str) -> str:
    digits = "".join(ch for ch in contact if ch.isdigit())
    return f"+91 ******{digits[-4:]}" if len(digits) >= 10 else "-"


def _bill_json(bill: Bill | None) -> dict | None:
    if bill is None:
        return None
    return {"kind": bill.kind, "identifier": bill.identifier, "consumer": bill.consumer_masked, "period": bill.period,
            "amount_paise": bill.amount_paise, "due": bill.due_date.isoformat(), "office": bill.office}


def once_subject(reference: str) -> str:
    """What a one-off amount (a donation, an application's fee) is paid for: once per application."""
    return f"once:{reference}"


def _application_of(subject_key: str) -> str:
    return subject_key.removeprefix("once:")


def _bill_from(data: dict | None) -> Bill | None:
    if not data:
        return None
    return Bill(data["kind"], data["identifier"], data["consumer"], data["period"], data["amount_paise"],
                date.fromisoformat(data["due"]), False, data.get("office", ""))


def _places(details: dict, booking) -> tuple[str, str]:
    """(what the booking counts, the seat or room numbers or the count of persons). A slip written before it
    said what it counts: a ticket counts seats, an appointment persons."""
    slip = details.get("slip") or {}
    counted = slip.get("counted") or ("seats" if slip.get("kind", "ticket") == "ticket" else "persons")
    numbered = counted in ("seats", "rooms") and booking.seats
    return counted, (", ".join(map(str, booking.seats)) if numbered else str(booking.count)) or "-"


__all__ = ["AlreadyPaid", "BadEvent", "BadSignature", "EventResult", "GatewayError", "Notice", "Order", "Payable",
           "PaymentLedger", "once_subject"]

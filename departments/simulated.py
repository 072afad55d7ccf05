"""The embedded department store: deterministic seeded bills and timetables, inventory in mitra's database.

Seats are taken with one conditional UPDATE (`free = free - n WHERE free >= n`) and numbered under a unique
constraint, so neither capacity nor a seat can be sold twice whatever the number of workers; holds that
were not paid in time go back on sale.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.db.commerce_models import BillSettlement, Hold, Inventory, Seat
from core.db.models import utcnow
from core.india_time import from_india, india_today
from departments import schedule
from departments.applications import ApplicationBook, ApplicationRequest, ApplicationStatus
from departments.identifiers import check_identifier
from departments.refunds import refund_paise
from departments.statuses import DepartmentStatus, StatusQuery, seeded_status
from departments.types import (
    AlreadySettled,
    Bill,
    Booking,
    HoldExpired,
    HoldResult,
    Offer,
    Settlement,
    SoldOut,
    UnknownIdentifier,
)

LOCK_RETRIES = 8  # SQLite answers "database is locked" when a read turns into a write under contention


class SimulatedDepartments:
    def __init__(self, session_factory: sessionmaker[Session], seed: str = schedule.DEFAULT_SEED,
                 clock: Callable[[], datetime] = utcnow):
        self.sessions = session_factory
        self.seed = seed
        self.clock = clock
        self.applications = ApplicationBook(session_factory)

    # ---------------------------------------------------------------- bills
    def lookup_bill(self, kind: str, identifier: str) -> Bill:
        if kind not in schedule.BILL_KINDS:
            raise UnknownIdentifier(f"no bills of kind {kind!r}")
        value = check_identifier(kind, identifier)
        period, due = schedule.bill_period(kind, india_today(self.clock()))
        amount, consumer, office = schedule.bill_figures(self.seed, kind, value, period)
        bill = Bill(kind, value, consumer, period, amount, due, False, office)
        with self.sessions() as session:
            paid = session.scalar(select(BillSettlement.id).where(BillSettlement.bill_key == bill.bill_key))
        return Bill(kind, value, consumer, period, amount, due, paid is not None, office)

    def settle_bill(self, bill: Bill, receipt: str) -> Settlement:
        try:
            with self.sessions.begin() as session:
                session.add(BillSettlement(bill_key=bill.bill_key, amount_paise=bill.amount_paise, receipt=receipt,
                                           paid_at=self.clock()))
        except IntegrityError as exc:
            with self.sessions() as session:
                earlier = session.scalar(select(BillSettlement).where(BillSettlement.bill_key == bill.bill_key))
            if earlier is None or earlier.receipt != receipt:
                raise AlreadySettled(f"{bill.bill_key} is already paid") from exc
            return Settlement(bill.bill_key, receipt, earlier.amount_paise)  # the same payment told again
        return Settlement(bill.bill_key, receipt, bill.amount_paise)

    # ---------------------------------------------------------------- availability
    def search_buses(self, from_town: str, to_town: str, day: date) -> list[Offer]:
        if from_town == to_town:
            return []
        offers = []
        for d in schedule.bus_departures(self.seed, from_town, to_town):
            key = f"bus:{from_town}:{to_town}:{day.isoformat()}:{d.service_no}:{d.departs.replace(':', '')}"
            title = f"{d.departs} {from_town.title()} → {to_town.title()} · {d.bus.name} · {d.service_no}"
            offers.append(Offer(key, "bus", day, title, d.departs, d.bus.code, d.fare_paise, d.bus.seats,
                                d.bus.seats, d.arrives))
        return self._with_free(offers)

    def search_slots(self, temple: str, day: date, kind: str, category: str) -> list[Offer]:
        if kind == "darshan":
            price, capacity = schedule.DARSHAN[category]
            offers = [Offer(f"darshan:{temple}:{day.isoformat()}:{category}:{t.replace(':', '')}", "darshan", day,
                            f"{t} {category} darshan · {temple}", t, category, price, capacity, capacity)
                      for t in schedule.DARSHAN_TIMES]
        elif kind == "seva":
            price, starts, capacity = schedule.SEVA[category]
            offers = [Offer(f"seva:{temple}:{day.isoformat()}:{category}:{starts.replace(':', '')}", "seva", day,
                            f"{starts} {category} · {temple}", starts, category, price, capacity, capacity)]
        elif kind in schedule.SLOTS:
            slot, place = schedule.SLOTS[kind], _slug(temple)
            offers = [Offer(f"{kind}:{place}:{day.isoformat()}:{_slug(category)}:{t.replace(':', '')}", kind, day,
                            f"{t} {slot.name} · {temple}", t, category, slot.price_paise, slot.capacity,
                            slot.capacity) for t in slot.times]
        else:
            raise UnknownIdentifier(f"no slots of kind {kind!r}")
        return self._with_free(offers)

    def search_rooms(self, temple: str, day: date, nights: int, room_type: str) -> list[Offer]:
        """One offer per night of the stay (all must be free to book the stay)."""
        price, rooms = schedule.ROOMS[room_type]
        offers = [Offer(f"room:{temple}:{(day + timedelta(days=n)).isoformat()}:{room_type}:1200", "room",
                        day + timedelta(days=n), f"{room_type} room · {temple} · night of {day + timedelta(days=n)}",
                        "12:00", room_type, price, rooms, rooms) for n in range(nights)]
        return self._with_free(offers)

    def _with_free(self, offers: list[Offer]) -> list[Offer]:
        self._ensure_inventory(offers)
        with self.sessions() as session:
            free = dict(session.execute(select(Inventory.resource_key, Inventory.free)
                                        .where(Inventory.resource_key.in_([o.resource_key for o in offers]))).all())
        return [Offer(o.resource_key, o.kind, o.day, o.title, o.starts, o.category, o.price_paise, o.capacity,
                      free.get(o.resource_key, o.capacity), o.ends) for o in offers]

    def _ensure_inventory(self, offers: Iterable[Offer]) -> None:
        for offer in offers:
            with self.sessions() as session:
                if session.scalar(select(Inventory.id).where(Inventory.resource_key == offer.resource_key)):
                    continue
            try:
                with self.sessions.begin() as session:
                    session.add(Inventory(resource_key=offer.resource_key, kind=offer.kind, day=offer.day,
                                          capacity=offer.capacity, free=offer.capacity, price_paise=offer.price_paise))
            except IntegrityError:
                pass  # another worker created the same row first

    def seed_days(self, towns: list[str], temples: list[str], start: date, days: int) -> int:
        """Create the inventory rows for the next `days` days (what `mitra departments seed` does)."""
        made = 0
        for n in range(days):
            day = start + timedelta(days=n)
            for a in towns:
                for b in towns:
                    if a != b:
                        made += len(self.search_buses(a, b, day))
            for temple in temples:
                for category in schedule.DARSHAN:
                    made += len(self.search_slots(temple, day, "darshan", category))
                for category in schedule.SEVA:
                    made += len(self.search_slots(temple, day, "seva", category))
                for room_type in schedule.ROOMS:
                    made += len(self.search_rooms(temple, day, 1, room_type))
        return made

    # ---------------------------------------------------------------- holds and bookings
    def hold(self, resource_keys: list[str], count: int, holder: str, minutes: int) -> HoldResult:
        """Keep `count` seats on every one of `resource_keys` (all or none) for `minutes`."""
        if count < 1:
            raise SoldOut("at least one seat or place is needed")
        self.release_expired(self.clock())
        return _retry_locked(lambda: self._hold_once(resource_keys, count, holder, minutes))

    def _hold_once(self, resource_keys: list[str], count: int, holder: str, minutes: int) -> HoldResult:
        reference = "BK" + secrets.token_hex(5).upper()
        expires = self.clock() + timedelta(minutes=minutes)
        seats: list[int] = []
        total = 0
        with self.sessions.begin() as session:
            for key in resource_keys:
                taken = session.execute(update(Inventory).where(Inventory.resource_key == key,
                                                                Inventory.free >= count)
                                        .values(free=Inventory.free - count))
                if taken.rowcount != 1:
                    raise SoldOut(f"fewer than {count} free on {key}")
                item = session.scalar(select(Inventory).where(Inventory.resource_key == key))
                hold = Hold(reference=reference, inventory_id=item.id, count=count, status="held", holder=holder,
                            amount_paise=item.price_paise * count, refund_paise=0, expires_at=expires)
                session.add(hold)
                session.flush()
                numbers = _lowest_free_seats(session, item, count)
                session.add_all(Seat(inventory_id=item.id, seat_no=n, hold_id=hold.id) for n in numbers)
                session.flush()  # the unique (inventory, seat) constraint is the last word
                if not seats:
                    seats = numbers
                total += hold.amount_paise
        return HoldResult(reference, resource_keys[0], count, tuple(seats), total, expires)

    def confirm(self, reference: str) -> Booking:
        def once() -> None:
            with self.sessions.begin() as session:
                lines = session.scalars(select(Hold).where(Hold.reference == reference)).all()
                if not lines:
                    raise UnknownIdentifier(f"no booking {reference}")
                if all(h.status == "confirmed" for h in lines):
                    return
                now = self.clock()
                done = session.execute(update(Hold).where(Hold.reference == reference, Hold.status == "held",
                                                          Hold.expires_at >= now).values(status="confirmed"))
                if done.rowcount != len(lines):
                    raise HoldExpired(f"booking {reference} is no longer held")
        _retry_locked(once)
        return self.booking(reference)

    def cancel(self, reference: str, now: datetime) -> Booking:
        def once() -> None:
            with self.sessions.begin() as session:
                lines = session.scalars(select(Hold).where(Hold.reference == reference)).all()
                if not lines:
                    raise UnknownIdentifier(f"no booking {reference}")
                for hold in lines:
                    if hold.status not in ("held", "confirmed"):
                        continue
                    item = session.get(Inventory, hold.inventory_id)
                    refund = refund_paise(hold.amount_paise, _starts_at(item), now) if hold.status == "confirmed" else 0
                    self._give_back(session, hold, "cancelled")
                    hold.refund_paise = refund
        _retry_locked(once)
        return self.booking(reference)

    def release_expired(self, now: datetime) -> int:
        def once() -> int:
            released = 0
            with self.sessions.begin() as session:
                for hold in session.scalars(select(Hold).where(Hold.status == "held", Hold.expires_at < now)):
                    released += self._give_back(session, hold, "released")
            return released
        return _retry_locked(once)

    def _give_back(self, session: Session, hold: Hold, status: str) -> int:
        changed = session.execute(update(Hold).where(Hold.id == hold.id, Hold.status == hold.status)
                                  .values(status=status, updated_at=self.clock()))
        if changed.rowcount != 1:
            return 0  # another worker released it first
        session.execute(update(Inventory).where(Inventory.id == hold.inventory_id)
                        .values(free=Inventory.free + hold.count))
        session.execute(delete(Seat).where(Seat.hold_id == hold.id))
        return 1

    def booking(self, reference: str) -> Booking | None:
        with self.sessions() as session:
            rows = session.execute(select(Hold, Inventory).join(Inventory, Inventory.id == Hold.inventory_id)
                                   .where(Hold.reference == reference).order_by(Hold.id)).all()
            if not rows:
                return None
            first, item = rows[0]
            seats = tuple(session.scalars(select(Seat.seat_no).where(Seat.hold_id == first.id)
                                          .order_by(Seat.seat_no)))
            status = "confirmed" if all(h.status == "confirmed" for h, _ in rows) else first.status
            return Booking(reference, item.resource_key, status, first.count, seats,
                           sum(h.amount_paise for h, _ in rows), sum(h.refund_paise for h, _ in rows),
                           first.expires_at)

    # ---------------------------------------------------------------- applications
    def submit_application(self, request: ApplicationRequest) -> str:
        return self.applications.submit(request)

    def application_status(self, reference: str) -> ApplicationStatus | None:
        return self.applications.status(reference)

    def fee_paid(self, reference: str, receipt: str, paid_at: datetime) -> ApplicationStatus:
        return self.applications.fee_paid(reference, receipt, paid_at)

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus:
        """A status by the department's own identifier, from seeded data (departments/statuses.py)."""
        return seeded_status(self.seed, query, india_today(self.clock()))

    def free_seats(self, resource_key: str) -> int:
        with self.sessions() as session:
            return session.scalar(select(Inventory.free).where(Inventory.resource_key == resource_key))


def _slug(text: str) -> str:
    """A place or category as typed by a citizen, made safe and short for a resource key."""
    return "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower())[:32] or "-"


def _lowest_free_seats(session: Session, item: Inventory, count: int) -> list[int]:
    taken = set(session.scalars(select(Seat.seat_no).where(Seat.inventory_id == item.id)))
    return [n for n in range(1, item.capacity + 1) if n not in taken][:count]


def _starts_at(item: Inventory) -> datetime:
    """The start in UTC (the timetable is India time; `now` is UTC everywhere)."""
    hhmm = item.resource_key.rsplit(":", 1)[-1]
    local = datetime.combine(item.day, datetime.min.time()).replace(hour=int(hhmm[:2]), minute=int(hhmm[2:]))
    return from_india(local)


def _retry_locked(action):
    for attempt in range(LOCK_RETRIES):
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
        except IntegrityError:
            if attempt == LOCK_RETRIES - 1:
                raise
    raise RuntimeError("unreachable")

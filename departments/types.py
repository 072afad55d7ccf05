"""What department systems answer: bills, buses, slots, holds and bookings (frozen records, amounts in paise)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class DepartmentError(RuntimeError):
    """The department said no to this request (a clear reason the citizen can be told)."""


class DepartmentUnavailable(DepartmentError):
    """The department system could not be reached or kept failing; try again later, nothing was lost."""


class UnknownIdentifier(DepartmentError):
    """No bill, booking or application is known under this identifier."""


class SoldOut(DepartmentError):
    """Fewer free seats or places than asked for."""


class HoldExpired(DepartmentError):
    """The hold ran out (its seats went back on sale) or was cancelled before it was confirmed."""


class AlreadySettled(DepartmentError):
    """The bill was already paid."""


@dataclass(frozen=True)
class Bill:
    kind: str  # electricity | property_tax | water_tax | vacant_land_tax | house_tax | e_challan | professional_tax
    identifier: str
    consumer_masked: str
    period: str  # e.g. "2026-11" (month) or "2026-27 H1" (half year)
    amount_paise: int
    due_date: date
    paid: bool
    office: str = ""  # the section / municipality / police station the bill belongs to

    @property
    def bill_key(self) -> str:
        return f"{self.kind}:{self.identifier}:{self.period}"


@dataclass(frozen=True)
class Offer:
    """Something bookable on a day: a bus service, a darshan/seva slot or a room type for a night."""

    resource_key: str
    kind: str  # bus | darshan | seva | room
    day: date
    title: str  # "07:30 Vijayawada → Tirupati · Super Luxury · 3471" (English, for staff and logs)
    starts: str  # "07:30"
    category: str  # service type, darshan type, seva or room type
    price_paise: int  # per seat / person / room-night
    capacity: int
    free: int
    ends: str = ""  # arrival time for a bus


@dataclass(frozen=True)
class HoldResult:
    reference: str
    resource_key: str
    count: int
    seats: tuple[int, ...]
    amount_paise: int
    expires_at: datetime


@dataclass(frozen=True)
class Booking:
    reference: str
    resource_key: str
    status: str  # held | confirmed | released | cancelled
    count: int
    seats: tuple[int, ...]
    amount_paise: int
    refund_paise: int
    expires_at: datetime
    offer: Offer | None = None


@dataclass(frozen=True)
class Settlement:
    bill_key: str
    receipt: str
    amount_paise: int

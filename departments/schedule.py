"""Deterministic seeded department data: the same seed, identifier and day always give the same answer.

Bills: any well-formed identifier has a bill (amount, period, due date, a consumer name shown masked).
Buses: every pair of gazetteer towns has a day's timetable (departures, service types, fares by distance).
Temples: darshan and seva slots with capacity; rooms by night.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_SEED = "mitra-departments-2026"

BILL_KINDS = {  # kind: (smallest, largest amount in rupees, months per period)
    "electricity": (120, 4200, 1), "water_tax": (150, 900, 3), "property_tax": (600, 14000, 6),
    "vacant_land_tax": (400, 9000, 6), "house_tax": (100, 2400, 12), "e_challan": (100, 2000, 0),
    "professional_tax": (150, 2500, 6),
}
CONSUMER_NAMES = ("Sai Kumar Reddy", "Lakshmi Devi", "Venkata Ramana", "Padmavathi", "Srinivasa Rao",
                  "Naga Lakshmi", "Ravi Teja", "Anjali Kumari", "Suresh Babu", "Durga Prasad")
OFFICES = ("Section 1", "Section 2", "Section 3", "Ward office", "Circle office")


@dataclass(frozen=True)
class BusType:
    code: str  # matches the catalog's bus_type choices
    name: str
    paise_per_km: int
    seats: int
    km_per_hour: int


BUS_TYPES = (BusType("express", "Express", 110, 52, 45), BusType("super_luxury", "Super Luxury", 150, 36, 50),
             BusType("ac", "Indra AC", 200, 40, 55))
DARSHAN = {"free": (0, 400), "special_entry": (30000, 150), "quick": (50000, 60)}  # price paise, per slot
DARSHAN_TIMES = ("06:00", "09:00", "12:00", "15:00", "18:00")
SEVA = {"abhishekam": (75000, "05:30", 40), "kalyanam": (100000, "10:00", 60), "kumkumarchana": (20000, "08:00", 80),
        "vratham": (50000, "07:00", 100), "archana": (10000, "11:00", 120)}
ROOMS = {"non_ac": (50000, 30), "ac": (100000, 20), "cottage": (250000, 8),  # paise per night, rooms
         "haritha": (180000, 25)}  # an APTDC Haritha hotel room


@dataclass(frozen=True)
class SlotKind:
    """Appointments and other places bookable by time: price per person, start times, places per time."""

    name: str  # what the citizen's slip says
    price_paise: int
    times: tuple[str, ...]
    capacity: int


def _hours(first: int, last: int, step_min: int = 60) -> tuple[str, ...]:
    return tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(first * 60, last * 60 + 1, step_min))


SLOTS = {  # kind: what the department offers at a place on a day (capacity per time and category)
    "secretariat": SlotKind("Secretariat appointment", 0, _hours(10, 16), 6),
    "aadhaar": SlotKind("Aadhaar enrolment or update", 0, _hours(10, 16, 30), 4),  # one Aadhaar kit per secretariat
    "op": SlotKind("OP appointment", 0, _hours(9, 13, 30), 20),
    "registration": SlotKind("Sub-registrar slot", 0, _hours(10, 17, 30), 3),
    "llr_test": SlotKind("LLR test slot", 20000, _hours(9, 16), 25),
    "dl_test": SlotKind("Driving test slot", 100000, _hours(9, 15), 12),
    "job_mela": SlotKind("Job mela", 0, ("10:00",), 300),
    "vet_visit": SlotKind("Veterinary visit", 0, ("08:00", "14:00"), 5),
    "seed_collection": SlotKind("Seed collection at the RBK", 0, ("09:00", "15:00"), 40),
    "tour": SlotKind("APTDC tour", 150000, ("07:00",), 40),
    "boating": SlotKind("Boating", 60000, ("09:00", "11:00", "13:00", "15:00"), 30),
    "sports": SlotKind("Sports facility hour", 20000, _hours(6, 20), 2),
}


def number(seed: str, *parts: object) -> int:
    """A stable pseudo-random number for these parts."""
    text = "|".join([seed, *map(str, parts)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def mask_name(name: str) -> str:
    return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split())


def bill_period(kind: str, today: date) -> tuple[str, date]:
    """The period the latest bill covers and its due date."""
    months = BILL_KINDS[kind][2]
    if months == 0:  # a challan is one offence, due 60 days after it was issued
        return "challan", today + timedelta(days=15)
    last_month = (today.replace(day=1) - timedelta(days=1))
    if months == 1:
        return f"{last_month:%Y-%m}", today.replace(day=1) + timedelta(days=14)
    start = (last_month.month - 1) // months * months + 1
    return f"{last_month.year}-{start:02d}+{months}m", today.replace(day=1) + timedelta(days=27)


def bill_figures(seed: str, kind: str, identifier: str, period: str) -> tuple[int, str, str]:
    low, high, _ = BILL_KINDS[kind]
    rupees = low + number(seed, kind, identifier, period) % (high - low)
    name = CONSUMER_NAMES[number(seed, "name", identifier) % len(CONSUMER_NAMES)]
    office = OFFICES[number(seed, "office", identifier) % len(OFFICES)]
    return rupees * 100, mask_name(name), office


def distance_km(seed: str, from_town: str, to_town: str) -> int:
    pair = "|".join(sorted((from_town, to_town)))
    return 40 + number(seed, "km", pair) % 560


@dataclass(frozen=True)
class Departure:
    service_no: str
    bus: BusType
    departs: str
    arrives: str
    fare_paise: int


def bus_departures(seed: str, from_town: str, to_town: str) -> list[Departure]:
    """The day's timetable between two towns: 6 to 11 services, sorted by departure."""
    km = distance_km(seed, from_town, to_town)
    count = 6 + number(seed, "count", from_town, to_town) % 6
    departures = []
    for i in range(count):
        bus = BUS_TYPES[number(seed, "type", from_town, to_town, i) % len(BUS_TYPES)]
        minutes = (300 + i * (1140 // count) + number(seed, "minute", from_town, to_town, i) % 45) // 5 * 5
        travel = km * 60 // bus.km_per_hour
        arrive = (minutes + travel) % 1440
        service_no = f"{1000 + number(seed, 'no', from_town, to_town, i) % 9000}"
        fare = max(2000, km * bus.paise_per_km // 500 * 500)
        departures.append(Departure(service_no, bus, f"{minutes // 60:02d}:{minutes % 60:02d}",
                                    f"{arrive // 60:02d}:{arrive % 60:02d}", fare))
    return sorted(departures, key=lambda d: d.departs)

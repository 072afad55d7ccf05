"""A status read by the department's own identifier: a pension id, FIR number, PNR, job card, beneficiary id...

mitra asks with a `StatusQuery` (the service, the identifier and its format, the other answers as details); the
department answers a `DepartmentStatus` (a stage from the vocabulary below, its date, the office, an amount where
money is involved, when the next step is due) or UnknownIdentifier. The HTTP contract is POST /status-lookups in
departments/openapi.yaml: personal identifiers (Aadhaar, pension id) travel in the body, never in a URL.

`seeded_status` is the simulated department's answer: deterministic for any well-formed identifier, with about
one identifier in eight not on record (the format's own example, shown in the prompt, always is).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from catalog.formats import get_format
from departments import schedule
from departments.types import UnknownIdentifier

# kind: (the stages in order, a stage off the usual way or None)
LADDERS = {
    "application": (("received", "under_verification", "approved", "issued"), "rejected"),
    "payment": (("under_verification", "sanctioned", "sent_to_bank", "credited"), "on_hold"),
    "case": (("registered", "under_investigation", "charge_sheet_filed", "in_court"), None),
    "consignment": (("booked", "in_transit", "arrived", "delivered"), None),
    "ticket": (("confirmed", "travelled"), "cancelled"),
    "entitlement": (("ration_due", "ration_drawn"), None),
}
KINDS = tuple(LADDERS)
STAGES = tuple(dict.fromkeys(s for stages, off in LADDERS.values() for s in (*stages, *([off] if off else []))))
FINAL = {"issued", "rejected", "credited", "in_court", "delivered", "travelled", "cancelled"}

# What a service's own words say it reports; the first kind whose words appear wins, else "application".
KIND_WORDS = (
    ("case", {"fir", "investigation", "chargesheet"}),
    ("consignment", {"parcel", "consignment", "cargo", "courier"}),
    ("ticket", {"ticket", "pnr"}),
    ("entitlement", {"entitlement", "ration"}),
    ("payment", {"payment", "paid", "credited", "instalment", "installment", "compensation", "relief", "pension",
                 "refund", "wage", "wages", "scholarship", "amount", "cheque"}),
)
NOT_ON_RECORD = 8  # one identifier in this many is not known to the simulated department


@dataclass(frozen=True)
class StatusQuery:
    service_id: str
    department_code: str
    identifier: str  # in its stored form (catalog.formats)
    identifier_format: str
    kind: str = "application"  # what mitra expects the record to be (status_kind); the answer says what it is
    details: dict[str, str] = field(default_factory=dict)  # the service's other answers (district, station...)


@dataclass(frozen=True)
class DepartmentStatus:
    service_id: str
    identifier: str
    kind: str
    stage: str  # one of STAGES
    stage_date: date
    office: str = ""  # the department's own name for the office handling it
    district: str = ""  # a gazetteer district id, when known
    holder_masked: str = ""
    amount_paise: int | None = None
    next_date: date | None = None  # when the next step is due (None at a final stage)


def status_kind(words_of_service: str) -> str:
    """The kind of record a status service reports, from its own words (name and description)."""
    said = set(re.findall(r"[a-z]+", words_of_service.casefold()))
    return next((kind for kind, cues in KIND_WORDS if said & cues), "application")


def seeded_status(seed: str, query: StatusQuery, today: date) -> DepartmentStatus:
    """The simulated department's record for a well-formed identifier (FormatError when it is not one)."""
    fmt = get_format(query.identifier_format)
    value = fmt.check(query.identifier).value
    n = schedule.number(seed, "status", query.service_id, value)
    if n % NOT_ON_RECORD == 0 and value != fmt.check(fmt.example).value:
        raise UnknownIdentifier(f"no record of {fmt.mask(value)} for {query.service_id}")
    kind = query.kind if query.kind in LADDERS else "application"
    stages, off = LADDERS[kind]
    pick = (n >> 4) % (len(stages) + (1 if off else 0))
    stage = stages[pick] if pick < len(stages) else off
    stage_date = today - timedelta(days=(n >> 12) % 40)
    if kind == "entitlement":  # this month's ration: a date in this month
        stage_date = today.replace(day=1) + timedelta(days=(n >> 12) % today.day)
    district = query.details.get("district") or _districts()[(n >> 20) % len(_districts())]
    amount = None
    if kind == "payment":
        amount = 50000 * (2 + (n >> 28) % 39)  # ₹1,000 to ₹20,000 in ₹500 steps
    elif kind == "ticket":
        amount = 1000 * (15 + (n >> 28) % 136)  # a fare of ₹150 to ₹1,500
    next_date = None if stage in FINAL else max(today, stage_date + timedelta(days=7 + (n >> 36) % 21))
    office = query.details.get("police_station", "") if kind == "case" else ""
    holder = schedule.mask_name(schedule.CONSUMER_NAMES[(n >> 44) % len(schedule.CONSUMER_NAMES)])
    return DepartmentStatus(query.service_id, value, kind, stage, stage_date, office, district, holder, amount,
                            next_date)


@cache
def _districts() -> tuple[str, ...]:
    from catalog.loader import load_gazetteer

    return tuple(d.id for d in load_gazetteer().districts)

"""Find what a workflow needs in a citizen's words, one module per kind of entity:

- aadhaar, mobile: personal numbers (checked by catalog.formats; masked before anything is logged)
- dates: "repu", "15/08", "15 August", "next monday", "ఎల్లుండి"
- amounts: "Rs 500", "1.5 lakh", "రెండు లక్షలు"
- persons: how many people a booking is for: "for 2 people", "iddariki", "ముగ్గురం"
- identifiers: mitra references, FIR, e-challan, USC, vehicle numbers... (catalog.formats)
- surveys: land survey numbers
- places: districts, towns and temples from the gazetteer

`extract_entities(text, gazetteer, today)` is the one entry point for free text; the parse_* functions read one
answer. Positions (`start`, `end`) index the text as given; Aadhaar numbers appear in `Entity.text` only masked.
"""
from __future__ import annotations

from datetime import date

from catalog.schema import Gazetteer
from core.india_time import india_today
from nlu.entities.aadhaar import (
    AADHAAR_LIKE_RE,
    aadhaar_matches,
    mask_aadhaar,
    valid_aadhaar,
    verhoeff_check_digit,
    verhoeff_valid,
)
from nlu.entities.amounts import amount_matches, format_amount, parse_amount, parse_number
from nlu.entities.dates import date_matches, parse_date, year_said
from nlu.entities.identifiers import IdentifierMatch, identifier_matches, parse_reference
from nlu.entities.mobile import MOBILE_RE, mask_mobile, mobile_matches, parse_mobile
from nlu.entities.persons import persons_matches
from nlu.entities.places import PlaceIndex, district_for, match_place, place_entities, town_or_temple
from nlu.entities.surveys import parse_survey_number, survey_matches
from nlu.entities.text import Claimed, fold
from nlu.normalize import ascii_digits
from nlu.types import Entity

__all__ = [
    "PlaceIndex", "district_for", "extract_entities", "mask_aadhaar", "mask_mobile", "mask_pii", "match_place", "town_or_temple",
    "parse_amount", "parse_date", "parse_mobile", "parse_number", "parse_reference", "parse_survey_number",
    "valid_aadhaar", "verhoeff_check_digit", "verhoeff_valid", "year_said",
]


def mask_pii(text: str) -> str:
    """Mask every Aadhaar-like (12 digits, checksum or not) and mobile-like number in free text."""
    if not text:
        return text or ""
    text = ascii_digits(text)
    text = AADHAAR_LIKE_RE.sub(lambda m: mask_aadhaar(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_mobile(m.group(1)), text)


def _claim_identifiers(matches: list[IdentifierMatch], text: str, claimed: Claimed, found: list[Entity]) -> None:
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if claimed.overlaps(m.start, m.end):
            continue
        claimed.take(m.start, m.end)
        found.append(Entity(m.kind, m.value, text[m.start:m.end], m.start, m.end, format=m.format))


def _claim(kind: str, matches, text: str, claimed: Claimed, found: list[Entity]) -> None:
    for start, end, value in sorted(matches, key=lambda m: (m[0], -m[1])):
        if value is None or value == "" or claimed.overlaps(start, end):
            continue
        claimed.take(start, end)
        found.append(Entity(kind, str(value), text[start:end], start, end))


def extract_entities(text: str, gazetteer: Gazetteer | None = None, today: date | None = None) -> list[Entity]:
    """Every entity in `text`, in order of position. Numbers are claimed once, most specific reading first
    (a reference before a survey number before Aadhaar, mobile, amount and date)."""
    if not text:
        return []
    today = today or india_today()
    folded = fold(text)
    claimed = Claimed(len(text))
    found: list[Entity] = []
    _claim_identifiers(identifier_matches(folded), text, claimed, found)
    _claim("survey_number", survey_matches(folded), text, claimed, found)
    _claim("aadhaar", aadhaar_matches(folded), text, claimed, found)
    _claim("mobile", mobile_matches(folded), text, claimed, found)
    _claim("persons", persons_matches(folded), text, claimed, found)
    _claim("amount", ((s, e, format_amount(v)) for s, e, v in amount_matches(folded)), text, claimed, found)
    _claim("date", ((s, e, d.isoformat() if d else None) for s, e, d in date_matches(folded, today)),
           text, claimed, found)
    for entity in found:
        if entity.type == "aadhaar":
            entity.text = mask_aadhaar(entity.value)
    if gazetteer is not None:
        found.extend(place_entities(text, gazetteer, claimed))
    return sorted(found, key=lambda e: (e.start, e.type))

"""Check one answer against a workflow field: the normalized value, or the reason it was refused."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from catalog.schema import FieldType, Gazetteer, Place, ServiceField

SKIP_WORDS = {"skip", "వదిలేయండి", "vadileyandi", "-"}
NAME_RE = re.compile(r"^[^\d@#$%^&*_=+<>{}\[\]|\\/~`]{2,100}$")
SURVEY_RE = re.compile(r"^\d{1,5}(?:[/-]\d{1,4}[A-Za-z]?)*[A-Za-z]?$")
NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")
REFERENCE_RE = re.compile(r"\bAP[-\s]?([A-Z]{2,5})[-\s]?(\d{4})[-\s]?(\d{6})\b", re.IGNORECASE)


@dataclass
class Answer:
    value: str | None = None
    error: str | None = None  # a key in messages.yaml
    error_values: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


def find_reference(text: str) -> str | None:
    """`AP-REV-2026-000123` from anywhere in a message, spaces or missing dashes forgiven."""
    match = REFERENCE_RE.search(text or "")
    if not match:
        return None
    code, year, number = match.groups()
    return f"AP-{code.upper()}-{year}-{number}"


def check_answer(spec: ServiceField, text: str, gazetteer: Gazetteer, today: date,
                 choice_id: str | None = None) -> Answer:
    text = (text or "").strip()
    if not spec.required and text.lower() in SKIP_WORDS:
        return Answer(value="")
    check = CHECKS.get(spec.type, _check_text)
    return check(spec, text, gazetteer, today, choice_id)


def _check_text(spec, text, gazetteer, today, choice_id) -> Answer:
    return Answer(value=text) if 2 <= len(text) <= 500 else Answer(error="invalid_text")


def _check_name(spec, text, gazetteer, today, choice_id) -> Answer:
    cleaned = " ".join(text.split())
    if not NAME_RE.match(cleaned) or not any(ch.isalpha() for ch in cleaned):
        return Answer(error="invalid_name")
    return Answer(value=cleaned)


def _check_aadhaar(spec, text, gazetteer, today, choice_id) -> Answer:
    from nlu.entities import valid_aadhaar

    digits = re.sub(r"[\s-]", "", text)
    if not digits.isdigit() or len(digits) != 12 or not valid_aadhaar(digits):
        return Answer(error="invalid_aadhaar")
    return Answer(value=digits)


def _check_mobile(spec, text, gazetteer, today, choice_id) -> Answer:
    from nlu.entities import parse_mobile

    mobile = parse_mobile(text)
    return Answer(value=str(mobile)) if mobile else Answer(error="invalid_mobile")


def _check_date(spec, text, gazetteer, today, choice_id) -> Answer:
    from nlu.entities import parse_date

    parsed = parse_date(text, today)
    if parsed is None:
        return Answer(error="invalid_date")
    if spec.date_range == "past" and parsed > today:
        return Answer(error="invalid_date_past")
    if spec.date_range == "future" and parsed < today:
        return Answer(error="invalid_date_future")
    return Answer(value=parsed.isoformat())


def _match(text: str, places: list[Place]) -> Place | None:
    from nlu.entities import match_place

    found = match_place(text, places) if places else None
    if isinstance(found, tuple):  # (place, score) is also accepted
        found = found[0]
    if isinstance(found, str):
        found = next((p for p in places if p.id == found), None)
    return found


def _check_district(spec, text, gazetteer, today, choice_id) -> Answer:
    place = _match(text, gazetteer.districts)
    return Answer(value=place.id) if place else Answer(error="invalid_district")


def _place_checker(kind: str):
    def check(spec, text, gazetteer, today, choice_id) -> Answer:
        places = getattr(gazetteer, kind)
        if not places:  # no list to check against yet: take the citizen's words
            return _check_name(spec, text, gazetteer, today, choice_id)
        place = _match(text, places)
        return Answer(value=place.id) if place else Answer(error="invalid_place")
    return check


def _check_choice(spec, text, gazetteer, today, choice_id) -> Answer:
    if choice_id and choice_id.startswith("opt:"):
        wanted = choice_id[4:]
        if any(c.value == wanted for c in spec.choices):
            return Answer(value=wanted)
    folded = text.casefold().strip(" .")
    if folded.isdigit() and 1 <= int(folded) <= len(spec.choices):
        return Answer(value=spec.choices[int(folded) - 1].value)
    for choice in spec.choices:
        names = {choice.value, choice.label.en, choice.label.te, *choice.synonyms}
        if folded in {n.casefold() for n in names}:
            return Answer(value=choice.value)
    options = ", ".join(f"{i}. {c.label.en} / {c.label.te}" for i, c in enumerate(spec.choices, 1))
    return Answer(error="invalid_choice", error_values={"options": options})


def _range_values(spec) -> dict:
    low, high = spec.min, spec.max
    fmt = lambda v: f"{v:g}"  # noqa: E731
    if low is not None and high is not None:
        return {"range": ("range_between", {"low": fmt(low), "high": fmt(high)})}
    if low is not None:
        return {"range": ("range_min", {"low": fmt(low)})}
    if high is not None:
        return {"range": ("range_max", {"high": fmt(high)})}
    return {"range": ""}


def _in_range(spec, number: float) -> bool:
    return (spec.min is None or number >= spec.min) and (spec.max is None or number <= spec.max)


def _check_number(spec, text, gazetteer, today, choice_id) -> Answer:
    cleaned = text.replace(",", "").strip()
    if not NUMBER_RE.match(cleaned) or not _in_range(spec, float(cleaned)):
        return Answer(error="invalid_number", error_values=_range_values(spec))
    return Answer(value=f"{float(cleaned):g}")


def _check_amount(spec, text, gazetteer, today, choice_id) -> Answer:
    from nlu.entities import parse_amount

    amount = parse_amount(text)
    if amount is None or not _in_range(spec, float(amount)):
        return Answer(error="invalid_amount", error_values=_range_values(spec))
    return Answer(value=f"{float(amount):g}")


def _check_reference(spec, text, gazetteer, today, choice_id) -> Answer:
    reference = find_reference(text)
    return Answer(value=reference) if reference else Answer(error="invalid_reference")


def _check_survey_number(spec, text, gazetteer, today, choice_id) -> Answer:
    cleaned = text.replace(" ", "").upper()
    return Answer(value=cleaned) if SURVEY_RE.match(cleaned) else Answer(error="invalid_survey_number")


CHECKS = {
    FieldType.text: _check_text,
    FieldType.name: _check_name,
    FieldType.aadhaar: _check_aadhaar,
    FieldType.mobile: _check_mobile,
    FieldType.date: _check_date,
    FieldType.district: _check_district,
    FieldType.mandal: _check_name,  # no mandal list yet: a name-like answer
    FieldType.choice: _check_choice,
    FieldType.number: _check_number,
    FieldType.amount: _check_amount,
    FieldType.reference: _check_reference,
    FieldType.survey_number: _check_survey_number,
    FieldType.temple: _place_checker("temples"),
    FieldType.town: _place_checker("towns"),
}


def display_value(spec: ServiceField, value: str, gazetteer: Gazetteer, language: str) -> str:
    """How a stored value is shown back to the citizen: personal numbers masked, ids as names."""
    from nlu.entities import mask_aadhaar, mask_mobile

    te = language.startswith("te")
    if value == "":
        return "—"
    if spec.type == FieldType.aadhaar:
        return mask_aadhaar(value)
    if spec.type == FieldType.mobile:
        return mask_mobile(value)
    if spec.type == FieldType.date:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if spec.type == FieldType.choice:
        choice = next((c for c in spec.choices if c.value == value), None)
        return (choice.label.te if te else choice.label.en) if choice else value
    if spec.type in (FieldType.district, FieldType.town, FieldType.temple):
        places = {FieldType.district: gazetteer.districts, FieldType.town: gazetteer.towns,
                  FieldType.temple: gazetteer.temples}[spec.type]
        place = next((p for p in places if p.id == value), None)
        return (place.name.te if te else place.name.en) if place else value
    return value


def stored_value(spec: ServiceField, value: str, gazetteer: Gazetteer) -> str:
    """What goes into the readable `applications.fields` column: personal numbers masked."""
    from nlu.entities import mask_aadhaar, mask_mobile

    if spec.type == FieldType.aadhaar and value:
        return mask_aadhaar(value)
    if spec.type == FieldType.mobile and value:
        return mask_mobile(value)
    return value

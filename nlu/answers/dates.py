"""A date in the three tags ("repu", "ఎల్లుండి", "next friday", "15 August", "15-08-1990"), checked against the
field's range (past for a birth date, future for a booking)."""
from __future__ import annotations

import re

from catalog.schema import ServiceField
from nlu.answers.types import Answer, AnswerContext, Unclear
from nlu.entities import parse_date, year_said
from nlu.entities.text import fold
from nlu.normalize import ascii_digits, normalize

_NUMBER = re.compile(r"\d+")


def parse_date_answer(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    parsed = parse_date(text, ctx.today)
    if parsed is None:
        year = _year_alone(text, ctx) if spec.date_range == "past" else None
        return Unclear("date_needs_day", {"year": year}) if year else Unclear("invalid_date")
    if spec.date_range == "past" and parsed > ctx.today:
        return Unclear("invalid_date_past")
    if spec.date_range == "future" and parsed < ctx.today:
        return Unclear("invalid_date_future")
    if spec.ages:
        age = ctx.today.year - parsed.year - ((ctx.today.month, ctx.today.day) < (parsed.month, parsed.day))
        if not spec.ages[0] <= age <= spec.ages[1]:
            return Unclear("invalid_age", {"age": age, "low": spec.ages[0], "high": spec.ages[1]})
    return Answer(parsed.isoformat(), parsed.strftime("%d-%m-%Y"))


def _year_alone(text: str, ctx: AnswerContext) -> str | None:
    """"1957", "May 1957", "1957 lo puttanu": a year with no day, as many elders know their birth (Aadhaar prints
    only the year for some); the reply asks for the day and month rather than saying the date was unreadable."""
    numbers = _NUMBER.findall(ascii_digits(text))
    if len(numbers) == 1 and len(numbers[0]) == 4 and 1900 <= int(numbers[0]) <= ctx.today.year:
        return numbers[0]
    said = year_said(fold(normalize(text or "")), ctx.today)  # "last year", "పోయిన ఏడాది"
    return str(said) if said and not numbers and said <= ctx.today.year else None

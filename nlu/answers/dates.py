"""A date in the three tags ("repu", "ఎల్లుండి", "next friday", "15 August", "15-08-1990"), checked against the
field's range (past for a birth date, future for a booking)."""
from __future__ import annotations

from catalog.schema import ServiceField
from nlu.answers.types import Answer, AnswerContext, Unclear
from nlu.entities import parse_date


def parse_date_answer(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    parsed = parse_date(text, ctx.today)
    if parsed is None:
        return Unclear("invalid_date")
    if spec.date_range == "past" and parsed > ctx.today:
        return Unclear("invalid_date_past")
    if spec.date_range == "future" and parsed < ctx.today:
        return Unclear("invalid_date_future")
    return Answer(parsed.isoformat(), parsed.strftime("%d-%m-%Y"))

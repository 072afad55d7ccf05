"""Counts and rupee amounts in figures or words ("ఐదుగురు", "three of us", "రెండు లక్షలు", "1.2L",
"Rs. 1,20,000"), checked against the field's min and max."""
from __future__ import annotations

from catalog.schema import ServiceField
from nlu.answers.types import Answer, Unclear
from nlu.entities import parse_amount, parse_number


def _fmt(value: float) -> str:
    return f"{value:g}"


def range_values(spec: ServiceField) -> dict:
    low, high = spec.min, spec.max
    if low is not None and high is not None:
        return {"range": ("range_between", {"low": _fmt(low), "high": _fmt(high)})}
    if low is not None:
        return {"range": ("range_min", {"low": _fmt(low)})}
    if high is not None:
        return {"range": ("range_max", {"high": _fmt(high)})}
    return {"range": ""}


def _in_range(spec: ServiceField, number: float) -> bool:
    return (spec.min is None or number >= spec.min) and (spec.max is None or number <= spec.max)


def parse_number_answer(spec: ServiceField, text: str) -> Answer | Unclear:
    number = parse_number(text)
    if number is None or not _in_range(spec, number):
        return Unclear("invalid_number", range_values(spec))
    return Answer(_fmt(number), _fmt(number))


def parse_amount_answer(spec: ServiceField, text: str) -> Answer | Unclear:
    amount = parse_amount(text)
    if amount is None or not _in_range(spec, amount):
        return Unclear("invalid_amount", range_values(spec))
    return Answer(f"{amount:.15g}", rupees(amount))


def rupees(amount: float) -> str:
    """₹1,20,000.50: Indian grouping (lakhs), paise only when there are any."""
    whole, paise = divmod(round(amount * 100), 100)
    digits = str(int(whole))
    head, tail = digits[:-3], digits[-3:]
    groups = [head[max(0, i - 2):i] for i in range(len(head), 0, -2)][::-1]
    text = ",".join([*groups, tail]) if head else tail
    return f"₹{text}" + (f".{paise:02d}" if paise else "")

"""Identifier answers (USC, rice card, FIR...) and the Aadhaar and mobile fields, read by catalog.formats."""
from __future__ import annotations

import re

from catalog.formats import FormatError, get_format
from catalog.formats.base import ascii_digits, without_names
from catalog.schema import FieldType, ServiceField
from nlu.answers.types import Answer, Unclear
from nlu.entities.amounts import digits_read_out

MITRA_REFERENCE = "mitra_reference"  # the format of mitra's own request numbers (catalog/formats)
# Field types that predate `type: identifier` and mean one format.
TYPE_FORMATS = {FieldType.aadhaar: "aadhaar", FieldType.mobile: "mobile", FieldType.reference: MITRA_REFERENCE}


def format_name(spec: ServiceField) -> str | None:
    """The name of the catalog.formats format a field takes, or None for fields that are not identifiers."""
    return spec.format or TYPE_FORMATS.get(spec.type)


def format_of(spec: ServiceField):
    """The catalog.formats format a field takes, or None for fields that are not identifiers."""
    name = format_name(spec)
    return get_format(name) if name else None


def parse_identifier(spec: ServiceField, text: str) -> Answer | Unclear:
    fmt = format_of(spec)
    try:
        parsed = _checked(fmt, spec, text)
    except FormatError as refused:
        heard = digits_read_out(text)  # "nine eight four eight ...": a number read out, digit by digit
        if heard is None:
            return Unclear("answer_refused", {"en": refused.reason_en, "te": refused.reason_te},
                           reason_en=refused.reason_en, reason_te=refused.reason_te)
        return parse_identifier(spec, heard)
    return Answer(parsed.value, fmt.mask(parsed.display) if fmt.personal else parsed.display)


def _checked(fmt, spec: ServiceField, text: str):
    """The number without the words that name it in front ("LLR number is AP026..." -> "AP026...": a lenient
    format would take those letters as part of it), else as written (a format whose numbers begin with such a
    word: "FIR 123/2026"), else the one number written among other words ("his aadhaar is 2345 6789 0124")."""
    said = without_names(text, _names(spec))
    if said != text:
        try:
            return fmt.check(said)
        except FormatError:
            pass
    try:
        return fmt.check(text)
    except FormatError:
        runs = _NUMBER_APART.findall(ascii_digits(text))
        if len(runs) != 1 or runs[0] == text.strip():
            raise
        return fmt.check(runs[0])


# digits (with the spaces, dashes or slashes people write inside numbers) that touch no letter: "WAP1234567890"
# holds no such run, so part of a number is never taken for the whole
_NUMBER_APART = re.compile(r"(?<![^\W\d_])\d(?:[\s\-./]*\d)*(?![^\W\d_])")


def writes_a_number(text: str) -> bool:
    """Whether a message holds the digits of a number (four or more), written among words or not."""
    return sum(ch.isdigit() for ch in ascii_digits(text or "")) >= 4


def _names(spec: ServiceField) -> tuple[str, ...]:
    labels = (spec.label.en, spec.label.te) if spec.label else ()
    return tuple(w for label in labels for w in re.split(r"[\s()/,.]+", label)
                 if len(w) >= 2 and not any(ch.isdigit() for ch in w))

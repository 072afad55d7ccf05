"""Identifier answers (USC, rice card, FIR...) and the Aadhaar and mobile fields, read by catalog.formats."""
from __future__ import annotations

import re

from catalog.formats import FormatError, get_format
from catalog.formats.base import without_names
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
    word: "FIR 123/2026")."""
    said = without_names(text, _names(spec))
    if said != text:
        try:
            return fmt.check(said)
        except FormatError:
            pass
    return fmt.check(text)


def _names(spec: ServiceField) -> tuple[str, ...]:
    labels = (spec.label.en, spec.label.te) if spec.label else ()
    return tuple(w for label in labels for w in re.split(r"[\s()/,.]+", label)
                 if len(w) >= 2 and not any(ch.isdigit() for ch in w))

"""Department identifiers in free text: mitra references, FIR and e-challan numbers, and numbers a citizen
names by their kind ("USC 1234567890123", "vehicle AP 39 AB 1234"). Each candidate is checked by its
catalog.formats format, so a number is read here exactly as the form field reads it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.formats import FormatError, get_format
from nlu.entities.text import fold
from nlu.normalize import normalize


@dataclass(frozen=True)
class _Finder:
    format: str
    pattern: re.Pattern
    kind: str = "identifier"  # "reference" for the numbers mitra and the police give out


_CUE_NO = r"\.?\s*(?:no\.?|number|num|nr|#|నంబర్|నెం\.?|నం\.?)?\s*[:.]?\s*"
_FINDERS = (
    _Finder("mitra_reference",
            re.compile(r"(?<![a-z0-9])ap[-\s/]?[a-z]{2,5}[-\s/]?20\d{2}[-\s/]?\d{6}(?!\d)"), "reference"),
    _Finder("fir", re.compile(r"(?<![a-z])(?:fir|ఎఫ్ఐఆర్|ఎఫ్.ఐ.ఆర్)" + _CUE_NO
                              + r"\d{1,6}\s*(?:/|of|-)\s*(?:\d{4}|\d{2})(?!\d)"), "reference"),
    _Finder("e_challan", re.compile(r"(?<![a-z])(?:e-?\s?challan|challan|చలాన్)" + _CUE_NO
                                    + r"[a-z]{2}[a-z0-9]{6,20}(?![a-z0-9])"), "reference"),
    _Finder("e_challan", re.compile(r"(?<![a-z0-9])ap[a-z]{2,4}\d{9,14}(?![a-z0-9])"), "reference"),
    _Finder("electricity_usc", re.compile(r"(?<![a-z])(?:usc|service|సర్వీస్|యూఎస్‌?సీ)" + _CUE_NO
                                          + r"\d[\d\s-]{11,16}\d(?!\d)")),
    _Finder("vehicle_registration",
            re.compile(r"(?<![a-z0-9])[a-z]{2}[\s-]?\d{1,2}[\s-]?[a-z]{1,3}[\s-]?\d{4}(?![a-z0-9])")),
    _Finder("udyam", re.compile(r"(?<![a-z0-9])udyam[\s-]*[a-z]{2}[\s-]*\d{2}[\s-]*\d{7}(?!\d)")),
    _Finder("mgnrega_job_card",
            re.compile(r"(?<![a-z0-9])[a-z]{2}-\d{2}-\d{3}-\d{3}-\d{3}/\d{1,6}(?!\d)")),
)


@dataclass(frozen=True)
class IdentifierMatch:
    start: int
    end: int
    kind: str  # the entity type: "reference" or "identifier"
    format: str
    value: str  # as shown: "FIR 123/2026", "AP 39 AB 1234"


def identifier_matches(folded: str) -> list[IdentifierMatch]:
    found = []
    for finder in _FINDERS:
        fmt = get_format(finder.format)
        for m in finder.pattern.finditer(folded):
            try:
                parsed = fmt.check(m.group(0))
            except FormatError:
                continue
            value = parsed.display if finder.format == "fir" else parsed.value
            found.append(IdentifierMatch(m.start(), m.end(), finder.kind, finder.format, value))
    return found


def parse_reference(s: str) -> str | None:
    """`AP-REV-2026-000123`, `FIR 123/2026` or an e-challan number found in `s`, in canonical form."""
    found = sorted((m.start, m.format != "mitra_reference", m.value)
                   for m in identifier_matches(fold(normalize(s or ""))) if m.kind == "reference")
    return found[0][2] if found else None

"""Aadhaar numbers in free text; the number itself is checked by catalog.formats (one rule)."""
from __future__ import annotations

import re

from stdnum import verhoeff

from catalog.formats import get_format

_AADHAAR_RE = re.compile(r"(?<!\d)(?<!\d[ -])([2-9]\d{3})([ -]?)(\d{4})\2(\d{4})(?!\d)(?![ -]\d)")
AADHAAR_LIKE_RE = re.compile(r"(?<!\d)(\d{4})([ -]?)(\d{4})\2(\d{4})(?!\d)")
_FORMAT = get_format("aadhaar")


def verhoeff_valid(digits: str) -> bool:
    return verhoeff.is_valid(digits)


def verhoeff_check_digit(digits: str) -> str:
    """The digit to append to `digits` so the whole passes the Verhoeff check."""
    return verhoeff.calc_check_digit(digits)


def valid_aadhaar(s: str) -> str | None:
    """The 12 digits when `s` is one Aadhaar number (spaces or dashes allowed), else None."""
    digits = re.sub(r"[\s-]", "", s or "")
    return _FORMAT.check(digits).value if _FORMAT.accepts(digits) else None


def mask_aadhaar(s: str) -> str:
    """`XXXX XXXX 1234`: only the last four digits are ever shown."""
    return _FORMAT.masker(s or "")


def aadhaar_matches(folded: str):
    for m in _AADHAAR_RE.finditer(folded):
        digits = m[1] + m[3] + m[4]
        if _FORMAT.accepts(digits):
            yield m.start(), m.end(), digits

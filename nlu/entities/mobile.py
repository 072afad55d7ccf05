"""Indian mobile numbers in free text; the number is checked by catalog.formats (phonenumbers)."""
from __future__ import annotations

import re

from catalog.formats import get_format
from nlu.normalize import ascii_digits

_MOBILE_PREFIX = r"(?:(?:\+|00)?91[ -]?|0)?"
MOBILE_RE = re.compile(
    r"(?<![\d+])(?<!\d[ -])" + _MOBILE_PREFIX
    + r"([6-9]\d{9}|[6-9]\d{4}[ -]\d{5}|[6-9]\d{2}[ -]\d{3}[ -]\d{4}|[6-9]\d{3}[ -]\d{3}[ -]\d{3})(?!\d)(?![ -]\d)"
)


_FORMAT = get_format("mobile")


def parse_mobile(s: str) -> str | None:
    """The 10-digit Indian mobile number in `s` (+91, 0 and spacing forgiven), else None."""
    text = ascii_digits(s or "").strip()
    match = MOBILE_RE.fullmatch(text) or MOBILE_RE.search(text)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return digits if _FORMAT.accepts(digits) else None


def mask_mobile(s: str) -> str:
    """`98XXXXXX10`."""
    return _FORMAT.masker(ascii_digits(s or ""))


def mobile_matches(folded: str):
    for m in MOBILE_RE.finditer(folded):
        yield m.start(), m.end(), re.sub(r"\D", "", m[1])

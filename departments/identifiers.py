"""Which identifier a bill is looked up by, and the one place its shape is checked.

Until the identifier-format registry (catalog.formats) lands, the shapes are kept here: an APSPDCL/APEPDCL
unique service connection number (USC) is 13 digits; the others are the letters and digits the offices print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IdentifierProblem(ValueError):
    reason_en: str
    reason_te: str

    def __str__(self) -> str:
        return self.reason_en


SHAPES = {  # kind: (pattern on the cleaned text, English hint, Telugu hint)
    "electricity": (r"\d{13}", "the 13-digit USC number printed on your bill",
                    "మీ బిల్లుపై ఉన్న 13 అంకెల USC నంబర్"),
    "e_challan": (r"[A-Z]{2,6}\d{6,14}", "the challan number (letters then digits)",
                  "చలాన్ నంబర్ (అక్షరాలు తర్వాత అంకెలు)"),
}
GENERIC = (r"[A-Z0-9/-]{4,24}", "the number printed on your notice or bill", "మీ నోటీసు లేదా బిల్లుపై ఉన్న నంబర్")


def clean(text: str) -> str:
    return re.sub(r"[\s.]", "", text or "").upper()


def check_identifier(kind: str, text: str) -> str:
    """The identifier in its stored form, or IdentifierProblem saying what a good one looks like."""
    pattern, hint_en, hint_te = SHAPES.get(kind, GENERIC)
    value = clean(text)
    if not re.fullmatch(pattern, value):
        raise IdentifierProblem(f"That does not look right. Please send {hint_en}.",
                                f"ఇది సరిగా లేదు. దయచేసి {hint_te} పంపండి.")
    return value


def mask_identifier(value: str) -> str:
    return value if len(value) <= 4 else "*" * (len(value) - 4) + value[-4:]

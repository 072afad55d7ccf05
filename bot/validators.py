"""The validators slot filling uses. They come from `nlu.entities` (the agreed home); until that module
is installed, the small equivalents below keep the dialogue working and are replaced automatically."""
from __future__ import annotations

import re
from datetime import date

try:
    from nlu.entities import (mask_aadhaar, mask_mobile, mask_pii, match_place, parse_amount, parse_date,
                              parse_mobile, valid_aadhaar)
except ModuleNotFoundError as exc:
    if exc.name != "nlu.entities":
        raise

    _D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
          [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
          [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
          [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
    _P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
          [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
          [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]

    def valid_aadhaar(s: str) -> bool:
        """12 digits, not starting with 0 or 1, Verhoeff check digit last (UIDAI's scheme)."""
        digits = re.sub(r"[\s-]", "", s or "")
        if not re.fullmatch(r"[2-9]\d{11}", digits):
            return False
        check = 0
        for i, ch in enumerate(reversed(digits)):
            check = _D[check][_P[i % 8][int(ch)]]
        return check == 0

    def parse_mobile(s: str) -> str | None:
        digits = re.sub(r"[\s()-]", "", s or "")
        digits = re.sub(r"^(\+?91|0)(?=\d{10}$)", "", digits)
        return digits if re.fullmatch(r"[6-9]\d{9}", digits) else None

    def parse_date(s: str, today: date) -> date | None:
        from dateutil import parser

        text = (s or "").strip()
        if not re.search(r"\d", text):
            return None
        try:
            iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)
            return date.fromisoformat(text) if iso else parser.parse(text, dayfirst=True).date()
        except (ValueError, OverflowError):
            return None

    def match_place(s: str, places):
        from rapidfuzz import fuzz

        wanted = (s or "").strip().casefold()
        best, best_score = None, 0.0
        for place in places:
            for spelling in place.spellings():
                score = 100.0 if spelling.casefold() == wanted else fuzz.ratio(spelling.casefold(), wanted)
                if score > best_score:
                    best, best_score = place, score
        return best if best_score >= 85 else None

    def parse_amount(s: str) -> float | None:
        match = re.fullmatch(r"(?:₹|rs\.?|inr)?\s*([\d,]+(?:\.\d{1,2})?)\s*(?:rupees|/-)?", (s or "").strip(),
                             re.IGNORECASE)
        return float(match.group(1).replace(",", "")) if match else None

    def mask_aadhaar(s: str) -> str:
        digits = re.sub(r"\D", "", s or "")
        return f"XXXX XXXX {digits[-4:]}" if len(digits) >= 4 else "XXXX"

    def mask_mobile(s: str) -> str:
        digits = re.sub(r"\D", "", s or "")
        return "******" + digits[-4:] if len(digits) >= 4 else "******"

    def mask_pii(text: str) -> str:
        text = re.sub(r"\b\d{4}\s?\d{4}\s?\d{4}\b", lambda m: mask_aadhaar(m.group()), text or "")
        return re.sub(r"(?<!\d)(?:\+?91[\s-]?)?[6-9]\d{9}\b", lambda m: mask_mobile(m.group()), text)

__all__ = ["mask_aadhaar", "mask_mobile", "mask_pii", "match_place", "parse_amount", "parse_date",
           "parse_mobile", "valid_aadhaar"]

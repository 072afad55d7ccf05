"""Find what a workflow needs in a citizen's words: Aadhaar, mobile, dates, places, references, amounts,
survey numbers. Also the validators slot filling uses, and masking of personal numbers before logging.

Positions (`start`, `end`) index the text as given. Aadhaar numbers appear in `Entity.text` only masked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz, process

from catalog.schema import Gazetteer, Place
from nlu.normalize import ascii_digits, normalize
from nlu.translit import phonetic_key, to_latin
from nlu.types import Entity

# ---------------------------------------------------------------------------------------------- Aadhaar

# Verhoeff: multiplication table of the dihedral group D5, the position permutation and inverses.
_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_valid(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


def verhoeff_check_digit(digits: str) -> str:
    """The digit to append to `digits` so the whole passes the Verhoeff check."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[(position + 1) % 8][int(digit)]]
    return str(_VERHOEFF_INV[check])


_AADHAAR_RE = re.compile(r"(?<!\d)(?<!\d[ -])([2-9]\d{3})([ -]?)(\d{4})\2(\d{4})(?!\d)(?![ -]\d)")
_AADHAAR_LIKE_RE = re.compile(r"(?<!\d)(\d{4})([ -]?)(\d{4})\2(\d{4})(?!\d)")


def valid_aadhaar(s: str) -> str | None:
    """The 12 digits when `s` is one Aadhaar number (spaces or dashes allowed), else None."""
    digits = re.sub(r"[\s-]", "", ascii_digits(s or ""))
    if len(digits) == 12 and digits.isdigit() and digits[0] in "23456789" and verhoeff_valid(digits):
        return digits
    return None


def mask_aadhaar(s: str) -> str:
    """`XXXX XXXX 1234`: only the last four digits are ever shown."""
    digits = re.sub(r"\D", "", ascii_digits(s or ""))
    return f"XXXX XXXX {digits[-4:]}" if len(digits) >= 4 else "XXXX XXXX XXXX"


# ----------------------------------------------------------------------------------------------- Mobile

_MOBILE_PREFIX = r"(?:(?:\+|00)?91[ -]?|0)?"
_MOBILE_RE = re.compile(
    r"(?<![\d+])(?<!\d[ -])" + _MOBILE_PREFIX
    + r"([6-9]\d{9}|[6-9]\d{4}[ -]\d{5}|[6-9]\d{2}[ -]\d{3}[ -]\d{4}|[6-9]\d{3}[ -]\d{3}[ -]\d{3})(?!\d)(?![ -]\d)"
)


def parse_mobile(s: str) -> str | None:
    """The 10-digit Indian mobile number in `s` (+91, 0 and spacing forgiven), else None."""
    text = ascii_digits(s or "").strip()
    match = _MOBILE_RE.fullmatch(text) or _MOBILE_RE.search(text)
    if not match:
        return None
    return re.sub(r"\D", "", match.group(1))


def mask_mobile(s: str) -> str:
    """`98XXXXXX10`."""
    digits = re.sub(r"\D", "", ascii_digits(s or ""))[-10:]
    return f"{digits[:2]}XXXXXX{digits[-2:]}" if len(digits) == 10 else "XXXXXXXXXX"


def mask_pii(text: str) -> str:
    """Mask every Aadhaar-like (12 digits, checksum or not) and mobile-like number in free text."""
    if not text:
        return text or ""
    text = ascii_digits(text)
    text = _AADHAAR_LIKE_RE.sub(lambda m: mask_aadhaar(m.group(0)), text)
    return _MOBILE_RE.sub(lambda m: mask_mobile(m.group(1)), text)


# ------------------------------------------------------------------------------------------------ Dates

_MONTHS = {
    **{name: number for number, names in enumerate([
        ("january", "jan", "జనవరి"), ("february", "feb", "ఫిబ్రవరి"), ("march", "mar", "మార్చి"),
        ("april", "apr", "ఏప్రిల్"), ("may", "మే"), ("june", "jun", "జూన్"), ("july", "jul", "జూలై", "జులై"),
        ("august", "aug", "ఆగస్టు", "ఆగష్టు", "ఆగస్ట్"), ("september", "sep", "sept", "సెప్టెంబర్", "సెప్టెంబరు"),
        ("october", "oct", "అక్టోబర్", "అక్టోబరు"), ("november", "nov", "నవంబర్", "నవంబరు"),
        ("december", "dec", "డిసెంబర్", "డిసెంబరు"),
    ], start=1) for name in names},
}
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_WEEKDAYS = {
    **dict.fromkeys(("monday", "somavaram", "సోమవారం"), 0),
    **dict.fromkeys(("tuesday", "mangalavaram", "మంగళవారం"), 1),
    **dict.fromkeys(("wednesday", "budhavaram", "budavaram", "బుధవారం"), 2),
    **dict.fromkeys(("thursday", "guruvaram", "గురువారం"), 3),
    **dict.fromkeys(("friday", "sukravaram", "shukravaram", "శుక్రవారం"), 4),
    **dict.fromkeys(("saturday", "sanivaram", "shanivaram", "శనివారం"), 5),
    **dict.fromkeys(("sunday", "adivaram", "aadivaram", "ఆదివారం"), 6),
}
_RELATIVE_DAYS = {
    **dict.fromkeys(("day after tomorrow", "ellundi", "ఎల్లుండి"), 2),
    **dict.fromkeys(("tomorrow", "repu", "రేపు"), 1),
    **dict.fromkeys(("today", "ivala", "ivvala", "ee roju", "eeroju", "e roju", "ఈ రోజు", "ఈరోజు", "నేడు",
                     "ఇవాళ", "ఇవ్వాళ", "ఈవేళ"), 0),
    **dict.fromkeys(("day before yesterday", "monna", "మొన్న"), -2),
    **dict.fromkeys(("yesterday", "ninna", "నిన్న"), -1),
}
_NEXT_WORDS = r"next|coming|this|vachhe|vache|vachche|vacche|వచ్చే"
_LAST_WORDS = r"last|previous|poyina|gatha|పోయిన|గత"
_L = r"(?<![\w\u0c00-\u0c7f])"  # no letter before (\b is unreliable next to Telugu vowel signs)
_R = r"(?![a-z0-9_])"  # Telugu words may carry a case ending: "రేపుకి"

_ISO_DATE_RE = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
# "15/08", "15-08-2026", "15.08.2026"; a dot needs the year, or "1.5 lakh" would be the 1st of May.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/]|[.-]\d)"
)
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({_MONTH_ALT})\.?(?:,?\s*(\d{{4}}))?{_R}"
)
_MONTH_DAY_RE = re.compile(rf"{_L}({_MONTH_ALT})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s*(\d{{4}}))?{_R}")
_RELATIVE_RE = re.compile(
    _L + "(" + "|".join(sorted(map(re.escape, _RELATIVE_DAYS), key=len, reverse=True)) + ")" + _R
)
_WEEKDAY_RE = re.compile(
    rf"{_L}(?:({_NEXT_WORDS})\s+|({_LAST_WORDS})\s+)?("
    + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True)) + ")" + _R
)


def _full_year(year: str | None, today: date) -> int:
    if not year:
        return today.year
    value = int(year)
    if len(year) == 2:  # "85" is a birth year, "27" a booking
        value += 2000 if value <= today.year % 100 + 10 else 1900
    return value


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_matches(folded: str, today: date):
    """Yield (start, end, date) for every date expression in lowercase ASCII-digit text."""
    for m in _ISO_DATE_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(int(m[1]), int(m[2]), int(m[3]))
    for m in _DAY_MONTH_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(_full_year(m[3], today), _MONTHS[m[2]], int(m[1]))
    for m in _MONTH_DAY_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(_full_year(m[3], today), _MONTHS[m[1]], int(m[2]))
    for m in _NUMERIC_DATE_RE.finditer(folded):
        if m[2] != "." or m[4]:
            yield m.start(), m.end(), _safe_date(_full_year(m[4], today), int(m[3]), int(m[1]))
    for m in _RELATIVE_RE.finditer(folded):
        yield m.start(), m.end(), today + timedelta(days=_RELATIVE_DAYS[m[1]])
    for m in _WEEKDAY_RE.finditer(folded):
        wanted = _WEEKDAYS[m[3]]
        if m[2]:
            back = (today.weekday() - wanted) % 7 or 7
            yield m.start(), m.end(), today - timedelta(days=back)
        else:
            ahead = (wanted - today.weekday()) % 7 or 7
            yield m.start(), m.end(), today + timedelta(days=ahead)


def parse_date(s: str, today: date | None = None) -> date | None:
    """The first date in `s` ("repu", "15/08", "15 August 2026", "next monday", "ఎల్లుండి"), else None."""
    today = today or date.today()
    folded = _fold(normalize(s or ""))
    found = sorted((start, -end, value) for start, end, value in _date_matches(folded, today) if value)
    return found[0][2] if found else None


# ---------------------------------------------------------------------------------------------- Amounts

_NUMBER = r"(\d{1,3}(?:,\d{2,3})+|\d+)(?:\.(\d{1,2}))?"
_MULTIPLIERS = {
    **dict.fromkeys(("lakh", "lakhs", "lac", "lacs", "లక్ష", "లక్షలు"), 100_000),
    **dict.fromkeys(("crore", "crores", "కోటి", "కోట్లు"), 10_000_000),
    **dict.fromkeys(("thousand", "k", "వేలు", "వేల", "వెయ్యి"), 1000),
}
_MULTIPLIER = "(" + "|".join(sorted(map(re.escape, _MULTIPLIERS), key=len, reverse=True)) + ")"
_CURRENCY_BEFORE = r"(?:rs\.?|inr|₹|రూ\.?|rupees)"
_CURRENCY_AFTER = (r"(?:rupees|rupee|rupayalu|rupaayalu|rupayal|rupaylu|rs\.?|inr|₹|/-|"
                   r"రూపాయలు|రూపాయిలు|రూపాయి|రూ\.?)")
_AMOUNT_BEFORE_RE = re.compile(
    rf"(?<![a-z]){_CURRENCY_BEFORE}\s*{_NUMBER}(?:\s*{_MULTIPLIER}{_R})?(?:\s*/-)?"
)
_AMOUNT_AFTER_RE = re.compile(rf"(?<![\d.,]){_NUMBER}(?:\s*{_MULTIPLIER})?\s*{_CURRENCY_AFTER}(?![a-z])")
_BARE_AMOUNT_RE = re.compile(rf"\s*{_NUMBER}(?:\s*{_MULTIPLIER})?\s*")


def _amount_value(whole: str, fraction: str | None, multiplier: str | None) -> float:
    value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
    return value * _MULTIPLIERS.get(multiplier or "", 1)


def _format_amount(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")


def _amount_matches(folded: str):
    for m in _AMOUNT_BEFORE_RE.finditer(folded):
        yield m.start(), m.end(), _amount_value(m[1], m[2], m[3])
    for m in _AMOUNT_AFTER_RE.finditer(folded):
        yield m.start(), m.end(), _amount_value(m[1], m[2], m[3])


def parse_amount(s: str) -> float | None:
    """Rupees in `s`: "Rs 500", "₹1,200", "500 rupayalu", "1.5 lakh", or a bare "500". Negative -> None."""
    folded = _fold(normalize(s or ""))
    if re.search(r"(?<![\w])-\s*(?:rs\.?\s*|₹\s*)?\d", folded):
        return None
    found = sorted(_amount_matches(folded))
    if found:
        return found[0][2]
    bare = _BARE_AMOUNT_RE.fullmatch(folded)
    return _amount_value(bare[1], bare[2], bare[3]) if bare else None


# ------------------------------------------------------------------------------- References and surveys

_AP_REFERENCE_RE = re.compile(r"(?<![a-z0-9])ap[-\s/]?([a-z]{2,5})[-\s/]?(20\d{2})[-\s/]?(\d{4,8})(?!\d)")
_FIR_RE = re.compile(
    r"(?<![a-z])(?:fir|ఎఫ్ఐఆర్|ఎఫ్.ఐ.ఆర్)\.?\s*(?:no\.?|number|num|nr|#|నంబర్|నెం\.?)?\s*[:.]?\s*"
    r"(\d{1,6})\s*(?:/|of|-)\s*(\d{4}|\d{2})(?!\d)"
)
_CHALLAN_RE = re.compile(
    r"(?<![a-z])(?:e-?\s?challan|challan|చలాన్)\s*(?:no\.?|number|num|#|నంబర్)?\s*[:.]?\s*"
    r"([a-z]{2}[a-z0-9]{6,20})(?![a-z0-9])"
)
_BARE_CHALLAN_RE = re.compile(r"(?<![a-z0-9])(ap[a-z]{2,4}\d{9,14})(?![a-z0-9])")


def _reference_matches(folded: str):
    for m in _AP_REFERENCE_RE.finditer(folded):
        yield m.start(), m.end(), f"AP-{m[1].upper()}-{m[2]}-{m[3]}"
    for m in _FIR_RE.finditer(folded):
        year = m[2] if len(m[2]) == 4 else f"20{m[2]}"
        yield m.start(), m.end(), f"FIR {int(m[1])}/{year}"
    for m in _CHALLAN_RE.finditer(folded):
        if any(c.isdigit() for c in m[1]):
            yield m.start(), m.end(), m[1].upper()
    for m in _BARE_CHALLAN_RE.finditer(folded):
        yield m.start(), m.end(), m[1].upper()


def parse_reference(s: str) -> str | None:
    """`AP-REV-2026-000123`, `FIR 123/2026` or an e-challan number found in `s`, in canonical form."""
    folded = _fold(normalize(s or ""))
    found = sorted(_reference_matches(folded))
    return found[0][2] if found else None


_SURVEY_RE = re.compile(
    r"(?<![a-z])(?:survey|sy|s\.?\s?y|సర్వే|సర్వె)\.?\s*(?:no|nos|number|num|nr|నంబర్|నంబరు|నెం|నం)?\.?\s*[:.#]?\s*"
    r"(\d{1,5}(?:\s?[/-]\s?\d{1,4}[a-z]?)*(?:[a-z](?![a-z]))?)(?![\d/])"
)


def _survey_matches(folded: str):
    for m in _SURVEY_RE.finditer(folded):
        yield m.start(), m.end(), re.sub(r"\s", "", m[1]).upper()


def parse_survey_number(s: str) -> str | None:
    folded = _fold(normalize(s or ""))
    found = list(_survey_matches(folded))
    if found:
        return found[0][2]
    bare = re.fullmatch(r"\s*(\d{1,5}(?:[/-]\d{1,4}[a-z]?)*[a-z]?)\s*", folded)
    return bare[1].upper() if bare else None


# ----------------------------------------------------------------------------------------------- Places

# Words that look like place names to a fuzzy matcher but are everyday words.
_NEVER_FUZZY = frozenset(
    """kavali kaavali cheyali cheyandi ivvandi kattali undi ledu raledu pension ration current
    certificate status ticket tickets booking darshan temple district town village mandal office
    income caste birth death water bill billu amount number mobile aadhaar name address father mother
    husband paper power fodder fallen flour ammavari ammavaru ammavaari adavi kalapa""".split()  # noqa: SIM905
)
# Case endings glued to place names: "guntur-lo", "vijayawada-ki", "హైదరాబాద్-నుంచి" (as phonetic keys).
_PLACE_SUFFIXES = ("nunci", "nundi", "loni", "lo", "ki", "ku", "ni", "ke", "nu", "ga")
_TOKEN_RE = re.compile(r"[a-z0-9\u0900-\u0d7f\u0600-\u06ff\u00c0-\u024f]+", re.IGNORECASE)
_MAX_PLACE_WORDS = 5


@dataclass(frozen=True)
class _PlaceKey:
    kind: str
    place: Place
    words: int


# In free text, names shorter than 7 key letters are matched only exactly (by phonetic key): at five or six
# letters a typo and another word look the same ("kalapa" timber, "kadapa" the town). An answer to "which
# district?" is known to be a place, so there shorter names may carry a typo too.
_FREE_TEXT_FUZZY = {"min_letters": 7, "cutoff": 85.0}
_ANSWER_FUZZY = {"min_letters": 5, "cutoff": 80.0}


class PlaceIndex:
    """Phonetic keys of every spelling of every place, for exact and fuzzy lookup."""

    def __init__(self, places_by_kind: dict[str, list[Place]]):
        self.exact: dict[str, list[_PlaceKey]] = {}
        self.romanized: dict[str, set[str]] = {}  # key -> the spellings it came from, romanized
        for kind, places in places_by_kind.items():
            for place in places:
                for spelling in place.spellings():
                    key = phonetic_key(spelling)
                    if not key:
                        continue
                    joined = key.replace(" ", "")
                    entry = _PlaceKey(kind, place, len(key.split()))
                    entries = self.exact.setdefault(joined, [])
                    if entry not in entries:
                        entries.append(entry)
                    self.romanized.setdefault(joined, set()).add(_romanized(spelling))
        self.longest_key = max(map(len, self.exact), default=0)
        # Fuzzy candidates share the first letter: it keeps the search small and "kadapa" away from "adoni".
        self.keys_by_initial: dict[str, list[str]] = {}
        for key in self.exact:
            self.keys_by_initial.setdefault(key[0], []).append(key)

    def lookup(self, joined: str, words: int, fuzzy: bool, romanized: str = "",
               min_letters: int = 7, cutoff: float = 85.0) -> tuple[list[_PlaceKey], float]:
        for candidate in _without_suffix(joined):
            if candidate in self.exact:
                return [e for e in self.exact[candidate] if abs(e.words - words) <= 1], 100.0
        if not fuzzy or len(joined) < min_letters:
            return [], 0.0
        choices = self.keys_by_initial.get(joined[0], [])
        best = process.extractOne(joined, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if choices else None
        if best is None:
            return [], 0.0
        key, score, _ = best
        # Folding makes different words meet ("father" and "paderu" are one letter apart as keys), so the
        # spelling itself must be close as well.
        spelled = max(fuzz.ratio(romanized or joined, r) for r in self.romanized[key])
        if spelled < cutoff - 5:
            return [], 0.0
        return [e for e in self.exact[key] if e.words == words], min(score, spelled)


def _romanized(text: str) -> str:
    return re.sub(r"[^a-z]", "", to_latin(text).lower())


def _without_suffix(joined: str) -> list[str]:
    forms = [joined]
    for suffix in _PLACE_SUFFIXES:
        if joined.endswith(suffix) and len(joined) - len(suffix) >= 4:
            stem = joined[: -len(suffix)]
            forms.append(stem)
            if stem.endswith("u") and len(stem) > 4:  # "gunturu" + "lo": drop the Telugu "u" again
                forms.append(stem[:-1])
    return forms


_INDEXES: dict[int, tuple[object, PlaceIndex]] = {}
_MAX_INDEXES = 32  # gazetteers and place lists seen; the real ones are loaded once per process


def _index_for(owner: object, places_by_kind: dict[str, list[Place]]) -> PlaceIndex:
    cached = _INDEXES.get(id(owner))
    if cached is None or cached[0] is not owner:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        cached = (owner, PlaceIndex(places_by_kind))  # keeping owner alive keeps id() unique
        _INDEXES[id(owner)] = cached
    return cached[1]


@dataclass
class _PlaceHit:
    kind: str
    place: Place
    start: int
    end: int
    score: float
    words: int


@dataclass
class _Token:
    start: int
    end: int
    key: str  # phonetic key without spaces
    romanized: str
    common: bool  # an everyday word that must not be fuzzy-matched to a place


def _tokens(text: str, blocked: _Claimed | None) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        if blocked and blocked.overlaps(m.start(), m.end()):
            continue
        word = m.group(0)
        key = phonetic_key(word).replace(" ", "")
        romanized = _romanized(word)
        common = key in _NEVER_FUZZY or romanized in _NEVER_FUZZY or word.lower() in _NEVER_FUZZY
        tokens.append(_Token(m.start(), m.end(), key, romanized, common))
    return tokens


def _place_hits(text: str, index: PlaceIndex, blocked: _Claimed | None = None) -> list[_PlaceHit]:
    # An n-gram's phonetic key is its words' keys joined, so each word is folded once, not once per n-gram.
    tokens = _tokens(text, blocked)
    hits = []
    for i, first in enumerate(tokens):
        joined = romanized = ""
        common = False
        for n in range(1, _MAX_PLACE_WORDS + 1):
            if i + n > len(tokens):
                break
            last = tokens[i + n - 1]
            if n > 1 and _gap_breaks(text, tokens[i + n - 2].end, last.start):
                break
            joined, romanized, common = joined + last.key, romanized + last.romanized, common or last.common
            if len(joined) > index.longest_key + 4:
                break
            if not last.key or n > 1 and (len(last.key) <= 2 or last.key in _PLACE_SUFFIXES):
                continue  # "tirupati ki": the case ending is matched with its word, not as one more word
            entries, score = index.lookup(joined, n, not common, romanized, **_FREE_TEXT_FUZZY)
            for entry in entries:
                hits.append(_PlaceHit(entry.kind, entry.place, first.start, last.end, score, n))
    return hits


def _gap_breaks(text: str, left: int, right: int) -> bool:
    """Only spaces, dots and hyphens may sit between the words of one place name."""
    return right - left > 3 or bool(re.search(r"[^\s.\-]", text[left:right]))


def _choose_places(hits: list[_PlaceHit], length: int) -> list[_PlaceHit]:
    """Per kind, keep the best non-overlapping hits: exact before fuzzy, longer before shorter."""
    chosen: list[_PlaceHit] = []
    taken: dict[str, _Claimed] = {}
    # Exact hits: the longest wins ("east godavari" over "godavari"); fuzzy ones: the closest wins.
    for hit in sorted(hits, key=lambda h: (h.score < 100, -h.score, -(h.end - h.start), h.start)):
        claimed = taken.setdefault(hit.kind, _Claimed(length))
        if not claimed.overlaps(hit.start, hit.end):
            claimed.take(hit.start, hit.end)
            chosen.append(hit)
    return chosen


def match_place(s: str, places: list[Place]) -> Place | None:
    """The place `s` names (any script, small typos forgiven, extra words like "district" ignored)."""
    if not s or not places:
        return None
    text = s.strip()
    index = _index_for(places, {"place": places})
    whole = phonetic_key(text).replace(" ", "")
    if whole:
        entries, _ = index.lookup(whole, len(phonetic_key(text).split()), True, _romanized(text), **_ANSWER_FUZZY)
        if entries:
            return entries[0].place
    hits = _choose_places(_place_hits(text, index), len(text))
    return max(hits, key=lambda h: (h.score, h.end - h.start)).place if hits else None


def district_for(s: str, gazetteer: Gazetteer) -> Place | None:
    """The district a citizen means, also when they name its town or temple ("rajahmundry" -> East Godavari)."""
    place = match_place(s, gazetteer.districts)
    if place:
        return place
    found = match_place(s, gazetteer.towns) or match_place(s, gazetteer.temples)
    if found and found.district:
        return next((d for d in gazetteer.districts if d.id == found.district), None)
    return None


# ------------------------------------------------------------------------------------------ Extraction

def _fold(text: str) -> str:
    """Lowercase and ASCII digits, one character for one character, so match positions stay valid."""
    out = []
    for char in ascii_digits(text):
        lower = char.lower()
        out.append(lower if len(lower) == 1 else char)
    return "".join(out)


class _Claimed:
    """Which characters an entity already covers (a mask keeps long messages linear, not quadratic)."""

    def __init__(self, length: int):
        self.mask = bytearray(length)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.mask[start:end])

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)


def _claim(kind: str, matches, text: str, claimed: _Claimed, found: list[Entity]) -> None:
    for start, end, value in sorted(matches, key=lambda m: (m[0], -m[1])):
        if value is None or value == "" or claimed.overlaps(start, end):
            continue
        claimed.take(start, end)
        found.append(Entity(kind, str(value), text[start:end], start, end))


def _aadhaar_matches(folded: str):
    for m in _AADHAAR_RE.finditer(folded):
        digits = m[1] + m[3] + m[4]
        if verhoeff_valid(digits):
            yield m.start(), m.end(), digits


def _mobile_matches(folded: str):
    for m in _MOBILE_RE.finditer(folded):
        yield m.start(), m.end(), re.sub(r"\D", "", m[1])


def extract_entities(text: str, gazetteer: Gazetteer | None = None, today: date | None = None) -> list[Entity]:
    """Every entity in `text`, in order of position. Numbers are claimed once, most specific reading first
    (a reference before a survey number before Aadhaar, mobile, amount and date)."""
    if not text:
        return []
    today = today or date.today()
    folded = _fold(text)
    claimed = _Claimed(len(text))
    found: list[Entity] = []
    _claim("reference", _reference_matches(folded), text, claimed, found)
    _claim("survey_number", _survey_matches(folded), text, claimed, found)
    _claim("aadhaar", _aadhaar_matches(folded), text, claimed, found)
    _claim("mobile", _mobile_matches(folded), text, claimed, found)
    _claim("amount", ((s, e, _format_amount(v)) for s, e, v in _amount_matches(folded)), text, claimed, found)
    _claim("date", ((s, e, d.isoformat() if d else None) for s, e, d in _date_matches(folded, today)),
           text, claimed, found)
    for entity in found:
        if entity.type == "aadhaar":
            entity.text = mask_aadhaar(entity.value)
    if gazetteer is not None:
        found.extend(_place_entities(text, gazetteer, claimed))
    return sorted(found, key=lambda e: (e.start, e.type))


def _place_entities(text: str, gazetteer: Gazetteer, claimed: _Claimed) -> list[Entity]:
    kinds = {"district": gazetteer.districts, "town": gazetteer.towns, "temple": gazetteer.temples}
    index = _index_for(gazetteer, kinds)
    hits = _choose_places(_place_hits(text, index, claimed), len(text))
    return [Entity(h.kind, h.place.id, text[h.start:h.end], h.start, h.end) for h in _merge_adjacent(text, hits)]


def _merge_adjacent(text: str, hits: list[_PlaceHit]) -> list[_PlaceHit]:
    """"simhachalam simhadri appanna": two spellings of one place side by side are one mention."""
    merged: list[_PlaceHit] = []
    for hit in sorted(hits, key=lambda h: (h.kind, h.start)):
        last = merged[-1] if merged else None
        if last and last.kind == hit.kind and last.place.id == hit.place.id and not text[last.end:hit.start].strip():
            last.end = max(last.end, hit.end)
        else:
            merged.append(hit)
    return merged

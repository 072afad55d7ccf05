"""Dates as citizens say them: "repu", "15/08", "15 August", "next monday", "ఎల్లుండి", "poyina nela 14"."""
from __future__ import annotations

import re
from datetime import date, timedelta

from core.india_time import india_today
from nlu.entities.text import fold
from nlu.normalize import normalize

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
_WEEKDAY_NAMES = [
    ("monday", "somavaram", "సోమవారం"),
    ("tuesday", "mangalavaram", "మంగళవారం"),
    ("wednesday", "budhavaram", "budavaram", "బుధవారం"),
    ("thursday", "guruvaram", "lakshmivaram", "laxmivaram", "గురువారం", "లక్ష్మివారం"),
    ("friday", "sukravaram", "shukravaram", "శుక్రవారం"),
    ("saturday", "sanivaram", "shanivaram", "శనివారం"),
    ("sunday", "adivaram", "aadivaram", "ఆదివారం"),
]
# romanized, "-varam" is written "-vaaram" as often ("aadivaaram"), and "-varamu" in the older spelling
_WEEKDAYS = {spelling: day for day, names in enumerate(_WEEKDAY_NAMES) for name in names
             for spelling in {name, name.replace("varam", "vaaram"), name.replace("varam", "varamu")}}
_RELATIVE_DAYS = {
    **dict.fromkeys(("day after tomorrow", "day after", "the day after", "ellundi", "elundi", "ఎల్లుండి"), 2),
    **dict.fromkeys(("tomorrow", "repu", "రేపు"), 1),
    **dict.fromkeys(("today", "nedu", "ivala", "ivvala", "ee roju", "eeroju", "e roju", "ఈ రోజు", "ఈరోజు", "నేడు",
                     "ఇవాళ", "ఇవ్వాళ", "ఈవేళ", "this morning", "tonight"), 0),
    **dict.fromkeys(("day before yesterday", "monna", "మొన్న"), -2),
    **dict.fromkeys(("yesterday", "ninna", "నిన్న", "last night", "last evening"), -1),
}
# "poyina nela 14", "14th of last month", "ఈ నెల 3న": a day of the month before, this one or the next
_MONTHS_AWAY = {
    **dict.fromkeys(("last month", "previous month", "poyina nela", "poina nela", "gatha nela", "gata nela",
                     "పోయిన నెల", "గత నెల", "పోయిన నెలలో", "గత నెలలో"), -1),
    **dict.fromkeys(("this month", "ee nela", "e nela", "ఈ నెల", "ఈ నెలలో"), 0),
    **dict.fromkeys(("next month", "coming month", "vache nela", "vachhe nela", "vacche nela", "vachche nela",
                     "వచ్చే నెల", "వచ్చే నెలలో"), 1),
}
# "3rd March last year", "poyina samvatsaram march 3": the year a day and month without one fall in
_YEARS_AWAY = {
    **dict.fromkeys(("last year", "previous year", "poyina samvatsaram", "poina samvatsaram", "poyina sanvatsaram",
                     "gatha samvatsaram", "poyina edu", "poyina yedu", "poyina edadi", "poyina yedadi", "పోయిన సంవత్సరం",
                     "గత సంవత్సరం", "పోయిన ఏడాది", "పోయిన ఏడు", "గత ఏడాది"), -1),
    **dict.fromkeys(("year before last", "last to last year", "monna samvatsaram", "మొన్నటి సంవత్సరం"), -2),
    **dict.fromkeys(("this year", "ee samvatsaram", "e samvatsaram", "ee edu", "ee yedu", "ee edadi",
                     "ఈ సంవత్సరం", "ఈ ఏడాది", "ఈ ఏడు"), 0),
    **dict.fromkeys(("next year", "coming year", "vache samvatsaram", "vachhe samvatsaram", "vache edu",
                     "వచ్చే సంవత్సరం", "వచ్చే ఏడాది"), 1),
}
_NEXT_WORDS = r"next|coming|this|vachhe|vache|vachche|vacche|వచ్చే"
_LAST_WORDS = r"last|previous|poyina|gatha|పోయిన|గత"
_L = r"(?<![\w\u0c00-\u0c7f])"  # no letter before (\b is unreliable next to Telugu vowel signs)
_R = r"(?![a-z0-9_])"  # Telugu words may carry a case ending: "రేపుకి"

# the year first: "2024-03-03", "2024/3/3", "2024.03.03"
_ISO_DATE_RE = re.compile(r"(?<![\d/.-])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d])")
# "15/08", "15-08-2026", "15.08.2026"; a dot needs the year, or "1.5 lakh" would be the 1st of May.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/]|[.-]\d)"
)
# A year after a month name: four digits, or two that end the date ("12 May 57", "May 12, '57", "12 మే 57 లో");
# "15 August 10 am" and "12 May 10 people" go on with a time or a count
_YEAR_AFTER_MONTH = (r"(?:,?\s*'?(\d{4}|\d{2}(?=\s*(?:$|[,;!?)]|\.(?!\d)|(?:na|lo|న|లో)"
                     r"(?![a-z\u0c00-\u0c7f])))))?")
_DAY_MONTH_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({_MONTH_ALT})\.?{_YEAR_AFTER_MONTH}{_R}"
)
# the year first, as Telugu speakers often say it: "2024 march 3", "2024 మార్చి 3"
_YEAR_MONTH_DAY_RE = re.compile(rf"(?<!\d)(\d{{4}}),?\s*({_MONTH_ALT})\.?,?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)")
_MONTH_DAY_RE = re.compile(rf"{_L}({_MONTH_ALT})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?(?!\d){_YEAR_AFTER_MONTH}{_R}")
_RELATIVE_RE = re.compile(
    _L + "(" + "|".join(sorted(map(re.escape, _RELATIVE_DAYS), key=len, reverse=True)) + ")" + _R
)
_AWAY_ALT = "|".join(sorted(map(re.escape, _MONTHS_AWAY), key=len, reverse=True))
_DAY_OF_MONTH_AWAY_RE = re.compile(
    rf"{_L}({_AWAY_ALT})\s+(\d{{1,2}})(?!\d)|(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:the\s+)?({_AWAY_ALT}){_R}"
)
_YEARS_AWAY_RE = re.compile(
    _L + "(" + "|".join(sorted(map(re.escape, _YEARS_AWAY), key=len, reverse=True)) + ")" + _R
)
_WEEKDAY_RE = re.compile(
    rf"{_L}(?:({_NEXT_WORDS})\s+|({_LAST_WORDS})\s+)?("
    + "|".join(sorted(map(re.escape, _WEEKDAYS), key=len, reverse=True)) + ")" + _R
)


def year_said(folded: str, today: date) -> int | None:
    """The year a message names by its distance from this one ("last year", "పోయిన ఏడాది"), else None."""
    said = _YEARS_AWAY_RE.search(folded)
    return today.year + _YEARS_AWAY[said[1]] if said else None


def _full_year(year: str | None, today: date, said: int | None = None) -> int:
    if not year:
        return said or today.year
    value = int(year)
    if len(year) == 2:  # "85" is a birth year, "27" a booking
        value += 2000 if value <= today.year % 100 + 10 else 1900
    return value


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_matches(folded: str, today: date):
    """Yield (start, end, date) for every date expression in lowercase ASCII-digit text."""
    said = year_said(folded, today)
    for m in _ISO_DATE_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(int(m[1]), int(m[3]), int(m[4]))
    for m in _YEAR_MONTH_DAY_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(int(m[1]), _MONTHS[m[2]], int(m[3]))
    for m in _DAY_MONTH_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(_full_year(m[3], today, said), _MONTHS[m[2]], int(m[1]))
    for m in _MONTH_DAY_RE.finditer(folded):
        yield m.start(), m.end(), _safe_date(_full_year(m[3], today, said), _MONTHS[m[1]], int(m[2]))
    for m in _NUMERIC_DATE_RE.finditer(folded):
        if m[2] != "." or m[4]:
            yield m.start(), m.end(), _safe_date(_full_year(m[4], today, said), int(m[3]), int(m[1]))
    for m in _DAY_OF_MONTH_AWAY_RE.finditer(folded):
        months = today.year * 12 + today.month - 1 + _MONTHS_AWAY[m[1] or m[4]]
        yield m.start(), m.end(), _safe_date(months // 12, months % 12 + 1, int(m[2] or m[3]))
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
    today = today or india_today()
    folded = fold(normalize(s or ""))
    found = sorted((start, -end, value) for start, end, value in date_matches(folded, today) if value)
    return found[0][2] if found else None

"""A place in a list said as an ordinal: "the second one", "2nd", "rendodi", "రెండోది", "last one", "chivaridi".

A reply to a numbered list (bus times, darshan slots, a choice's options) that says which by its place rather
than by its number. Only short replies: "my second daughter" in a sentence is not a pick.
"""
from __future__ import annotations

import re

from nlu.entities.amounts import NUMBER_WORDS, words_to_figures
from nlu.entities.text import fold
from nlu.normalize import ascii_digits, normalize

_ENGLISH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
_FIRST = ("modatidi", "modatidhi", "modati", "mudatidi", "okatodi", "మొదటిది", "మొదటి", "ఒకటోది", "earliest", "earlier")
_LAST = ("last", "latest", "chivaridi", "chivaridhi", "chivari", "chivaradi", "akharidi", "చివరిది", "చివరి", "ఆఖరిది")
# Telugu ordinals are the number word without its last vowel and -o/-odi or -ava/-avadi: rendodi, రెండవది
_LATIN_ENDINGS = ("o", "odi", "odhi", "ava", "avadi", "avadhi", "vadi")
_TELUGU_ENDINGS = ("ో", "ోది", "వ", "వది")
_WORDS_OF_THEIR_OWN = {"edo", "eedo", "yedo", "padava", "yedava", "eedava"}  # "some", "a boat", an insult


def _telugu_ordinals() -> dict[str, int]:
    ordinals = {}
    for word, n in NUMBER_WORDS.items():
        if not (n == int(n) and 2 <= n <= 10) or word.endswith(("guru", "గురు", "mandi", "మంది", "daru", "దరు")):
            continue
        if word.isascii() and word[-1] in "ui" and len(word) > 3:
            ordinals |= {word[:-1] + e: int(n) for e in _LATIN_ENDINGS}
        elif not word.isascii() and word[-1] in "ుి":
            ordinals |= {word[:-1] + e: int(n) for e in _TELUGU_ENDINGS}
    return {word: n for word, n in ordinals.items() if word not in _WORDS_OF_THEIR_OWN}


ORDINALS = {**_telugu_ordinals(), **_ENGLISH, **dict.fromkeys(_FIRST, 1), **dict.fromkeys(_LAST, -1)}
_SUFFIXED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")  # "2nd"
_MOST_WORDS = 4  # "the second one please"
# an ordinal of something other than the list: "first time", "second floor", "modati sari" (the first time)
_NOT_OF_THE_LIST = {"time", "times", "sari", "saari", "సారి", "floor", "class", "year", "week", "month", "day",
                    "child", "wife", "daughter", "son", "installment", "instalment"}


def ordinal_position(text: str, length: int) -> int | None:
    """The 0-based place in a list of `length` that a short reply names by ordinal, or None."""
    tokens = re.findall(r"[\w\u0c00-\u0c7f]+", fold(normalize(ascii_digits(text or ""))))
    if not tokens or len(tokens) > _MOST_WORDS or _NOT_OF_THE_LIST.intersection(tokens):
        return None
    said = {ORDINALS[t] if t in ORDINALS else int(m[1]) for t in tokens if t in ORDINALS or (m := _SUFFIXED.match(t))}
    if len(said) != 1:
        return None
    place = said.pop()
    if place == -1:
        return length - 1 if length else None
    return place - 1 if 1 <= place <= length else None


def list_place(text: str, length: int) -> int | None:
    """The 0-based place a reply to a numbered list of `length` names: its number in figures or words ("2",
    "rendu", "రెండు") or its place ("the second one"); None for anything else or a number past the list."""
    number = words_to_figures(fold(normalize(ascii_digits(text or "")))).strip()
    if number.isdigit():
        return int(number) - 1 if 1 <= int(number) <= length else None
    return ordinal_position(text, length)

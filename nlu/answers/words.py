"""Folding a citizen's words for comparison with catalog labels (shared by choices, places and names)."""
from __future__ import annotations

import re

from nlu.normalize import normalize
from nlu.translit import phonetic_key, to_latin

_SPLIT = re.compile(r"[\s\-_/.,;:()'\"!?]+")


def fold_words(text: str) -> list[str]:
    """Lower case words, Telugu script also read in Latin letters ("బీసీ-బి" -> ["bisi", "bi"])."""
    return [w for w in _SPLIT.split(normalize(text or "")) if w]


def latin_words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(to_latin(normalize(text or "")).lower()) if w]


def compact(text: str) -> str:
    return "".join(fold_words(text))


def sound_key(text: str) -> str:
    """How a text sounds, in one spelling whatever its script, spaces dropped ("Sri Kalahasti" = "శ్రీకాళహస్తి")."""
    return phonetic_key(text).replace(" ", "")

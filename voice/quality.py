"""Judging a decoded window: is it looping, in the wrong script, or worth trusting?"""
from __future__ import annotations

import math
import re
import zlib

from catalog.schema import TELUGU_RE  # one definition of Telugu script

# Whisper's own threshold: text that gzips better than this is repeating itself.
LOOPING_COMPRESSION_RATIO = 2.4
LETTER_RE = re.compile(r"\w", re.UNICODE)


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


BROKEN_CHARACTER = "\ufffd"


def whole_characters(text: str) -> str:
    """A decoded text without the characters its byte-level tokens cut in two ("लाच �", where the decoding
    stopped inside a letter): never something said, and shown to a citizen as a box."""
    return " ".join(text.replace(BROKEN_CHARACTER, " ").split())


def collapse_repeats(text: str, max_ngram: int = 6) -> str:
    """Drop immediate repeats of a word group ("ప ప ప ప" -> "ప"): what a decoding loop adds carries
    no extra meaning, and it would swamp the phonetic matcher. Digits are kept: "1, 1, 2, 2" is a number read out."""
    words = text.split()
    for n in range(max_ngram, 0, -1):
        out: list[str] = []
        for word in words:
            out.append(word)
            if len(out) >= 2 * n and out[-n:] == out[-2 * n:-n] and not any(c.isdigit() for c in word):
                del out[-n:]
        words = out
    return " ".join(words)


def is_looping(text: str) -> bool:
    return compression_ratio(text) > LOOPING_COMPRESSION_RATIO or (
        len(text.split()) >= 6 and len(collapse_repeats(text).split()) <= len(text.split()) // 3)


def has_letters(text: str) -> bool:
    return bool(LETTER_RE.search(text))


def in_telugu_script(text: str) -> bool:
    letters = LETTER_RE.findall(text)
    return bool(letters) and sum(bool(TELUGU_RE.match(c)) for c in letters) >= len(letters) / 2


def window_confidence(avg_logprob: float, no_speech_prob: float, looping: bool) -> float:
    """Mean token probability, discounted by the chance there was no speech at all."""
    score = math.exp(min(avg_logprob, 0.0)) * (1.0 - no_speech_prob)
    return score * (0.2 if looping else 1.0)

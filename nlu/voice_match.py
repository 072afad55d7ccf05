"""Match a transcript against the catalog by sound, across scripts.

Generic Whisper writes Telugu speech as Tamil, Devanagari, Arabic or Latin sound-alikes
("జనన ధృవీకరణ పత్రానికి" -> "जाना तुमी करा पराली"). The words are wrong but the sounds survive: romanize both
the transcript and the catalog's vocabulary (service names, synonyms, examples of every language tag)
into one phonetic key (`nlu.translit.phonetic_key`) and compare them by edit similarity, ignoring word
boundaries (sound-alike transcripts split and join words at random).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from nlu.translit import phonetic_key

# Shorter keys than this ("bc", "rc") match by chance inside any sentence; compare them whole only.
MIN_PARTIAL_CHARS = 8
# How much an aligned substring match counts next to a whole-string match.
PARTIAL_WEIGHT = 0.75


@dataclass
class PhoneticDecision:
    service_id: str | None  # None: abstained (too close to call, or too weak)
    score: float  # 0..1 similarity of the best service
    margin: float  # best score minus the runner-up's
    candidates: list[tuple[str, float]] = field(default_factory=list)
    reason: str = ""  # why it abstained: "weak", "close", "empty"


def _squash(key: str) -> str:
    return key.replace(" ", "")


class PhoneticMatcher:
    """`PhoneticMatcher(catalog).match("पंटा नश्ता...")` -> [(service_id, score), ...], best first."""

    def __init__(self, catalog, *, abstain_margin: float = 0.03, min_score: float = 0.45):
        self.abstain_margin = abstain_margin
        self.min_score = min_score
        phrases: dict[tuple[str, str], None] = {}
        for service in catalog.services.values():
            for text in _vocabulary(service):
                key = _squash(phonetic_key(text))
                if len(key) >= 2:
                    phrases[(key, service.id)] = None
        self.keys = [key for key, _ in phrases]
        self.owners = [owner for _, owner in phrases]
        self.service_ids = sorted(set(self.owners))
        self._column = {sid: i for i, sid in enumerate(self.service_ids)}
        self._owner_index = np.array([self._column[o] for o in self.owners])
        self._partial_ok = np.array([len(k) >= MIN_PARTIAL_CHARS for k in self.keys])

    def scores(self, text: str | list[str]) -> np.ndarray:
        """Similarity 0..1 to every service (in `self.service_ids` order). Several readings of the same
        speech (a list) are averaged: where they agree on a service the evidence adds up."""
        readings = [text] if isinstance(text, str) else list(text)
        queries = [q for q in (_squash(phonetic_key(t)) for t in readings) if q]
        best = np.zeros((max(len(queries), 1), len(self.service_ids)))
        if not queries:
            return best[0]
        whole = process.cdist(queries, self.keys, scorer=fuzz.ratio, dtype=np.float32) / 100
        partial = process.cdist(queries, self.keys, scorer=fuzz.partial_ratio, dtype=np.float32) / 100
        # a phrase much shorter than the query can still be what was said, inside a longer sentence
        per_phrase = np.maximum(whole, np.where(self._partial_ok, partial * PARTIAL_WEIGHT, 0.0))
        for row, phrase_scores in zip(best, per_phrase):
            np.maximum.at(row, self._owner_index, phrase_scores)
        return best.mean(axis=0)

    def match(self, text: str | list[str], limit: int = 5) -> list[tuple[str, float]]:
        scores = self.scores(text)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [(self.service_ids[i], round(float(scores[i]), 4)) for i in order if scores[i] > 0]

    def decide(self, text: str | list[str], limit: int = 5) -> PhoneticDecision:
        """The best service, or None when the best is weak or the two best are too close to call."""
        candidates = self.match(text, limit)
        if not candidates:
            return PhoneticDecision(None, 0.0, 0.0, [], "empty")
        best = candidates[0][1]
        margin = best - (candidates[1][1] if len(candidates) > 1 else 0.0)
        if best < self.min_score:
            return PhoneticDecision(None, best, margin, candidates, "weak")
        if margin < self.abstain_margin:
            return PhoneticDecision(None, best, margin, candidates, "close")
        return PhoneticDecision(candidates[0][0], best, margin, candidates)


def _vocabulary(service) -> list[str]:
    return [service.name.en, service.name.te, *service.synonyms.all(), *(e.text for e in service.examples)]


# A place heard by sound is offered (and confirmed with the citizen) at this similarity or more.
PLACE_MIN_SCORE = 0.6


def match_place(places, readings: list[str]) -> tuple[object | None, float]:
    """The gazetteer place (district, town or temple) that the readings of a spoken answer sound most like,
    by the same cross-script phonetic key as services, and its similarity 0..1 (None when nothing is close)."""
    queries = [q for q in (_squash(phonetic_key(t)) for t in readings) if q]
    keys, owners = [], []
    for place in places:
        for name in (place.name.en, place.name.te, *place.aliases):
            key = _squash(phonetic_key(name))
            if len(key) >= 3:
                keys.append(key)
                owners.append(place)
    if not queries or not keys:
        return None, 0.0
    whole = process.cdist(queries, keys, scorer=fuzz.ratio, dtype=np.float32) / 100
    partial = process.cdist(queries, keys, scorer=fuzz.partial_ratio, dtype=np.float32) / 100
    usable = np.array([len(k) >= MIN_PARTIAL_CHARS for k in keys])
    scores = np.maximum(whole, np.where(usable, partial * PARTIAL_WEIGHT, 0.0)).max(axis=0)
    best = int(np.argmax(scores))
    score = float(scores[best])
    return (owners[best], round(score, 4)) if score >= PLACE_MIN_SCORE else (None, round(score, 4))

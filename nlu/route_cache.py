"""A bounded, thread-safe memory of recent rankings, so repeated messages skip the encoder.

Citizens send the same few texts over and over ("hi", "menu", "caste certificate"); the ranking of a
normalized text by one model version never changes, so it is kept, keyed on both.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

DEFAULT_SIZE = 2048


@dataclass(frozen=True)
class Ranking:
    """What the model said about one normalized text: scores, best-first order and confidence."""

    fused: np.ndarray
    order: np.ndarray
    confidence: float
    in_scope_similarity: float
    known: bool = False  # word for word a training text: its label stands, look-alike words do not move it


class RankingCache:
    """Least-recently-used cache of `Ranking`s keyed on (model version, normalized text)."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = size
        self._items: OrderedDict[tuple[str, str], Ranking] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: str, normalized: str) -> Ranking | None:
        key = (version, normalized)
        with self._lock:
            ranking = self._items.get(key)
            if ranking is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return ranking

    def put(self, version: str, normalized: str, ranking: Ranking) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[(version, normalized)] = ranking
            self._items.move_to_end((version, normalized))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

"""An encoder that answers from an on-disk embedding cache and loads the real encoder only for texts it has not
seen, so benchmarks that train many models on the same texts (seeds, held-out intents) embed each text once.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from nlu.embeddings import EmbeddingCache, load_encoder, vectors_key


class CachedEncoder:
    def __init__(self, name: str, cache_file: Path, threads: int = 1):
        self.name, self.threads, self.cache_key = name, threads, vectors_key(name)
        self.cache = EmbeddingCache(cache_file)
        self._real = None
        self.dim = self._probe_dim()

    def _probe_dim(self) -> int:
        row = self.cache._db.execute("select vector from embedding where encoder=? limit 1",
                                     (self.cache_key,)).fetchone()
        return len(row[0]) // 4 if row else self.real.dim

    @property
    def real(self):
        if self._real is None:
            self._real = load_encoder(self.name, self.threads)
        return self._real

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        return self.cache.encode(_Lazy(self), sentences)


class _Lazy:
    """What EmbeddingCache.encode needs of an encoder; the real one is loaded on the first miss."""

    def __init__(self, owner: CachedEncoder):
        self.owner, self.name, self.cache_key, self.dim = owner, owner.name, owner.cache_key, owner.dim

    def encode(self, sentences, batch_size: int = 32):
        return self.owner.real.encode(sentences, batch_size=batch_size)

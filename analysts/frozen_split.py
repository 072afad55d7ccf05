"""The frozen routing test split (tests/data/route_test_frozen.jsonl) is never training data.

The held-out set is the promotion gate and, through the analysts' loop, can end up labelled and trained on; the
frozen split exists so that one measurement stays independent. Imports refuse its lines and the training data
read from the review queue leaves them out, compared after nlu.normalize.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from nlu.normalize import normalize

FROZEN_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "route_test_frozen.jsonl"


@lru_cache(maxsize=4)
def frozen_texts(path: Path = FROZEN_FILE) -> frozenset[str]:
    """The split's messages, normalized; empty where the file does not ship (an installed package)."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(json.loads(line)["text"]) for line in lines if line.strip())


def is_frozen_test_text(text: str) -> bool:
    return normalize(text or "") in frozen_texts()

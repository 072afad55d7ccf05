"""Each model version's accuracy on the frozen test split (tests/data/route_test_frozen.jsonl), per language.

The frozen split is never trained on (analysts/frozen_split.py), so these figures compare versions fairly. A
version is measured once, after training (the analyst page's job, `mitra eval --frozen`), and the result kept
next to its manifest as frozen_test.json, with a hash of the split so an edited split is measured again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysts.frozen_split import FROZEN_FILE

__all__ = ["FROZEN_FILE", "RESULT_FILE", "frozen_scores", "measure_frozen", "split_hash"]
from nlu.model_store import ModelStore

RESULT_FILE = "frozen_test.json"


def split_hash(path: Path = FROZEN_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def measure_frozen(store: ModelStore, version: str, catalog, encoder=None, path: Path = FROZEN_FILE) -> dict:
    """Route the frozen split with `version`, keep the figures in its directory, and return them."""
    from nlu.evaluate import metrics, predict
    from nlu.model import IntentModel
    from nlu.router import Router
    from nlu.training_data import read_labelled_file

    model = IntentModel.load(store.path_of(version), encoder=encoder)
    result = metrics(predict(Router(model, catalog), read_labelled_file(path, "text", "intent")))
    kept = {"version": version, "split": path.name, "split_hash": split_hash(path), "n": result["n"],
            "accuracy": result["accuracy"],
            "per_language": {lang: m["top1"] for lang, m in result["per_language"].items()}}
    (store.path_of(version) / RESULT_FILE).write_text(json.dumps(kept, indent=2))
    return kept


def frozen_scores(store: ModelStore, path: Path = FROZEN_FILE) -> list[dict]:
    """The kept figures of every version measured on the split as it is now, oldest version first."""
    current = split_hash(path)
    scores = []
    for info in store.list():
        kept = info.path / RESULT_FILE
        if kept.exists():
            data = json.loads(kept.read_text())
            if data.get("split_hash") == current:
                scores.append({**data, "promoted": info.promoted})
    return scores

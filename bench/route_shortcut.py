"""Top-1 and out-of-scope figures of one model with its n-gram shortcut on and off, on the held-out set and the
frozen test split, with the share of messages the shortcut ranks without the encoder.

    .venv/bin/python -m bench.route_shortcut [--model V|DIR] [--models-root DIR]
"""
from __future__ import annotations

import json
from pathlib import Path

SETS = ("tests/data/route_heldout.jsonl", "tests/data/route_test_frozen.jsonl")


def figures(router, examples) -> dict:
    from nlu.evaluate import metrics, predict

    m = metrics(predict(router, examples))
    return {**{lang: v["top1"] for lang, v in m["per_language"].items()}, "all": m["accuracy"],
            "oos_precision": m["oos_precision"], "oos_recall": m["oos_recall"]}


def settled_share(model, texts: list[str]) -> float:
    """The share of `texts` the model's n-gram shortcut ranks without the encoder."""
    from nlu.model import lexical_form
    from nlu.normalize import clean_input, normalize

    lexical = model._lexical.transform([lexical_form(normalize(clean_input(t))) for t in texts])
    return round(float(model._ngram_ranking(lexical)[2].mean()), 4)


def main() -> None:
    from bench.router_args import load_router
    from nlu.route_cache import RankingCache
    from nlu.training_data import read_labelled_file

    router, _ = load_router()
    shortcut = router.model.manifest.shortcut
    out = {"model_version": router.version, "shortcut_threshold": shortcut.threshold}
    for path in SETS:
        examples = read_labelled_file(Path(path), "text", "intent")
        row = {"settled_by_ngrams": settled_share(router.model, [e.text for e in examples]), "on": figures(router, examples)}
        bar, shortcut.threshold = shortcut.threshold, 1.01
        router.cache = RankingCache(0)
        row["off"] = figures(router, examples)
        shortcut.threshold = bar
        router.cache = RankingCache()
        out[Path(path).stem] = row
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

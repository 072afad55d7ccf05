"""What asking about look-alike services changes on the held-out set and the frozen test split.

    nice .venv/bin/python -m bench.look_alikes [--model V|DIR] [--models-root DIR]

Routes each set twice with the same model: as the router does (look-alikes settled by words or place, or asked
about), and with the top service taken as it is (the guess). Prints accuracy, per-language top-1, decisions
and the confusable pairs of both, and the look-alike pairs the model yields.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = (ROOT / "tests" / "data" / "route_heldout.jsonl", ROOT / "tests" / "data" / "route_test_frozen.jsonl")


class Guessing:
    """The router with look-alike settlement switched off: the model's top service stands."""

    def __init__(self, router):
        self.router = router

    def route_many(self, texts):
        results = self.router.route_many(texts)
        route_at = self.router.model.manifest.thresholds.route
        for result in results:
            if result.look_alikes:
                result.decision = "route" if result.confidence >= route_at else "clarify"
                result.look_alikes = []
            top = result.alternatives[0].intent if result.alternatives else result.intent
            if result.decision in ("route", "clarify") and top != result.intent:
                result.intent = result.service_id = top
        return results


def summary(result: dict) -> dict:
    return {"accuracy": result["accuracy"],
            "top1": {lang: m["top1"] for lang, m in result["per_language"].items()},
            "decisions": result["decisions"],
            "confusable_pairs": [(p["services"], p["count"], p["clarified"]) for p in result["confusable_pairs"][:10]]}


def main() -> None:
    from bench.router_args import load_router
    from nlu.evaluate import metrics, predict
    from nlu.training_data import read_labelled_file

    router, _ = load_router()
    report = {"model_version": router.version, "look_alike_pairs": router.look_alikes().pairs()}
    for path in SETS:
        examples = read_labelled_file(path, "text", "intent")
        report[path.name] = {"asking": summary(metrics(predict(router, examples))),
                             "guessing": summary(metrics(predict(Guessing(router), examples)))}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

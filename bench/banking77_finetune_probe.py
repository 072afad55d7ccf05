"""Would an encoder trained for the known intents reach the out-of-scope target? A probe, not mitra's model.

    nice .venv/bin/python -m bench.banking77_finetune_probe [--seeds 1] [--epochs 1] [--unknown-share 0.25]

The same leave-intents-out split as bench/banking77_oos.py (a quarter of the intents unknown, chosen by the same
seeded draw). The bundled MiniLM (English) is fine-tuned contrastively on the known intents' training texts only
(pairs of texts of one intent against the other pairs of the batch, both ways), then a logistic regression on
its embeddings names the intent. Three in-scope scores are read: the classifier's top probability, the cosine
to the nearest intent centre, and the mean cosine to the 5 nearest training texts. For each, two figures:
  validation  threshold at the 2nd percentile of in-scope validation texts (10% of the known training texts,
              not fine-tuned on); the honest figure;
  oracle      the best out-of-scope recall whose in-scope loss on the TEST split stays within 2 points: an
              upper bound, tuned on the figures it reports, for deciding whether the approach is worth building.
"""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "banking77"
BATCH_INTENTS = 16  # intents per batch, two texts each
TEMPERATURE = 20.0


def read(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], np.array([r["category"] for r in rows])


def fine_tune(texts: list[str], labels: np.ndarray, epochs: float, rng: np.random.Generator):
    import torch
    from sentence_transformers import SentenceTransformer

    from nlu.embeddings import _minilm_path

    torch.manual_seed(int(rng.integers(1 << 31)))
    model = SentenceTransformer(_minilm_path(), device="cpu")
    by_intent = {y: [t for t, label in zip(texts, labels) if label == y] for y in np.unique(labels)}
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
    model.train()
    for _ in range(int(epochs * len(texts) / (2 * BATCH_INTENTS))):
        intents = rng.choice(list(by_intent), BATCH_INTENTS, replace=False)
        first = [by_intent[y][rng.integers(len(by_intent[y]))] for y in intents]
        second = [by_intent[y][rng.integers(len(by_intent[y]))] for y in intents]
        a, b = (torch.nn.functional.normalize(model(model.preprocess(s))["sentence_embedding"], dim=-1)
                for s in (first, second))
        logits = TEMPERATURE * a @ b.T
        target = torch.arange(len(intents))
        loss = (torch.nn.functional.cross_entropy(logits, target)
                + torch.nn.functional.cross_entropy(logits.T, target)) / 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return model


def in_scope_scores(vectors, classifier, centres, train_vectors) -> dict[str, np.ndarray]:
    nearest = np.sort(vectors @ train_vectors.T, axis=1)[:, -5:]
    return {"probability": classifier.predict_proba(vectors).max(1), "centre": (vectors @ centres.T).max(1),
            "knn5": nearest.mean(1)}


def one_seed(seed: int, train, test, epochs: float, share: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    (tr_texts, tr_y), (te_texts, te_y) = train, test
    rng = np.random.default_rng(seed)
    intents = np.unique(tr_y)
    unknown = set(rng.choice(intents, round(share * len(intents)), replace=False))  # as bench/banking77_oos.py
    known_rows = rng.permutation(np.flatnonzero([y not in unknown for y in tr_y]))
    val_rows, fit_rows = known_rows[:len(known_rows) // 10], known_rows[len(known_rows) // 10:]
    fit_texts = [tr_texts[i] for i in fit_rows]
    started = time.perf_counter()
    model = fine_tune(fit_texts, tr_y[fit_rows], epochs, rng)
    tuned_s = time.perf_counter() - started

    def encode(texts):
        return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

    fit_vectors, val_vectors, test_vectors = encode(fit_texts), encode([tr_texts[i] for i in val_rows]), encode(te_texts)
    classifier = LogisticRegression(C=10, max_iter=2000).fit(fit_vectors, tr_y[fit_rows])
    centres = np.stack([fit_vectors[tr_y[fit_rows] == c].mean(0) for c in classifier.classes_])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    in_scope = np.array([y not in unknown for y in te_y])
    correct = classifier.predict(test_vectors) == te_y
    closed = float(correct[in_scope].mean())
    val_scores = in_scope_scores(val_vectors, classifier, centres, fit_vectors)
    run = {"seed": seed, "epochs": epochs, "fine_tune_s": round(tuned_s), "in_scope_accuracy_closed": round(closed, 4)}
    for name, score in in_scope_scores(test_vectors, classifier, centres, fit_vectors).items():
        rejected = score < np.quantile(val_scores[name], 0.02)
        oracle = max(float((score < t)[~in_scope].mean()) for t in np.quantile(score[in_scope], np.linspace(0, 0.3, 61))
                     if closed - float((correct & (score >= t))[in_scope].mean()) <= 0.02)
        run[name] = {"validation": {"in_scope_loss_points": round(100 * (closed - float((correct & ~rejected)[in_scope].mean())), 2),
                                    "oos_recall": round(float(rejected[~in_scope].mean()), 4)},
                     "oracle_oos_recall_at_2_points": round(oracle, 4)}
    return run


def main() -> None:
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--unknown-share", type=float, default=0.25)
    args = parser.parse_args()
    torch.set_num_threads(2)
    train, test = read(args.data_dir / "train.csv"), read(args.data_dir / "test.csv")
    for seed in range(args.seeds):
        print(json.dumps(one_seed(seed, train, test, args.epochs, args.unknown_share)), flush=True)


if __name__ == "__main__":
    main()

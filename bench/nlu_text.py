"""Speed and language-tag agreement of the nlu text building blocks (normalize, script, translit, entities).

Usage: .venv/bin/python bench/nlu_text.py
The catalog examples were also looked at while writing the romanized-Telugu word list, so the agreement
figure is a regression check, not a held-out accuracy.
"""
from __future__ import annotations

import glob
import random
import string
import time
from collections import Counter
from pathlib import Path

from catalog.loader import load_gazetteer
from core.yaml_files import read_yaml
from nlu.entities import extract_entities
from nlu.normalize import clean_input, normalize
from nlu.script import detect_language
from nlu.translit import phonetic_key, to_latin

ROOT = Path(__file__).resolve().parent.parent


def catalog_examples() -> list[tuple[str, str]]:
    examples = []
    for path in sorted(glob.glob(str(ROOT / "catalog/services/*.yaml"))):
        data = read_yaml(Path(path)) or {}
        for service in data.get("services", []):
            examples += [(e["text"], e["lang"]) for e in service.get("examples", [])]
    return examples


def per_call_us(function, items, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items) * 1e6


def main() -> None:
    examples = catalog_examples()
    texts = [text for text, _ in examples]
    gazetteer = load_gazetteer()
    tags = Counter((tag, detect_language(text)) for text, tag in examples)
    agree = sum(n for (tag, got), n in tags.items() if tag == got)
    print(f"catalog examples: {len(examples)}; detect_language agrees with the tag on {agree} "
          f"({agree / len(examples):.1%})")
    for (tag, got), n in sorted(tags.items()):
        print(f"  tag {tag:8} -> {got:8} {n}")

    print(f"normalize        {per_call_us(normalize, texts):8.1f} us/message")
    print(f"detect_language  {per_call_us(detect_language, texts):8.1f} us/message")
    print(f"to_latin         {per_call_us(to_latin, texts):8.1f} us/message")
    phonetic_key.cache_clear()
    print(f"phonetic_key     {per_call_us(phonetic_key, texts, repeat=1):8.1f} us/message (cold cache)")
    phonetic_key.cache_clear()
    print(f"extract_entities {per_call_us(lambda t: extract_entities(t, gazetteer), texts, repeat=1):8.1f} "
          f"us/message (cold cache)")

    rng = random.Random(1)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 10))) for _ in range(20000)]
    random_100kb = " ".join(words)[:100_000]
    phonetic_key.cache_clear()
    for label, text in (("4 KB random Latin", random_100kb[:4096]), ("100 KB random Latin", random_100kb)):
        start = time.perf_counter()
        extract_entities(text, gazetteer)
        print(f"extract_entities on {label}: {time.perf_counter() - start:.3f} s")
    start = time.perf_counter()
    cleaned = clean_input(random_100kb.encode())
    print(f"clean_input on 100 KB: {(time.perf_counter() - start) * 1000:.2f} ms -> {len(cleaned)} chars")


if __name__ == "__main__":
    main()

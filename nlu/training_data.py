"""Labelled texts the intent model learns from: catalog examples, meta intents, analysts' labels, files."""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from core.yaml_files import read_yaml
from nlu.types import OUT_OF_SCOPE

META_FILE = Path(__file__).parent / "data" / "meta_intents.yaml"


@dataclass(frozen=True)
class LabelledText:
    text: str
    intent: str
    lang: str = ""
    source: str = "catalog"


def catalog_examples(catalog) -> list[LabelledText]:
    """Every service's examples, names and synonyms, labelled with its id."""
    out: list[LabelledText] = []
    for service in catalog.services.values():
        for example in service.examples:
            out.append(LabelledText(example.text, service.id, example.lang, "catalog-example"))
        out.append(LabelledText(service.name.en, service.id, "en", "catalog-name"))
        out.append(LabelledText(service.name.te, service.id, "te", "catalog-name"))
        for lang, words in (("en", service.synonyms.en), ("te", service.synonyms.te),
                            ("te-latn", service.synonyms.te_latn)):
            out.extend(LabelledText(w, service.id, lang, "catalog-synonym") for w in words)
    return out


def meta_examples(path: Path = META_FILE) -> list[LabelledText]:
    data = read_yaml(path)
    return [
        LabelledText(text, intent, lang, "meta")
        for intent, by_lang in data.items()
        for lang, texts in by_lang.items()
        for text in texts
    ]


def read_labelled_file(path: Path, text_col: str = "text", label_col: str = "label",
                       lang_col: str = "lang") -> list[LabelledText]:
    """CSV (with a header) or JSON lines, one labelled text per row."""
    path = Path(path)
    rows: list[dict] = []
    if path.suffix in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{path}: no rows")
    missing = {text_col, label_col} - set(rows[0])
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}; columns are {sorted(rows[0])}")
    return [
        LabelledText(str(r[text_col]), str(r[label_col]), str(r.get(lang_col) or ""), path.name)
        for r in rows
        if str(r.get(text_col) or "").strip()
    ]


def data_hash(examples: list[LabelledText]) -> str:
    digest = hashlib.sha256()
    for ex in sorted((e.text, e.intent) for e in examples):
        digest.update(f"{ex[0]}\t{ex[1]}\n".encode())
    return digest.hexdigest()[:16]


def is_service(intent: str) -> bool:
    return "." in intent


def is_in_scope(intent: str) -> bool:
    return intent != OUT_OF_SCOPE

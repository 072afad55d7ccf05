"""Labelled data in and out of the review queue: CSV, JSON lines and Rasa's nlu.yml.

Imports map Rasa intent names onto service ids (`revenue__caste_certificate` and
`revenue.caste_certificate` both mean the service `revenue.caste_certificate`) and report the
names that match nothing. Exports mask Aadhaar and mobile numbers.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysts.audit import record
from analysts.frozen_split import is_frozen_test_text
from analysts.review import allowed_labels
from core.db.models import utcnow
from core.db.review_models import ReviewItem
from core.yaml_files import load_yaml
from nlu.entities import mask_pii
from nlu.types import OUT_OF_SCOPE

FORMATS = ("csv", "jsonl", "rasa")
RASA_OUT_OF_SCOPE = {"out_of_scope", "nlu_fallback", "outofscope", "oos"}
_RASA_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")  # [Guntur](district) -> Guntur


class LabelFileError(ValueError):
    """The file cannot be read as labelled data; the message names the file and the problem."""


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    frozen_test: int = 0  # lines of the frozen test split, never training data
    unknown_intents: dict[str, int] = field(default_factory=dict)  # name in the file -> rows skipped

    def as_dict(self) -> dict:
        return {"imported": self.imported, "duplicates": self.duplicates, "frozen_test": self.frozen_test,
                "unknown_intents": self.unknown_intents}


@dataclass(frozen=True)
class LabelRow:
    text: str
    label: str
    lang: str = ""


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise LabelFileError(f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    suffix = Path(path).suffix.lower()
    if suffix in (".yml", ".yaml"):
        return "rasa"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise LabelFileError(f"{path}: cannot tell the format from the name; pass --format csv|jsonl|rasa")


# ------------------------------------------------------------------------------------------- reading

def read_rows(path: Path, fmt: str | None = None) -> list[LabelRow]:
    path = Path(path)
    fmt = format_of(path, fmt)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelFileError(f"{path}: cannot read: {exc}") from exc
    rows = {"csv": _read_csv, "jsonl": _read_jsonl, "rasa": _read_rasa}[fmt](content, path)
    return [r for r in rows if r.text.strip()]


def _pick(record_: dict, names: tuple[str, ...]) -> str:
    for name in names:
        if record_.get(name) not in (None, ""):
            return str(record_[name]).strip()
    return ""


def _from_record(record_: dict, where: str) -> LabelRow:
    text, label = _pick(record_, ("text", "utterance", "example")), _pick(record_, ("label", "intent"))
    if not label:
        raise LabelFileError(f"{where}: no 'label' (or 'intent') value")
    return LabelRow(text, label, _pick(record_, ("lang", "language")))


def _read_csv(content: str, path: Path) -> list[LabelRow]:
    reader = csv.DictReader(io.StringIO(content))
    columns = set(reader.fieldnames or [])
    if not columns & {"text", "utterance", "example"} or not columns & {"label", "intent"}:
        raise LabelFileError(f"{path}: a CSV needs a header with 'text' and 'label' (or 'intent') columns; "
                             f"found {sorted(columns)}")
    return [_from_record(row, f"{path}:{n}") for n, row in enumerate(reader, start=2)]


def _read_jsonl(content: str, path: Path) -> list[LabelRow]:
    rows = []
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelFileError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise LabelFileError(f"{path}:{n}: expected an object with 'text' and 'label'")
        rows.append(_from_record(data, f"{path}:{n}"))
    return rows


def _read_rasa(content: str, path: Path) -> list[LabelRow]:
    try:
        data = load_yaml(content)
    except yaml.YAMLError as exc:
        raise LabelFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        raise LabelFileError(f"{path}: a Rasa NLU file needs a top-level 'nlu:' list")
    rows = []
    for block in data["nlu"]:
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, regexes and lookup tables carry no labelled texts
        examples = block.get("examples") or ""
        lines = examples.splitlines() if isinstance(examples, str) else [str(e) for e in examples]
        for line in lines:
            text = line.strip()
            text = text.removeprefix("- ")
            text = _RASA_ENTITY.sub(r"\1", text).strip()
            if text:
                rows.append(LabelRow(text, str(block["intent"]).strip()))
    return rows


def map_intent(name: str, known: set[str]) -> str | None:
    """A label from a file as one of ours, or None if it matches nothing."""
    name = name.strip()
    if name in known:
        return name
    lowered = name.lower()
    if lowered in RASA_OUT_OF_SCOPE:
        return OUT_OF_SCOPE
    for candidate in (lowered.replace("__", ".", 1), lowered.replace("/", ".", 1), lowered.replace(":", ".", 1)):
        if candidate in known:
            return candidate
    return None


# ------------------------------------------------------------------------------------------- import

def import_labels(session: Session, path: Path, catalog, who: str, fmt: str | None = None,
                  role: str = "analyst") -> ImportReport:
    """Add the file's labelled texts (masked) as labelled items; unknown intents are reported, not added."""
    rows = read_rows(path, fmt)
    known = allowed_labels(catalog)
    seen = {(text, label) for text, label in session.execute(select(ReviewItem.text, ReviewItem.label)
                                               .where(ReviewItem.status == "labelled"))}
    report = ImportReport()
    now = utcnow()
    for row in rows:
        label = map_intent(row.label, known)
        if label is None:
            report.unknown_intents[row.label] = report.unknown_intents.get(row.label, 0) + 1
            continue
        if is_frozen_test_text(row.text):
            report.frozen_test += 1
            continue
        text = mask_pii(row.text)
        if (text, label) in seen:
            report.duplicates += 1
            continue
        seen.add((text, label))
        session.add(ReviewItem(source=f"import:{Path(path).name}"[:32], text=text, language=row.lang,
                               reasons=[], alternatives=[], status="labelled", label=label,
                               labelled_by=who, labelled_at=now))
        report.imported += 1
    record(session, who, role, "import", {"file": Path(path).name, **report.as_dict()})
    return report


# ------------------------------------------------------------------------------------------- export

def labelled_rows(session: Session) -> list[LabelRow]:
    items = session.scalars(select(ReviewItem).where(ReviewItem.status == "labelled", ReviewItem.label.is_not(None))
                            .order_by(ReviewItem.id))
    return [LabelRow(mask_pii(i.corrected_text or i.text), i.label, i.language or "") for i in items]


def render_rows(rows: list[LabelRow], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["text", "label", "lang"])
        writer.writerows([[r.text, r.label, r.lang] for r in rows])
        return out.getvalue()
    if fmt == "jsonl":
        return "".join(json.dumps({"text": r.text, "label": r.label, "lang": r.lang}, ensure_ascii=False) + "\n"
                       for r in rows)
    if fmt == "rasa":
        return _render_rasa(rows)
    raise LabelFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _render_rasa(rows: list[LabelRow]) -> str:
    by_intent: dict[str, list[str]] = {}
    for row in rows:
        by_intent.setdefault(row.label.replace(".", "__"), []).append(" ".join(row.text.split()))
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in dict.fromkeys(by_intent[intent])]
    return "\n".join(lines) + "\n"


def export_labels(session: Session, path: Path, fmt: str | None, who: str, role: str = "analyst") -> int:
    fmt = format_of(path, fmt)
    rows = labelled_rows(session)
    Path(path).write_text(render_rows(rows, fmt), encoding="utf-8")
    record(session, who, role, "export", {"file": Path(path).name, "format": fmt, "rows": len(rows)})
    return len(rows)

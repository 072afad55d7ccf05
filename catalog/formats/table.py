"""Every identifier format, read from formats.yaml, with the checks of checks.py added by name."""
from __future__ import annotations

import re
from pathlib import Path

from catalog.formats.base import IdentifierFormat, Wording
from catalog.formats.checks import CHECKS
from core.yaml_files import read_yaml

FORMATS_FILE = Path(__file__).with_name("formats.yaml")


def _at_least_digits(count: int):
    return lambda compact: sum(ch.isdigit() for ch in compact) >= count


def _expanding(template: str):
    return lambda match: match.expand(template)


def _from_row(name: str, row: dict) -> IdentifierFormat:
    built = {"valid": _at_least_digits(row["min_digits"])} if row.get("min_digits") else {}
    built.update({key: _expanding(row[key]) for key in ("value", "display") if key in row})
    return IdentifierFormat(
        name=name,
        label=Wording(**row["label"]),
        example=row["example"],
        rule=Wording(**row["rule"]),
        pattern=re.compile(row["pattern"]),
        personal=bool(row.get("personal", False)),
        cues=tuple(row.get("cues", ())),
        keep=row.get("keep", ""),
        **{**built, **CHECKS.get(name, {})},
    )


def load_formats(path: Path = FORMATS_FILE) -> dict[str, IdentifierFormat]:
    rows = read_yaml(path)
    unknown = set(CHECKS) - set(rows)
    if unknown:
        raise ValueError(f"checks.py names formats that {path.name} does not have: {sorted(unknown)}")
    return {name: _from_row(name, row) for name, row in rows.items()}

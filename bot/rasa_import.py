"""Read analysts' Rasa training data (data/nlu.yml, Rasa 3.x YAML) as mitra labelled texts.

Rasa intent names map to mitra intents when they are a service id, a meta intent, out_of_scope, the
exporter's own names, or a unique service short name (`caste_certificate` -> `revenue.caste_certificate`);
an explicit mapping wins. Everything else is reported, not guessed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from catalog.schema import TELUGU_RE  # one definition of Telugu script
from core.yaml_files import read_yaml
from nlu.training_data import LabelledText
from nlu.types import META_INTENTS, OUT_OF_SCOPE

ANNOTATION_RE = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
RASA_ALIASES = {"goodbye": "thanks", "bot_challenge": "help", "nlu_fallback": OUT_OF_SCOPE, "stop": "cancel"}


class RasaImportError(ValueError):
    """The file is not Rasa NLU training data; the message says where and why."""


@dataclass
class ImportResult:
    labelled: list[LabelledText] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)  # Rasa intent -> mitra intent
    unknown: dict[str, int] = field(default_factory=dict)  # Rasa intent -> examples left out


def read_rasa_nlu(path: Path, catalog, mapping: dict[str, str] | None = None) -> ImportResult:
    path = Path(path)
    try:
        data = read_yaml(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RasaImportError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RasaImportError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        raise RasaImportError(f"{path}: no 'nlu:' list; is this a Rasa 3.x data/nlu.yml?")
    resolve = _resolver(catalog, mapping or {})
    result = ImportResult()
    for index, block in enumerate(data["nlu"]):
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonym, regex and lookup blocks carry no labels
        rasa_intent = str(block["intent"])
        texts = _examples(block.get("examples"), path, index)
        intent = resolve(rasa_intent)
        if intent is None:
            result.unknown[rasa_intent] = result.unknown.get(rasa_intent, 0) + len(texts)
            continue
        result.mapped[rasa_intent] = intent
        result.labelled += [LabelledText(text, intent, _lang(text), f"rasa:{path.name}") for text in texts]
    return result


def write_labelled(result: ImportResult, out: Path) -> None:
    """JSON lines with text, label and lang: what `mitra train --data` and the analysts' import read."""
    with Path(out).open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"text": item.text, "label": item.intent, "lang": item.lang,
                                     "source": item.source}, ensure_ascii=False) + "\n" for item in result.labelled)


def _examples(raw, path: Path, index: int) -> list[str]:
    if isinstance(raw, str):
        lines = [line.strip() for line in raw.splitlines()]
        texts = [line[1:].strip() for line in lines if line.startswith("-")]
    elif isinstance(raw, list):  # the long form: [{text: ..., metadata: ...}]
        texts = [str(item.get("text", "")) if isinstance(item, dict) else str(item) for item in raw]
    else:
        raise RasaImportError(f"{path}: nlu item {index + 1}: 'examples' must be a block of '- text' lines")
    return [ANNOTATION_RE.sub(r"\1", t).strip() for t in texts if t and t.strip()]


def _lang(text: str) -> str:
    return "te" if TELUGU_RE.search(text) else ""  # Latin script may be English or romanized Telugu


def _resolver(catalog, mapping: dict[str, str]):
    services = set(catalog.services)
    known = services | set(META_INTENTS) | {OUT_OF_SCOPE}
    short: dict[str, list[str]] = {}
    for service_id in services:
        short.setdefault(service_id.split(".", 1)[1], []).append(service_id)

    def resolve(name: str) -> str | None:
        if name in mapping:
            return mapping[name] if mapping[name] in known else None
        if name in known:
            return name
        if name.startswith("form_") and name.removeprefix("form_").replace("__", ".") in services:
            return name.removeprefix("form_").replace("__", ".")
        if name.replace("__", ".") in services:
            return name.replace("__", ".")
        if len(short.get(name, [])) == 1:
            return short[name][0]
        return RASA_ALIASES.get(name)

    return resolve

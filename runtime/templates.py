"""The approved WhatsApp templates (runtime/templates.yaml): fill them, render them for Graph, export them.

The same filled body is the free-form text sent inside the service window and what the web chat shows, so a
citizen reads the same words whichever way the message went.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.render import clip
from core.yaml_files import read_yaml

TEMPLATES_FILE = Path(__file__).with_name("templates.yaml")
LANGUAGES = ("en", "te")
PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
PARAM_MAX = 1024  # Meta's limit for one body parameter


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Template:
    name: str
    category: str
    parameters: tuple[str, ...]
    example: tuple[str, ...]
    body: dict[str, str]  # language -> text with {{1}}...
    header: str | None = None  # "document" when the message carries a file

    def language_for(self, language: str | None) -> str:
        return "te" if (language or "").startswith("te") else "en"

    def values(self, params: dict) -> list[str]:
        missing = [p for p in self.parameters if str(params.get(p, "")).strip() == ""]
        if missing:
            raise TemplateError(f"template {self.name} needs {', '.join(missing)}")
        # Meta refuses parameters with new lines or long runs of spaces
        return [clip(" ".join(str(params[p]).split()), PARAM_MAX) for p in self.parameters]

    def text(self, language: str | None, params: dict) -> str:
        values = self.values(params)
        body = self.body[self.language_for(language)]
        return PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], body)

    def payload(self, to: str, language: str | None, params: dict, document: dict | None = None) -> dict:
        """The Cloud API message (type template); `document` is {"id": media id, "filename": ...}."""
        components = []
        if self.header == "document":
            if document is None:
                raise TemplateError(f"template {self.name} needs a document")
            components.append({"type": "header", "parameters": [{"type": "document", "document": document}]})
        components.append({"type": "body", "parameters": [{"type": "text", "text": v}
                                                          for v in self.values(params)]})
        return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
                "template": {"name": self.name, "language": {"code": self.language_for(language)},
                             "components": components}}

    def for_meta(self, language: str) -> dict:
        """The body of POST /{waba-id}/message_templates for one language."""
        components = []
        if self.header == "document":
            components.append({"type": "HEADER", "format": "DOCUMENT"})
        components.append({"type": "BODY", "text": self.body[language],
                           "example": {"body_text": [list(self.example)]}})
        return {"name": self.name, "language": language, "category": self.category.upper(),
                "components": components}


@lru_cache
def templates(path: Path = TEMPLATES_FILE) -> dict[str, Template]:
    raw = read_yaml(path)
    return {name: _check(name, spec) for name, spec in raw.items()}


def template(name: str) -> Template:
    try:
        return templates()[name]
    except KeyError:
        raise TemplateError(f"no template named {name!r}") from None


def export_for_meta() -> list[dict]:
    return [t.for_meta(language) for t in templates().values() for language in LANGUAGES]


def _check(name: str, spec: dict) -> Template:
    parameters = tuple(spec.get("parameters") or ())
    example = tuple(str(v) for v in spec.get("example") or ())
    if len(example) != len(parameters):
        raise TemplateError(f"template {name}: the example needs one value per parameter")
    body = spec.get("body") or {}
    for language in LANGUAGES:
        used = sorted({int(n) for n in PLACEHOLDER.findall(body.get(language, ""))})
        if used != list(range(1, len(parameters) + 1)):
            raise TemplateError(f"template {name} ({language}): the body must use {{{{1}}}}..{{{{{len(parameters)}}}}}")
    if spec.get("category") != "utility":
        raise TemplateError(f"template {name}: only utility templates are sent")
    return Template(name, spec["category"], parameters, example, {k: body[k] for k in LANGUAGES},
                    spec.get("header"))

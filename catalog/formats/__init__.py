"""The identifier formats a catalog field can name (`type: identifier`, `format: electricity_usc`), listed in
formats.yaml; checks.py adds checksums and computed values by format name.

`get_format(name)` gives an IdentifierFormat: `.normalize(text)`, `.check(text) -> Parsed(value, display)` or
FormatError(reason_en, reason_te), `.example`, `.mask(value)`, `.personal`. "digits:N" is N digits exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from catalog.formats.base import FormatError, IdentifierFormat, Parsed, Wording, ascii_digits, mask_last
from catalog.formats.table import load_formats

__all__ = ["FormatError", "IdentifierFormat", "Parsed", "UnknownFormat", "Wording", "ascii_digits", "check_examples", "format_names",
           "get_format", "mask_last"]

_REGISTRY: dict[str, IdentifierFormat] = load_formats()  # catalog/formats/formats.yaml
_DIGITS_RE = re.compile(r"digits:([1-9]\d?)")


class UnknownFormat(KeyError):
    """A catalog field names a format the registry does not have."""


def check_examples() -> list[str]:
    """Problems with the registry itself: an example its own format refuses. Empty when all is well."""
    problems = []
    for fmt in _REGISTRY.values():
        try:
            fmt.check(fmt.example)
        except FormatError as exc:
            problems.append(f"format {fmt.name}: its example {fmt.example!r} is refused: {exc.reason_en}")
    return problems


def format_names() -> list[str]:
    """Every named format (the parameterised `digits:N` is not listed)."""
    return sorted(_REGISTRY)


@lru_cache
def _digits(count: int) -> IdentifierFormat:
    example = ("1234567890" * 5)[:count]
    return IdentifierFormat(
        name=f"digits:{count}",
        label=Wording(f"{count}-digit number", f"{count} అంకెల నంబర్"),
        example=example,
        rule=Wording(f"Please send a number of {count} digits, like {example}.",
                     f"దయచేసి {count} అంకెల నంబర్ పంపండి, ఉదా. {example}."),
        pattern=re.compile(rf"\d{{{count}}}"),
    )


@dataclass(frozen=True)
class EitherFormat:
    """"vehicle_registration|department_reference": the first format that accepts the answer."""

    options: tuple[IdentifierFormat, ...]

    @property
    def name(self) -> str:
        return "|".join(f.name for f in self.options)

    @property
    def label(self) -> Wording:
        first = self.options[0].label
        return Wording(" / ".join(f.label.en for f in self.options), " / ".join(f.label.te for f in self.options)) \
            if len(self.options) > 1 else first

    @property
    def example(self) -> str:
        return self.options[0].example

    @property
    def rule(self) -> Wording:
        """What each kind of number looks like: a refusal names them all, not the first alone."""
        return Wording(" ".join(f.rule.en for f in self.options), " ".join(f.rule.te for f in self.options))

    @property
    def personal(self) -> bool:
        return any(f.personal for f in self.options)

    def normalize(self, text: str) -> str:
        return self.options[0].normalize(text)

    def check(self, text: str) -> Parsed:
        for fmt in self.options:
            try:
                return fmt.check(text)
            except FormatError:
                continue
        raise FormatError(self.rule.en, self.rule.te)

    def owner(self, value: str) -> IdentifierFormat:
        return next((f for f in self.options if f.accepts(value)), self.options[0])

    def others_than_named(self, text: str) -> tuple[IdentifierFormat, ...]:
        """The options `text` does not name, where it names some by their own words ("I don't have the pension
        ID" -> the Aadhaar number); empty where it names none or all of them."""
        named = [f for f in self.options if _says_any(text, self._own_cues(f))]
        return tuple(f for f in self.options if f not in named) if 0 < len(named) < len(self.options) else ()

    def _own_cues(self, option: IdentifierFormat) -> set[str]:
        shared = set().union(*(set(f.cues) for f in self.options if f is not option))
        return set(option.cues) - shared

    def mask(self, value: str) -> str:
        return self.owner(value).mask(value)

    def accepts(self, text: str) -> bool:
        return any(f.accepts(text) for f in self.options)


def _says_any(text: str, cues: set[str]) -> bool:
    """Whether a cue stands in `text` as a word; a Telugu one may carry a case ending ("పింఛనుకు")."""
    said = (text or "").casefold()
    return any(re.search(rf"(?<![\w]){re.escape(cue.casefold())}" + ("" if not cue.isascii() else r"(?![a-z])"), said)
               for cue in cues)


def get_format(name: str) -> IdentifierFormat:
    if "|" in (name or ""):
        return EitherFormat(tuple(get_format(part) for part in name.split("|")))
    if name in _REGISTRY:
        return _REGISTRY[name]
    digits = _DIGITS_RE.fullmatch(name or "")
    if digits:
        return _digits(int(digits.group(1)))
    raise UnknownFormat(f"unknown identifier format {name!r}; known: {', '.join(format_names())}, digits:N")

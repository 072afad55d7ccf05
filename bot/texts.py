"""The bot's words, in one language per reply.

A citizen whose language is known (their explicit choice, or the language of their own words) gets every text in
that language: English, or Telugu for Telugu script and romanized Telugu alike. Only while nothing is known yet
(a first "hi", a digit) does a text come in Telugu followed by English ("both"); nested texts (a range inside an
error, the documents inside a summary) are filled in per half, so no block appears twice in a half.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from catalog.schema import Bilingual
from core.yaml_files import read_yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")
BUTTON_TITLE_MAX = 20
BOTH = "both"  # the language is not known yet


@lru_cache
def messages() -> dict[str, dict[str, str]]:
    return read_yaml(MESSAGES_FILE)


def column_of(language: str) -> str:
    """The messages.yaml column for a language tag: "te" for Telugu script and romanized Telugu."""
    return "te" if language.startswith("te") else "en"


class PerColumn:
    """A value written differently per language: `PerColumn(lambda column: ...)` ("en" or "te")."""

    def __init__(self, write):
        self.write = write


class Texts:
    """`Texts("te").say("welcome")`: one citizen's language applied to every text.

    Values passed to `say` may be plain strings, catalog `Bilingual` texts, or `(key, values)` pairs for a
    nested message; the last two are resolved in the language of the half being written.
    """

    def __init__(self, language: str):
        self.language = language if language in ("en", "te", "te-latn", BOTH) else "en"

    @property
    def both(self) -> bool:
        return self.language == BOTH

    @property
    def columns(self) -> tuple[str, ...]:
        return ("te", "en") if self.both else (column_of(self.language),)

    def say(self, key: str, **values) -> str:
        return "\n\n".join(self._in(column, key, values) for column in self.columns)

    def _in(self, column: str, key: str, values: dict) -> str:
        return messages()[key][column].format(**{name: self._value(column, value) for name, value in values.items()})

    def _value(self, column: str, value):
        if isinstance(value, tuple):
            return self._in(column, *value)
        if isinstance(value, PerColumn):
            return value.write(column)
        if isinstance(value, Bilingual):
            return value.te if column == "te" else value.en
        if isinstance(value, list):
            return ", ".join(str(self._value(column, item)) for item in value)
        return value

    def title(self, key: str) -> str:
        """A short text for a button or list title."""
        entry = messages()[key]
        if self.both:
            combined = f"{entry['te']} / {entry['en']}"
            return combined if len(combined) <= BUTTON_TITLE_MAX else entry["en"]
        return entry[self.columns[0]]

    def word(self, key: str) -> PerColumn:
        """A message used inside another one, in the language of each half."""
        return PerColumn(lambda column: messages()[key][column])

    def pick(self, text: Bilingual) -> str:
        """A catalog text (service name, prompt...)."""
        if self.both:
            return f"{text.te}\n{text.en}" if text.te != text.en else text.te
        return text.te if self.columns[0] == "te" else text.en

    def name(self, text: Bilingual) -> str:
        """A catalog name on one line (lists, summaries)."""
        if self.both:
            return f"{text.te} ({text.en})" if text.te != text.en else text.te
        return text.te if self.columns[0] == "te" else text.en


def telugu_towards(name: str) -> str:
    """A Telugu place name with the "to" (dative) ending: -కి after an i or e sound, -ానికి for a final ం,
    else -కు ("తిరుపతికి", "విశాఖపట్నానికి", "విజయవాడకు", "గుంటూరుకు"). After a name ending in a bare consonant
    ("హైదరాబాద్") a zero-width non-joiner keeps the ending from fusing with it ("హైదరాబాద్‌కు", not "హైదరాబాద్కు")."""
    if name.endswith("ం"):
        return name[:-1] + "ానికి"
    if name.endswith("్"):
        return name + "\u200cకు"
    return name + ("కి" if name[-1:] in ("ి", "ీ", "ె", "ే") else "కు")

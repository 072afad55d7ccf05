"""The bot's words, chosen by the citizen's language.

Romanized-Telugu writers ("te-latn") often read Telugu script haltingly, so they get the Telugu text
followed by the English one; button titles become "తెలుగు / English" when that fits in WhatsApp's 20 characters.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from catalog.schema import Bilingual

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")
BUTTON_TITLE_MAX = 20


@lru_cache
def messages() -> dict[str, dict[str, str]]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


class Texts:
    """`Texts("te").say("welcome")`: one citizen's language applied to every text."""

    def __init__(self, language: str):
        self.language = language if language in ("en", "te", "te-latn") else "en"

    @property
    def both(self) -> bool:
        return self.language == "te-latn"

    def say(self, key: str, **values) -> str:
        """`values` may hold (key, values) pairs for nested texts, e.g. a range inside an error."""
        if self.both:
            return self._in("te", key, values) + "\n\n" + self._in("en", key, values)
        return self._in(self._column(), key, values)

    def _in(self, column: str, key: str, values: dict) -> str:
        resolved = {name: self._in(column, *value) if isinstance(value, tuple) else value
                    for name, value in values.items()}
        return messages()[key][column].format(**resolved)

    def title(self, key: str) -> str:
        """A short text for a button or list title."""
        entry = messages()[key]
        if self.both:
            combined = f"{entry['te']} / {entry['en']}"
            return combined if len(combined) <= BUTTON_TITLE_MAX else entry["te"]
        return entry[self._column()]

    def pick(self, text: Bilingual) -> str:
        """A catalog text (service name, prompt...)."""
        if self.both:
            return f"{text.te}\n{text.en}" if text.te != text.en else text.te
        return text.te if self.language == "te" else text.en

    def name(self, text: Bilingual) -> str:
        """A catalog name on one line (lists, summaries)."""
        if self.both:
            return f"{text.te} ({text.en})"
        return text.te if self.language == "te" else text.en

    def _column(self) -> str:
        return "te" if self.language == "te" else "en"

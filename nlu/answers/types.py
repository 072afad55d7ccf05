"""What understanding one answer gives back: the value, or why it is unclear and what the citizen may mean."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from catalog.schema import Gazetteer

SURE = 1.0
# Below this the dialogue shows what it understood and asks the citizen to confirm.
CONFIRM_BELOW = 0.8


@dataclass(frozen=True)
class AnswerContext:
    gazetteer: Gazetteer
    today: date
    choice_id: str | None = None  # a tapped WhatsApp button or list row ("opt:sc")
    encoder: object | None = None  # the router's sentence encoder, for choices by meaning (nlu.embeddings)


@dataclass(frozen=True)
class Answer:
    value: str  # what is stored
    display: str  # how it is shown back ("FIR 123/2026", "Guntur", "15-08-2026")
    confidence: float = SURE
    # How the value was read, when that needs saying: a bot/messages.yaml key and its values
    # ("₹1,80,000 a year (₹15,000 a month)").
    note: tuple[str, dict] | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.confidence < CONFIRM_BELOW


@dataclass(frozen=True)
class Suggestion:
    value: str
    label_en: str
    label_te: str


@dataclass(frozen=True)
class Unclear:
    """Not understood. `key` names the reason in bot/messages.yaml (with `values`); a reason that comes from an
    identifier format is given directly in both languages instead (`reason_en`, `reason_te`)."""

    key: str
    values: dict = field(default_factory=dict)
    reason_en: str = ""
    reason_te: str = ""
    suggestions: tuple[Suggestion, ...] = ()

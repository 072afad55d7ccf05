"""What the language-understanding layer hands to the rest of mitra."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Language = Literal["en", "te", "te-latn", "mixed"]
Decision = Literal["route", "clarify", "out_of_scope", "meta"]

META_INTENTS = ("greet", "help", "menu", "cancel", "change_language", "human_agent", "thanks")
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Entity:
    """Something a workflow needs, found in the citizen's words.

    `value` is the normalized value (e.g. district id, ISO date, 12 digits); for Aadhaar, `text` is masked.
    """

    type: str  # aadhaar, mobile, date, district, town, temple, reference, amount, survey_number
    value: str
    text: str
    start: int
    end: int
    format: str = ""  # for identifiers and references: the catalog.formats name ("fir", "electricity_usc")


@dataclass
class Alternative:
    intent: str
    score: float


@dataclass
class RouteResult:
    text: str
    normalized_text: str
    language: Language
    intent: str  # a service id, a meta intent or "out_of_scope"
    service_id: str | None
    decision: Decision
    confidence: float
    alternatives: list[Alternative] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    model_version: str = ""
    source: Literal["text", "voice"] = "text"
    # voice only: the transcript when it is in the script of the language it was spoken in (safe to show
    # the citizen as "Did you say …?"), else "" (never a transcript in a script the citizen cannot read)
    echo: str = ""
    look_alikes: list[str] = field(default_factory=list)  # with "clarify": look-alike services to ask between

    def to_dict(self) -> dict:
        return asdict(self)

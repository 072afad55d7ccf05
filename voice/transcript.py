"""What speech recognition hands to the rest of mitra: the words, the language and how sure it is."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Segment:
    start: float  # seconds in the original note
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    temperature: float = 0.0
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # the beam's other readings


@dataclass
class Transcript:
    text: str
    language: str  # "te" or "en"
    language_probs: dict[str, float]  # {"te": p, "en": 1 - p}, from one encoder pass
    confidence: float  # 0..1: how far the bot may trust `text` as the citizen's words
    segments: list[Segment]
    duration_s: float  # of the note as sent
    processing_s: float
    engine: str
    model: str
    language_fixed: bool = False  # the caller (or the citizen's saved preference) chose the language
    decoded_as: str = ""  # the Whisper language token used to decode (may differ from `language`)
    issues: list[str] = field(default_factory=list)  # looping, no_speech, time_limit, wrong_script ...
    hypotheses: list[str] = field(default_factory=list)  # other readings of the same sounds (Telugu)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def speech_s(self) -> float:
        return sum(s.end - s.start for s in self.segments)

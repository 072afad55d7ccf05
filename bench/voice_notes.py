"""The voice bench's notes and transcripts: request sentences spoken by espeak-ng voice variants, encoded the way
phones send them, transcribed once per recognizer setting and cached (the 2-core machine cannot afford to
transcribe the same note twice).

Sentences: bench/data/voice_requests.tsv (177 per language, written for this bench; odd rows tune, even rows
report). Voices: VOICES below. Transcripts: var/bench/voice/<setting>/<voice>.<language>.jsonl, one
voice.transcript.Transcript per line with the row it belongs to.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "voice_requests.tsv"
WORK = ROOT / "var" / "bench" / "voice"


@dataclass(frozen=True)
class Request:
    row: int  # 1-based row in the data file (comments not counted)
    service_id: str
    text: dict  # language -> sentence

    @property
    def split(self) -> str:
        return "tune" if self.row % 2 else "report"


@dataclass(frozen=True)
class Voice:
    """One way of saying the sentences: an espeak-ng variant, speed and pitch, a container, optional noise."""

    name: str
    variant: str = ""  # espeak-ng "+m3", "+f2"
    speed: int = 150
    pitch: int = 50
    fmt: str = "ogg"
    snr_db: float | None = None  # white noise at this signal-to-noise ratio


VOICES = {v.name: v for v in (
    Voice("plain"),
    Voice("m3", "+m3", 140, 40),
    Voice("f2", "+f2", 160, 70),
    Voice("fast", speed=185),
    Voice("amr8k", fmt="amr"),
    Voice("noisy", snr_db=15.0),
)}


def requests(split: str = "all") -> list[Request]:
    rows = [r for r in csv.reader(DATA.open(encoding="utf-8"), delimiter="\t") if r and not r[0].startswith("#")]
    found = [Request(i, sid, {"en": en, "te": te}) for i, (sid, en, te) in enumerate(rows, 1)]
    return [r for r in found if split == "all" or r.split == split]


def note(request: Request, language: str, voice: Voice) -> Path:
    """The note's file, made on first use."""
    from voice.espeak import encode, speak

    path = WORK / "notes" / voice.name / f"{request.row:03d}.{language}.{voice.fmt}"
    if not path.exists():
        samples = speak(request.text[language], language + voice.variant, voice.speed, voice.pitch)
        if voice.snr_db is not None:
            samples = with_noise(samples, voice.snr_db, seed=request.row)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(samples, voice.fmt))
    return path


def with_noise(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    power = float(np.mean(samples ** 2)) or 1e-8
    noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), samples.shape)
    return np.clip(samples + noise, -1.0, 1.0).astype(np.float32)


def transcripts_path(setting: str, voice: str, language: str) -> Path:
    return WORK / setting / f"{voice}.{language}.jsonl"


def load_transcripts(setting: str, voice: str, language: str) -> dict[int, object]:
    """row -> Transcript, from the cache."""
    from voice.transcript import Segment, Transcript

    path = transcripts_path(setting, voice, language)
    found = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            row = data.pop("row")
            data["segments"] = [Segment(**s) for s in data["segments"]]
            found[row] = Transcript(**data)
    return found


def transcribe_all(transcriber, setting: str, voice: Voice, language: str, chosen: list[Request],
                   language_hint: str | None = None) -> dict[int, object]:
    """Transcripts of `chosen` notes, transcribing only those not cached for this setting."""
    cached = load_transcripts(setting, voice.name, language)
    path = transcripts_path(setting, voice.name, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as sink:
        for request in chosen:
            if request.row in cached:
                continue
            transcript = transcriber.transcribe(note(request, language, voice), language=language_hint)
            cached[request.row] = transcript
            sink.write(json.dumps({"row": request.row, **transcript.to_dict()}, ensure_ascii=False) + "\n")
            sink.flush()
    return {r.row: cached[r.row] for r in chosen}

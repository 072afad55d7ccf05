"""Trim silence with Silero VAD (bundled with faster-whisper, ONNX) and cut speech into ≤30 s windows."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from voice.audio import SAMPLE_RATE

WINDOW_SECONDS = 30.0
# Pauses in a spoken request are short; keep 200 ms around speech so word edges survive.
VAD_OPTIONS = VadOptions(threshold=0.5, min_silence_duration_ms=500, speech_pad_ms=200)


@dataclass
class SpeechWindow:
    samples: np.ndarray
    start: float  # seconds in the original note
    end: float


def speech_windows(samples: np.ndarray, use_vad: bool = True) -> list[SpeechWindow]:
    """The note's speech, silence removed, in windows Whisper can take in one pass. Empty: no speech."""
    if not use_vad:
        spans = [{"start": 0, "end": samples.size}]
    else:
        spans = get_speech_timestamps(samples, VAD_OPTIONS, sampling_rate=SAMPLE_RATE)
    limit = int(WINDOW_SECONDS * SAMPLE_RATE)
    windows: list[SpeechWindow] = []
    pieces: list[np.ndarray] = []
    first = last = 0
    for span in _split_long(spans, limit):
        piece = samples[span["start"]:span["end"]]
        if pieces and sum(p.size for p in pieces) + piece.size > limit:
            windows.append(_window(pieces, first, last))
            pieces = []
        if not pieces:
            first = span["start"]
        pieces.append(piece)
        last = span["end"]
    if pieces:
        windows.append(_window(pieces, first, last))
    return windows


def _split_long(spans: list[dict], limit: int) -> list[dict]:
    out = []
    for span in spans:
        for start in range(span["start"], span["end"], limit):
            out.append({"start": start, "end": min(start + limit, span["end"])})
    return out


def _window(pieces: list[np.ndarray], first: int, last: int) -> SpeechWindow:
    return SpeechWindow(np.concatenate(pieces), first / SAMPLE_RATE, last / SAMPLE_RATE)

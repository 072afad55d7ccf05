"""Decode a voice note (OGG/Opus, MP3, M4A/AAC, AMR, WAV ...) to 16 kHz mono float32 with PyAV.

Limits are enforced before and while decoding: the byte size before anything is opened, the declared
duration from the header, and the decoded duration as frames arrive (decoding stops at the limit, so a
two-hour file or a header that lies costs no more than `max_seconds` of samples).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

import av
import numpy as np

SAMPLE_RATE = 16000
DEFAULT_MAX_SECONDS = 120.0
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# Below this RMS (about -60 dBFS) a note holds nothing a recognizer could use.
SILENCE_RMS = 1e-3
# Container formats a phone or browser sends voice notes in; everything else is refused unopened.
ACCEPTED_FORMATS = {"ogg", "mp3", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "amr", "wav", "webm",
                    "matroska", "flac", "aac"}

# Leading bytes of the accepted formats: a file that starts like one but will not open is damaged.
MAGIC = (b"OggS", b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xf1", b"\xff\xf9", b"RIFF",
         b"#!AMR", b"\x1aE\xdf\xa3", b"fLaC")

Reason = Literal["empty", "silent", "too_long", "too_large", "unsupported", "corrupt"]


class AudioError(ValueError):
    """A voice note that cannot be used. `reason` is a stable code; the message is citizen-readable."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def to_dict(self) -> dict:
        return {"error": self.reason, "message": self.message}


AudioInput = bytes | bytearray | str | Path


def _open_source(data: AudioInput, max_bytes: int):
    if isinstance(data, (bytes, bytearray)):
        size = len(data)
        source = io.BytesIO(bytes(data))
    else:
        path = Path(data)
        if not path.is_file():
            raise AudioError("unsupported", f"No audio file at {path}.")
        size = path.stat().st_size
        source = str(path)
    if size == 0:
        raise AudioError("empty", "The voice note is empty.")
    if size > max_bytes:
        raise AudioError("too_large", f"The voice note is too large ({size / 1e6:.1f} MB; "
                                      f"the limit is {max_bytes / 1e6:.1f} MB).")
    return source


def _open_container(source, max_seconds: float):
    try:
        # small probe limits: a crafted header cannot make the demuxer read or buffer much
        container = av.open(source, mode="r", options={"probesize": "1000000", "analyzeduration": "5000000"})
    except (av.FFmpegError, UnicodeDecodeError, OSError) as exc:
        if _looks_like_audio(source):
            raise AudioError("corrupt", "The voice note is damaged and could not be played.") from exc
        raise AudioError("unsupported", "This file is not an audio format we can read "
                                        "(send a WhatsApp voice note, MP3, M4A, AMR or WAV).") from exc
    names = set(container.format.name.split(","))
    if not names & ACCEPTED_FORMATS or not container.streams.audio:
        container.close()
        raise AudioError("unsupported", f"This file ({container.format.name}) has no audio we can read "
                                        "(send a WhatsApp voice note, MP3, M4A, AMR or WAV).")
    declared = container.duration / av.time_base if container.duration else None
    if declared is not None and declared > max_seconds + 1.0:
        container.close()
        raise AudioError("too_long", _too_long_message(max_seconds))
    return container


def _looks_like_audio(source) -> bool:
    if isinstance(source, io.BytesIO):
        head = source.getvalue()[:12]
    else:
        with open(source, "rb") as handle:
            head = handle.read(12)
    return head.startswith(MAGIC) or head[4:8] == b"ftyp"


def _too_long_message(max_seconds: float) -> str:
    return f"The voice note is longer than {max_seconds:.0f} seconds; please send a shorter one."


def _decode_stream(container, max_seconds: float) -> np.ndarray:
    stream = container.streams.audio[0]
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        for frame in container.decode(stream):
            frame.pts = None  # the resampler must not try to fill timestamp gaps with silence
            for out in resampler.resample(frame):
                chunk = out.to_ndarray().reshape(-1)
                chunks.append(chunk)
                total += chunk.size
            if total > limit:
                raise AudioError("too_long", _too_long_message(max_seconds))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as exc:
        if total == 0:
            raise AudioError("corrupt", "The voice note is damaged and could not be played.") from exc
        # a truncated upload keeps what decoded cleanly before the damage
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size > limit:
        raise AudioError("too_long", _too_long_message(max_seconds))
    return samples.astype(np.float32, copy=False)


def check_samples(samples: np.ndarray) -> np.ndarray:
    """Reject audio with nothing in it: no samples, or silence throughout."""
    if samples.size < SAMPLE_RATE // 10:
        raise AudioError("empty", "The voice note has no sound in it.")
    if not np.isfinite(samples).all():
        raise AudioError("corrupt", "The voice note is damaged and could not be played.")
    if float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) < SILENCE_RMS:
        raise AudioError("silent", "The voice note is silent; please speak closer to the phone and try again.")
    return samples


def decode_audio(data: AudioInput, *, max_seconds: float = DEFAULT_MAX_SECONDS,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> np.ndarray:
    """Bytes or a path in, 16 kHz mono float32 samples in [-1, 1] out; AudioError with a reason otherwise."""
    source = _open_source(data, max_bytes)
    container = _open_container(source, max_seconds)
    try:
        samples = _decode_stream(container, max_seconds)
    finally:
        container.close()
    return check_samples(samples)


def duration_s(samples: np.ndarray) -> float:
    return samples.size / SAMPLE_RATE

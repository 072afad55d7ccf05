"""Make voice notes from text with espeak-ng, encoded the way phones send them (for tests, benches, demos).

WhatsApp sends OGG/Opus at 16 kHz mono, about 16 kbit/s; older phones send AMR-NB at 8 kHz. Encoding goes
through PyAV (FFmpeg's libraries), whose build has the AMR-NB encoder that many ffmpeg CLIs lack.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from voice.audio import decode_audio


@dataclass(frozen=True)
class Encoding:
    container: str
    codec: str
    rate: int
    bit_rate: int | None = None


ENCODINGS = {
    "ogg": Encoding("ogg", "libopus", 16000, 16000),
    "mp3": Encoding("mp3", "libmp3lame", 16000, 32000),
    "m4a": Encoding("mp4", "aac", 16000, 32000),
    "amr": Encoding("amr", "libopencore_amrnb", 8000, 12200),
    "wav": Encoding("wav", "pcm_s16le", 16000),
}


class SpeechSynthesisError(RuntimeError):
    pass


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str = "en", speed: int = 150, pitch: int = 50) -> np.ndarray:
    """Say `text` with espeak-ng voice `voice` ("en", "te", "en+m3", "te+f2"); 16 kHz mono float32."""
    if not espeak_available():
        raise SpeechSynthesisError("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        result = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav),
                                 text],
                                capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0 or not wav.is_file():
            raise SpeechSynthesisError(f"espeak-ng failed: {result.stderr.strip()}")
        return decode_audio(wav)


def encode(samples: np.ndarray, fmt: str) -> bytes:
    """16 kHz mono float32 samples -> the bytes of an audio file in `fmt` (ogg, mp3, m4a, amr, wav)."""
    if fmt not in ENCODINGS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(ENCODINGS)}")
    spec = ENCODINGS[fmt]
    if spec.codec not in av.codecs_available:
        raise SpeechSynthesisError(f"this PyAV build (av {av.__version__}) has no {spec.codec} encoder for {fmt} "
                                   "notes; av 18.1.1's wheels dropped the AMR one: pip install 'av<18.1.1'")
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).reshape(1, -1)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=spec.container) as out:
        stream = out.add_stream(spec.codec, rate=spec.rate, layout="mono")
        if spec.bit_rate:
            stream.bit_rate = spec.bit_rate
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=spec.rate)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = 16000
        frames = [*resampler.resample(frame), *resampler.resample(None)] if pcm.size else []
        for resampled in frames:
            for packet in _encode_in_codec_frames(stream, resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def _encode_in_codec_frames(stream, frame):
    """Codecs with a fixed frame size (Opus, AMR, AAC, MP3) need frames of exactly that size."""
    size = stream.codec_context.frame_size
    if not size:
        return stream.encode(frame)
    data = frame.to_ndarray()
    packets = []
    for start in range(0, data.shape[1], size):
        chunk = data[:, start:start + size]
        if chunk.shape[1] < size:
            chunk = np.pad(chunk, ((0, 0), (0, size - chunk.shape[1])))
        piece = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format=frame.format.name, layout="mono")
        piece.sample_rate = frame.sample_rate
        packets.extend(stream.encode(piece))
    return packets


# What a reply shows but a voice should not read out: WhatsApp *bold*/_italic_ marks, bullets, links.
_MARKUP_RE = re.compile(r"[*_~`•👇]|https?://\S+")
REPLY_SPEED = 140  # a little slower than espeak-ng's default: replies are listened to once, on a phone


def spoken_text(text: str) -> str:
    return " ".join(_MARKUP_RE.sub(" ", text).split())


def spoken_reply(text: str, language: str) -> bytes:
    """A bot reply as a WhatsApp voice message (OGG/Opus), in the Telugu or English espeak-ng voice."""
    return voice_note(spoken_text(text), "te" if language == "te" else "en", "ogg", REPLY_SPEED)


def voice_note(text: str, voice: str = "en", fmt: str = "ogg", speed: int = 150) -> bytes:
    return encode(speak(text, voice, speed), fmt)

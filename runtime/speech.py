"""Voice notes to transcripts, shared by the inbox worker, the chat page and the REST endpoints."""
from __future__ import annotations


class SpeechError(ValueError):
    """The audio could not be used; `reason` is a stable code and the message is citizen-readable."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def decode(services, content: bytes):
    """16 kHz samples within the configured limits, or SpeechError."""
    from voice.audio import AudioError, decode_audio

    settings = services.settings
    try:
        return decode_audio(content, max_seconds=settings.max_audio_seconds, max_bytes=settings.max_audio_bytes)
    except AudioError as exc:
        raise SpeechError(exc.reason, exc.message) from exc


def transcribe_bytes(services, content: bytes, language: str | None = None):
    samples = decode(services, content)  # refuse bad audio before loading any model
    return transcribe_samples(services, samples, language)


def transcribe_samples(services, samples, language: str | None = None):
    """The transcript, or SpeechError when the recognizer finds no speech in the samples (noise, hum)."""
    from runtime.metrics import timed_recognition
    from voice.audio import AudioError

    try:
        with timed_recognition():
            return services.transcriber().transcribe(samples, language=language)
    except AudioError as exc:
        raise SpeechError(exc.reason, exc.message) from exc

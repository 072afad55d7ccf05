"""/v1/transcribe, /v1/route/audio and /v1/chat/audio refuse bad uploads before decoding, with reasons."""
from __future__ import annotations

import io
import wave

import httpx
import numpy as np
import pytest

from api.app import create_app
from tests.fakes.http_server import ThreadedServer


@pytest.fixture
def api_url(services_factory, settings):
    services = services_factory()
    services.settings = settings.model_copy(update={"max_audio_bytes": 64 * 1024, "max_audio_seconds": 1.0})
    with ThreadedServer(create_app(services.settings, services=services, run_worker=False)) as server:
        yield server.url
    assert services._transcriber is None  # none of these requests got as far as loading Whisper


def wav_bytes(seconds: float, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        t = np.arange(int(seconds * rate)) / rate
        out.writeframes((0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


ENDPOINTS = ["/v1/transcribe", "/v1/route/audio", "/v1/chat/audio"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_oversized_upload_is_413(api_url, path):
    big = b"\0" * (200 * 1024)
    response = httpx.post(api_url + path, files={"file": ("note.ogg", big, "audio/ogg")})
    assert response.status_code == 413 and "limit" in response.text


@pytest.mark.parametrize("path", ENDPOINTS)
def test_oversized_upload_without_content_length_is_cut_off_while_streaming(api_url, path):
    boundary = "mitraboundary"

    def body():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.ogg\"\r\n"
               f"Content-Type: audio/ogg\r\n\r\n").encode()
        for _ in range(100):  # 100 × 8 KiB, sent chunked: no Content-Length to refuse up front
            yield b"\0" * 8192
        yield f"\r\n--{boundary}--\r\n".encode()

    response = httpx.post(api_url + path, content=body(),
                          headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413


@pytest.mark.parametrize("path", ENDPOINTS)
def test_non_audio_type_is_415(api_url, path):
    response = httpx.post(api_url + path, files={"file": ("x.png", b"\x89PNG\r\n", "image/png")})
    assert response.status_code == 415 and "image/png" in response.text
    response = httpx.post(api_url + path, json={"file": "x"})
    assert response.status_code == 415


@pytest.mark.parametrize("path", ENDPOINTS)
def test_audio_that_does_not_decode_is_422_with_a_reason(api_url, path):
    response = httpx.post(api_url + path, files={"file": ("n.ogg", b"OggS" + b"\x01" * 500, "audio/ogg")})
    assert response.status_code == 422
    assert response.json()["detail"]["message"]


def test_missing_file_part_and_empty_file_are_422(api_url):
    response = httpx.post(api_url + "/v1/transcribe", files={"other": ("n.wav", b"RIFF", "audio/wav")})
    assert response.status_code == 422 and "'file'" in response.text
    response = httpx.post(api_url + "/v1/transcribe", files={"file": ("n.wav", b"", "audio/wav")})
    assert response.status_code == 422 and "empty" in response.text


@pytest.mark.parametrize("path", ENDPOINTS)
def test_too_long_recording_is_refused_before_transcribing(api_url, path):
    response = httpx.post(api_url + path, files={"file": ("n.wav", wav_bytes(1.8), "audio/wav")})
    assert response.status_code == 422 and response.json()["detail"]["error"] == "too_long"


def test_unknown_language_is_422(api_url):
    response = httpx.post(api_url + "/v1/transcribe", files={"file": ("n.wav", wav_bytes(1.0), "audio/wav")},
                          data={"language": "fr"})
    assert response.status_code == 422 and "language" in response.text

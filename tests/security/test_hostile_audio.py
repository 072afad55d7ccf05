"""Hostile voice notes: 10 MB of noise (as bytes and as a real WAV), headers that claim hours of audio, nonsense
formats. Each is refused with a reason (REST) or a polite reply (WhatsApp), quickly and without big allocations."""
from __future__ import annotations

import resource
import struct

import httpx
import numpy as np
import pytest

from tests.utils.net import wait_for
from tests.utils.webhooks import message_webhook, signed

WA = "919812300002"
TEN_MB = 10 * 1024 * 1024


def wav(samples: bytes, rate: int = 16000, channels: int = 1, bits: int = 16, data_size: int | None = None,
        riff_size: int | None = None) -> bytes:
    """A RIFF/WAVE file whose header may lie about its size, rate or layout."""
    block = channels * bits // 8
    data_size = len(samples) if data_size is None else data_size
    header = b"RIFF" + struct.pack("<I", riff_size if riff_size is not None else min(36 + data_size, 0xFFFFFFFF))
    header += b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits)
    return header + b"data" + struct.pack("<I", data_size) + samples


def noise(seconds: float, rate: int = 16000) -> bytes:
    rng = np.random.default_rng(7)
    return (rng.uniform(-0.5, 0.5, int(seconds * rate)) * 32767).astype("<i2").tobytes()


ONE_SECOND = noise(1.0)
HOSTILE_NOTES = {
    "10MB-random-bytes": (np.random.default_rng(1).integers(0, 256, TEN_MB, dtype=np.uint8).tobytes(), "audio/ogg"),
    "10MB-noise-wav": (wav(noise(TEN_MB / 32000)), "audio/wav"),  # about 5.5 minutes: over the 2-minute limit
    "wav-claims-4GB": (wav(ONE_SECOND, data_size=0xFFFFFFF0, riff_size=0xFFFFFFFF), "audio/wav"),
    "wav-at-1Hz": (wav(ONE_SECOND, rate=1), "audio/wav"),  # 16000 "seconds" in 32 kB
    "wav-255-channels": (wav(ONE_SECOND, channels=255), "audio/wav"),
    "wav-0-bits": (wav(ONE_SECOND, bits=0), "audio/wav"),
    "ogg-magic-then-garbage": (b"OggS" + b"\x00" * 4096, "audio/ogg"),
    "zip-file": (b"PK\x03\x04" + b"\x00" * 4096, "audio/ogg"),
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name", list(HOSTILE_NOTES))
def test_hostile_notes_are_refused_by_the_decoder_with_a_reason(name):
    from voice.audio import AudioError, decode_audio

    content, _ = HOSTILE_NOTES[name]
    before = peak_rss_mb()
    try:
        samples = decode_audio(content, max_seconds=120)
    except AudioError as exc:
        assert exc.reason in ("too_long", "unsupported", "corrupt", "empty", "silent") and exc.message
    else:  # a lying header may still decode: then only what the file really holds, within the limit
        assert samples.size <= 121 * 16000
    assert peak_rss_mb() - before < 400, f"{name} made decoding allocate {peak_rss_mb() - before:.0f} MB"


@pytest.mark.parametrize("name", ["10MB-random-bytes", "10MB-noise-wav", "wav-at-1Hz", "zip-file"])
def test_rest_upload_of_hostile_notes_gets_a_4xx(server, name):
    content, mime = HOSTILE_NOTES[name]
    for path in ("/v1/transcribe", "/v1/route/audio", "/v1/chat/audio"):
        response = httpx.post(f"{server.url}{path}", files={"file": ("note", content, mime)}, timeout=60)
        assert response.status_code in (413, 415, 422), (path, response.status_code, response.text[:200])
        assert response.json()["detail"]["message"]


def test_whatsapp_hostile_notes_get_a_polite_reply(server, graph):
    names = ["10MB-random-bytes", "10MB-noise-wav", "wav-claims-4GB", "zip-file"]
    oversized = graph.add_media(b"\x00" * (20 * 1024 * 1024), "audio/ogg")  # over the 16 MB download limit
    media = [graph.add_media(*HOSTILE_NOTES[n]) for n in names] + [oversized]
    for n, media_id in enumerate(media):
        payload = message_webhook(WA, {"id": f"wamid.NOISE{n}", "type": "audio",
                                       "audio": {"id": media_id, "mime_type": "audio/ogg", "voice": True}})
        body, headers = signed(payload)
        assert httpx.post(f"{server.url}/webhook", content=body, headers=headers).status_code == 200
    sent = wait_for(lambda: len(graph.sent_to(WA)) >= len(media) and graph.sent_to(WA), timeout=120)
    # the worker marks a message done just after its reply leaves, so the last one may still be finishing
    counts = wait_for(lambda: (c := server.services.inbox.counts()).get("processing", 0) == 0 and c, timeout=30)
    assert counts.get("done") == len(media) and not counts.get("failed"), counts
    assert all(m["type"] == "text" and m["text"]["body"] for m in sent)

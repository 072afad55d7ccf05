"""Decoding voice notes: every container phones send, and a clear reason for every bad one."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE, AudioError, decode_audio
from voice.espeak import encode

from .conftest import FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_container_decodes_to_16k_mono(notes, en_samples, fmt):
    samples = decode_audio(notes[("en", fmt)])
    assert samples.dtype == np.float32 and samples.ndim == 1
    # same speech, whatever the codec: the length agrees within codec padding (AAC/AMR frames)
    assert abs(samples.size - en_samples.size) < 0.15 * SAMPLE_RATE
    assert 0.05 < np.abs(samples).max() <= 1.0


def test_bytes_and_path_give_the_same_samples(notes):
    path = notes[("te", "ogg")]
    assert np.array_equal(decode_audio(path), decode_audio(path.read_bytes()))


def _reason(data, **limits) -> str:
    with pytest.raises(AudioError) as info:
        decode_audio(data, **limits)
    assert info.value.message and str(info.value) == info.value.message
    return info.value.reason


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.ogg"
    empty.write_bytes(b"")
    assert _reason(empty) == "empty"
    assert _reason(b"") == "empty"


def test_silent_note_is_refused():
    assert _reason(encode(np.zeros(3 * SAMPLE_RATE, dtype=np.float32), "ogg")) == "silent"


def test_a_container_with_no_samples_is_empty():
    assert _reason(encode(np.zeros(0, dtype=np.float32), "wav")) == "empty"


def test_too_long_is_refused_at_the_limit(en_samples):
    long_note = encode(np.tile(en_samples, 4), "ogg")  # about 10 s
    assert _reason(long_note, max_seconds=5) == "too_long"
    assert decode_audio(long_note, max_seconds=20).size > 9 * SAMPLE_RATE


def test_too_large_is_refused_before_decoding(notes):
    data = notes[("en", "wav")].read_bytes()
    assert _reason(data, max_bytes=len(data) - 1) == "too_large"
    assert _reason(notes[("en", "wav")], max_bytes=1000) == "too_large"


@pytest.mark.parametrize("data", [b"hello, this is a text file, not audio " * 20,
                                  b"\x89PNG\r\n\x1a\n" + bytes(200)])
def test_not_audio_is_unsupported(data):
    assert _reason(data) == "unsupported"


def test_missing_file_is_unsupported(tmp_path):
    assert _reason(tmp_path / "nowhere.ogg") == "unsupported"


@pytest.mark.parametrize("fmt", ["ogg", "m4a", "wav"])
def test_truncated_header_is_corrupt(notes, fmt):
    assert _reason(notes[("en", fmt)].read_bytes()[:40]) == "corrupt"


def test_truncated_tail_keeps_what_decoded(notes):
    data = notes[("en", "ogg")].read_bytes()
    samples = decode_audio(data[: len(data) * 2 // 3])
    assert 0.3 * SAMPLE_RATE < samples.size < decode_audio(data).size


def _wav_header(channels: int, rate: int, data_bytes: int) -> bytes:
    header = b"RIFF" + struct.pack("<I", min(data_bytes + 36, 0xFFFFFFFF)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
    return header + b"data" + struct.pack("<I", data_bytes)


def test_header_claiming_hours_decodes_only_what_is_there(en_samples):
    """A WAV header that claims 37 hours of audio but carries 2 s: only what is there is decoded."""
    pcm = (en_samples * 32767).astype("<i2").tobytes()
    samples = decode_audio(_wav_header(1, SAMPLE_RATE, 0xFFFFFFE0) + pcm)
    assert samples.size == en_samples.size


def test_odd_header_cannot_blow_up_memory(en_samples):
    """8 channels at 384 kHz claimed over a few seconds of bytes: decoded to what the bytes hold."""
    pcm = (en_samples * 32767).astype("<i2").tobytes() * 8
    samples = decode_audio(_wav_header(8, 384000, len(pcm)) + pcm)
    assert samples.ndim == 1 and samples.size <= len(pcm) // 2


def test_two_hour_declared_duration_is_refused_without_decoding(tmp_path):
    """A long note of quiet noise: refused as too long (from the header or at the limit while decoding)."""
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(10 * SAMPLE_RATE) * 0.05).astype(np.float32)
    data = encode(np.tile(noise, 30), "ogg")  # 5 minutes
    assert _reason(data, max_seconds=120) == "too_long"


def test_error_to_dict_is_json_ready():
    with pytest.raises(AudioError) as info:
        decode_audio(b"")
    assert info.value.to_dict() == {"error": "empty", "message": "The voice note is empty."}


def test_a_format_this_pyav_cannot_encode_is_named_with_the_remedy(monkeypatch):
    """av 18.1.1's wheels dropped the AMR encoder: every voice test that makes notes errored with PyAV's own
    "UnknownCodecError: libopencore_amrnb"; the message now says what is missing and what to install."""
    from voice import espeak

    monkeypatch.setitem(espeak.ENCODINGS, "amr", espeak.Encoding("amr", "no_such_encoder", 8000))
    with pytest.raises(espeak.SpeechSynthesisError, match="no no_such_encoder encoder for amr notes"):
        espeak.encode(np.zeros(1600, dtype=np.float32), "amr")

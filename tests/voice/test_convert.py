"""A Hugging Face Whisper checkpoint (how Telugu fine-tuned Whispers ship) converted with CTranslate2's converter
and used as the Telugu model: the path a deployment with a real Telugu model takes, end to end."""
from __future__ import annotations

import pytest

from voice.convert import ConversionError, convert_whisper_checkpoint
from voice.transcriber import LanguageRoutedTranscriber, Limits, load_transcriber


@pytest.fixture(scope="module")
def converted(hf_random_checkpoint, tmp_path_factory):
    return convert_whisper_checkpoint(hf_random_checkpoint, tmp_path_factory.mktemp("ct2") / "telugu-whisper")


def test_conversion_writes_what_faster_whisper_loads(converted):
    assert (converted / "model.bin").is_file()
    assert (converted / "tokenizer.json").is_file()  # else faster-whisper would fetch it from the hub


def test_converted_checkpoint_is_the_telugu_model(converted, te_samples, en_samples):
    transcriber = load_transcriber("faster-whisper", "base", model_te=str(converted), limits=Limits(time_limit_s=0.01))
    assert isinstance(transcriber, LanguageRoutedTranscriber)
    telugu = transcriber.dedicated["te"]
    assert telugu.telugu_decoding == "te"  # a Telugu model is forced to <|te|>, never "auto"
    transcript = transcriber.transcribe(te_samples, language="te")
    assert transcript.language == "te" and transcript.decoded_as == "te"
    assert str(converted) in transcript.model
    english = transcriber.transcribe(en_samples)  # English still goes to the bundled base
    assert english.language == "en" and "certificate" in english.text.lower()


def test_converted_model_takes_the_catalog_prompt(converted, catalog):
    from voice.vocabulary import catalog_vocabulary

    transcriber = load_transcriber("faster-whisper", str(converted), limits=Limits(time_limit_s=0.01))
    transcriber.vocabulary = catalog_vocabulary(catalog, {"en": ("unfamiliar",), "te": ("services",)})
    assert 0 < len(transcriber.prompt("te")) <= transcriber.vocabulary.budget


def test_a_directory_without_a_checkpoint_is_refused(tmp_path):
    with pytest.raises(ConversionError, match="config.json"):
        convert_whisper_checkpoint(tmp_path, tmp_path / "out")

"""Recognition biased to the catalog: the prompt is built from whatever catalog is loaded, fits Whisper's
limit, reaches every engine, and makes the recognizer write a scheme name it otherwise mishears."""
from __future__ import annotations

import pytest

from voice.vocabulary import MAX_PROMPT_TOKENS, Vocabulary, catalog_vocabulary, pack_prompt, with_unfamiliar


def test_unfamiliar_words_come_from_the_catalog_not_a_list(catalog):
    vocabulary = with_unfamiliar(catalog_vocabulary(catalog), lambda word: 3 if word[0].isupper() else 1)
    names = " ".join(f"{s.name.en} {' '.join(s.synonyms.en)}" for s in catalog.services.values())
    unfamiliar = vocabulary.terms["en"]["unfamiliar"]
    assert unfamiliar and all(term in names for term in unfamiliar)
    assert all(t.isascii() for t in vocabulary.chosen("en"))  # English prompt: no Telugu script in it


def test_a_new_scheme_name_joins_the_prompt():
    terms = {"en": {"services": ("Zorblatt Yojana pension", "Old age pension"), "synonyms": (), "places": ()}}
    vocabulary = with_unfamiliar(Vocabulary(terms), lambda word: 4 if word.startswith(("Zorb", "Yoj")) else 1)
    assert vocabulary.chosen("en") == ["Zorblatt Yojana"]  # the words the recognizer does not know, together


def test_the_prompt_fits_whispers_limit_and_each_language_gets_its_own(faster_base, catalog):
    faster_base.vocabulary = catalog_vocabulary(catalog, {"en": ("unfamiliar", "services"), "te": ("services",)})
    try:
        english, telugu = faster_base.prompt("en"), faster_base.prompt("te")
        assert 0 < len(english) <= MAX_PROMPT_TOKENS and 0 < len(telugu) <= MAX_PROMPT_TOKENS
        assert english != telugu
        assert "Aarogyasri" in faster_base.whisper.hf_tokenizer.decode(english)
    finally:
        faster_base.vocabulary = None
    assert faster_base.prompt("en") == []


def test_pack_prompt_keeps_to_the_budget():
    terms = [f"term{i}" for i in range(200)]
    packed = pack_prompt(terms, len, budget=50)
    assert sum(len(f" {t},") for t in packed.split(", ")) <= 50


def test_the_prompt_makes_a_scheme_name_heard(faster_base, catalog):
    """Measured on the bundled base: "Aarogyasri" spoken by espeak-ng comes back as "aradiosary" unprompted."""
    from voice.espeak import speak

    note = speak("Has my Aarogyasri card been approved", "en")
    plain = faster_base.transcribe(note, language="en")
    faster_base.vocabulary = catalog_vocabulary(catalog, {"en": ("unfamiliar",), "te": ()})
    try:
        prompted = faster_base.transcribe(note, language="en")
    finally:
        faster_base.vocabulary = None
    assert "aarogyasri" not in plain.text.lower()
    assert "aarogyasri" in prompted.text.lower()


@pytest.mark.parametrize("engine", ["openai-whisper", "transformers"])
def test_torch_engines_decode_after_the_prompt(engines, engine, catalog, en_samples):
    transcriber = engines[engine]
    transcriber.vocabulary = catalog_vocabulary(catalog, {"en": ("unfamiliar",), "te": ()})
    try:
        prompt = transcriber.prompt("en")
        assert prompt and len(prompt) <= MAX_PROMPT_TOKENS
        attempt = transcriber.generate(transcriber.encode(en_samples), "en", 0.0, 5, beam_size=1, prompt=prompt)
        assert attempt.token_count <= 6  # what was decoded after the prompt, not the prompt itself
    finally:
        transcriber.vocabulary = None

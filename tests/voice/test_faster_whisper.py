"""The default engine with the bundled weights: real words, languages and containers, no network."""
from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from voice.transcriber import load_transcriber

from .conftest import EN_REQUEST, FORMATS


def _close_to(text: str, expected: str) -> float:
    return fuzz.ratio(text.lower().strip(" ."), expected.lower())


@pytest.mark.parametrize("fmt", FORMATS)
def test_english_note_in_every_container(faster_base, notes, fmt):
    result = faster_base.transcribe(notes[("en", fmt)])
    assert result.language == "en"
    assert _close_to(result.text, EN_REQUEST) > 80, result.text
    assert result.confidence > 0.5 and not result.issues
    assert result.decoded_as == "en"
    # English gets no other-script readings, only the beam's runner-ups (nlu.voice_route reads them all)
    assert result.text not in result.hypotheses and len(result.hypotheses) <= 3
    assert all(_close_to(h, EN_REQUEST) > 60 for h in result.hypotheses), result.hypotheses


def test_telugu_note_is_telugu_with_sound_readings(faster_base, notes, matcher):
    """The same Telugu request in every container. Generic Whisper's sound readings of Telugu change with the
    smallest difference in the samples (a codec, the BLAS thread count), so the matcher is held to most
    containers, not to one: measured, each of the older and the current decodings missed the caste certificate
    in the first 5 for one or two of the five containers, never the same ones."""
    found = {}
    for fmt in FORMATS:
        result = faster_base.transcribe(notes[("te", fmt)])
        assert result.language == "te" and result.language_probs["te"] > 0.5
        # the generic base does not write Telugu words: the transcript is marked as sounds, trusted less
        assert result.hypotheses and result.confidence < 0.5
        readings = [result.text, *result.hypotheses]
        found[fmt] = ("revenue.caste_certificate" in [sid for sid, _ in matcher.match(readings, 5)], readings)
    assert sum(named for named, _ in found.values()) >= 3, found


def test_citizen_preference_fixes_the_language(faster_base, notes):
    result = faster_base.transcribe(notes[("te", "ogg")], language="en")
    assert result.language == "en" and result.language_fixed and result.decoded_as == "en"
    assert result.language_probs["te"] > 0.5  # what was heard is still reported


def test_tiny_en_is_selectable(notes):
    tiny = load_transcriber("faster-whisper", "tiny.en")
    result = tiny.transcribe(notes[("en", "ogg")])
    assert result.model == "tiny.en" and result.language == "en"
    assert _close_to(result.text, EN_REQUEST) > 70, result.text


def test_separate_model_per_language(faster_base, notes):
    """English decoded by a dedicated model (tiny.en here; a Telugu fine-tune for model_te)."""
    routed = load_transcriber("faster-whisper", "base", model_en="tiny.en")
    english = routed.transcribe(notes[("en", "ogg")])
    assert english.model == "base+en:tiny.en" and english.language == "en"
    assert _close_to(english.text, EN_REQUEST) > 70
    telugu = routed.transcribe(notes[("te", "ogg")])
    assert telugu.language == "te" and telugu.decoded_as != "en"


def test_batch_encoding_matches_single(faster_base, en_samples, te_samples):
    import numpy as np

    batch = faster_base.encode_batch([en_samples, te_samples])
    single = faster_base.encode(te_samples)
    assert batch.shape[0] == 2
    assert np.allclose(np.array(batch)[1], np.array(single), atol=0.1)


def test_a_sure_language_is_read_from_the_quick_look(faster_base, en_samples, te_samples, monkeypatch):
    """The first look reads the speech and a few seconds after it; a note heard surely as English or surely as
    not English is decoded from that pass, an unsure one from Whisper's whole window (a short window alone took
    some plain English notes for Telugu)."""
    from voice.engines import faster

    whole = faster_base.encode(te_samples).shape[1]
    quick, heard = faster_base.look(en_samples)
    assert heard.te_en["en"] >= faster.QUICK_LOOK_ENGLISH and quick.shape[1] < whole
    telugu, heard = faster_base.look(te_samples)
    assert heard.te_en["te"] > 0.5
    # what the quick look alone heard decides (an unsure look's answer comes from the whole window instead)
    first = faster_base.detect(faster_base.encode(te_samples, faster_base.context_frames(
        te_samples, faster_base.quick_look_s))).te_en["en"]
    sure = first <= faster.QUICK_LOOK_TELUGU or first >= faster.QUICK_LOOK_ENGLISH
    assert (telugu.shape[1] < whole) == sure, first
    monkeypatch.setattr(faster, "QUICK_LOOK_ENGLISH", 1.01)  # nothing is sure any more
    monkeypatch.setattr(faster, "QUICK_LOOK_TELUGU", -1.0)
    assert faster_base.look(en_samples)[0].shape[1] == whole
    assert faster_base.look(te_samples)[0].shape[1] == whole
    assert faster_base.look(te_samples, language="en")[0].shape[1] < whole  # the citizen's language setting

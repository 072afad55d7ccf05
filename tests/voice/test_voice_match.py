"""The phonetic matcher: the catalog's vocabulary matched by sound across scripts."""
from __future__ import annotations

import pytest
from indic_transliteration import sanscript

from nlu.voice_match import PhoneticMatcher


@pytest.fixture(scope="module")
def matcher(catalog):
    return PhoneticMatcher(catalog)


def _telugu_examples(catalog):
    for service in catalog.services.values():
        for example in service.examples:
            if example.lang == "te":
                yield service.id, example.text
                break


@pytest.mark.parametrize("script", [sanscript.DEVANAGARI, sanscript.KANNADA, sanscript.TAMIL])
def test_telugu_requests_written_in_another_script_find_their_service(catalog, matcher, script):
    """Whisper writes Telugu speech in other Indic scripts; the sounds must still lead to the service."""
    pairs = list(_telugu_examples(catalog))
    hits = sum(sid in [s for s, _ in matcher.match(sanscript.transliterate(text, sanscript.TELUGU, script), 3)]
               for sid, text in pairs)
    # Tamil script loses voicing and aspiration (ప/బ/ఫ/భ are all ப), so it is allowed to be weaker
    assert hits / len(pairs) >= (0.6 if script == sanscript.TAMIL else 0.85), (hits, len(pairs))


def test_romanized_request_matches_across_spelling(matcher):
    assert matcher.match("naaku kula dhruveekarana patram kaavaali", 1)[0][0] == "revenue.caste_certificate"


# Real outputs of the bundled multilingual Whisper base for espeak-ng Telugu requests
SOUND_ALIKES = [
    ("Pantashtani Kipariha Rankha Mali", "agriculture.crop_loss_compensation"),  # పంట నష్టానికి పరిహారం కావాలి
    ("Akukuran Rumi Karanapatran Ka Mali", "revenue.caste_certificate"),  # నాకు కుల ధృవీకరణ పత్రం కావాలి
]


@pytest.mark.parametrize("text, service_id", SOUND_ALIKES)
def test_whisper_sound_alikes_lead_to_the_service(matcher, text, service_id):
    assert service_id in [s for s, _ in matcher.match(text, 3)]


def test_scores_are_sorted_and_bounded(matcher):
    ranked = matcher.match("bus ticket cancel cheyandi", 8)
    assert len(ranked) == 8
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True) and all(0.0 < s <= 1.0 for s in scores)
    assert len({sid for sid, _ in ranked}) == 8


def test_abstains_when_nothing_is_readable(matcher):
    decision = matcher.decide("!!! ??? 123")
    assert decision.service_id is None and decision.reason == "empty"


def test_abstains_when_the_two_best_are_close(catalog):
    strict = PhoneticMatcher(catalog, abstain_margin=1.0)
    decision = strict.decide("pension kavali")
    assert decision.service_id is None and decision.reason == "close"
    assert decision.candidates and decision.margin < 1.0


def test_abstains_when_weak(catalog):
    demanding = PhoneticMatcher(catalog, min_score=0.99)
    decision = demanding.decide("zzqx vvbn")
    assert decision.service_id is None and decision.reason == "weak"


def test_decides_a_clear_request(matcher):
    decision = matcher.decide("driving licence renewal cheyali")
    assert decision.service_id == "transport.dl_renewal" and decision.margin >= matcher.abstain_margin

"""From transcript to route: every reading of the note, the text router and the phonetic matcher fused into one
calibrated ranking (nlu.voice_route)."""
from __future__ import annotations

import numpy as np

from nlu.voice_route import Evidence, Fusion, echo, fusion_for, rank, route_audio, route_transcript
from voice.transcript import Segment, Transcript


def _transcript(text: str, language: str, confidence: float, hypotheses=(), issues=()) -> Transcript:
    probs = {"te": 0.9, "en": 0.1} if language == "te" else {"te": 0.05, "en": 0.95}
    return Transcript(text=text, language=language, language_probs=probs, confidence=confidence,
                      segments=[Segment(0.0, 3.0, text, -0.3, 0.01, 1.1)], duration_s=3.0, processing_s=0.5,
                      engine="faster-whisper", model="base", hypotheses=list(hypotheses), issues=list(issues))


def _offered(routed) -> list[str]:
    return [a.intent for a in routed.alternatives[:3]]


def test_fusion_adds_up_the_evidence():
    fusion = Fusion(router=4.0, votes=1.0, sound=2.0, bias=-3.0, p_fused=1.0, p_lead=1.0, p_confidence=0.0,
                    p_bias=0.0, route_at=0.9)
    agree = Evidence(["a", "b"], np.array([0.9, 0.1]), np.array([1.0, 0.0]), np.array([0.8, 0.3]), 0.8)
    split = Evidence(["a", "b"], np.array([0.9, 0.8]), np.array([0.5, 0.5]), np.array([0.5, 0.6]), 0.8)
    (first, _), *_ = rank(agree, fusion)[0]
    assert first == "a"
    assert rank(agree, fusion)[1] > rank(split, fusion)[1]  # readings that disagree are less sure


def test_the_fitted_fusion_is_there_for_both_languages():
    fitted = fusion_for()
    assert set(fitted) == {"en", "te"}
    assert all(0.0 < f.route_at < 1.0 for f in fitted.values())


def test_the_beams_other_reading_rescues_a_misheard_service(voice_router, matcher):
    """ "bus ticket" heard as "birthday kit": the beam's runner-up reading names it."""
    alone = route_transcript(voice_router, matcher, _transcript("I want a birthday kit to Tirupati", "en", 0.6))
    helped = route_transcript(voice_router, matcher, _transcript(
        "I want a birthday kit to Tirupati", "en", 0.6, hypotheses=["I want a bus ticket to Tirupati"]))
    assert helped.service_id == "apsrtc.book_ticket"
    assert helped.confidence > alone.confidence


def test_english_sound_alikes_reach_the_matcher(matcher):
    routed = route_transcript(None, matcher, _transcript("I want a birthday kit to Tirupati", "en", 0.6))
    assert "apsrtc.book_ticket" in _offered(routed)


def test_clear_english_routes_like_text(voice_router, matcher):
    transcript = _transcript("I want to renew my driving licence", "en", 0.85,
                             hypotheses=["I want to renew my driving license"])
    routed = route_transcript(voice_router, matcher, transcript)
    assert routed.service_id == voice_router.route(transcript.text).service_id == "transport.dl_renewal"
    assert routed.decision == "route" and routed.source == "voice"
    assert routed.echo == transcript.text  # English letters for English speech: safe to show


def test_a_place_heard_a_letter_off_is_noted_from_a_voice_note_only(voice_router, matcher):
    """"… my house in Gunter has not been working" (a spoken Guntur) left the town to be asked in a walk; typed,
    "Gunter" is no town (a typed request is not read so loosely)."""
    said = "The street light near my house in Gunter has not been working for a week."
    routed = route_transcript(voice_router, matcher, _transcript(said, "en", 0.9))
    assert ("town", "guntur") in {(e.type, e.value) for e in routed.entities}, routed.entities
    assert "guntur" not in {e.value for e in voice_router.route(said).entities}


def test_telugu_sound_alike_is_offered_never_echoed(voice_router, matcher):
    transcript = _transcript("Pantashtani Kipariha Rankha Mali", "te", 0.2,
                             hypotheses=["पंटा नष्टानिकी परिहारम कावाली"], issues=["wrong_script"])
    routed = route_transcript(voice_router, matcher, transcript)
    assert routed.language == "te" and routed.model_version.endswith("+phonetic")
    assert "agriculture.crop_loss_compensation" in _offered(routed)
    assert routed.echo == ""  # Latin letters for Telugu speech: the citizen is not shown them


def test_telugu_script_transcript_is_echoed_and_routed_by_words(voice_router, matcher):
    transcript = _transcript("నాకు డ్రైవింగ్ లైసెన్స్ పునరుద్ధరణ కావాలి", "te", 0.8)
    routed = route_transcript(voice_router, matcher, transcript)
    assert routed.service_id == voice_router.route(transcript.text).service_id
    assert routed.echo == transcript.text


def test_echo_only_in_the_spoken_languages_script():
    assert echo(_transcript("आकुकुकनुमी करा परनका माली", "te", 0.2)) == ""
    assert echo(_transcript("Akukuran Rumi Karanapatran", "te", 0.2)) == ""
    assert echo(_transcript("I need a caste certificate", "en", 0.9)) == "I need a caste certificate"


def test_nothing_usable_asks_again(voice_router, matcher):
    for transcript in (_transcript("", "te", 0.0, issues=["no_words"]), _transcript("...", "en", 0.0,
                                                                                     issues=["no_words"])):
        routed = route_transcript(voice_router, matcher, transcript)
        assert routed.decision == "clarify" and routed.service_id is None and routed.confidence == 0.0
        assert routed.echo == ""


def test_a_spoken_menu_request_is_a_meta_intent(voice_router, matcher):
    routed = route_transcript(voice_router, matcher, _transcript("show me the menu", "en", 0.9))
    assert routed.decision == "meta" and routed.intent == "menu" and routed.source == "voice"


def test_matcher_alone_without_router(matcher):
    transcript = _transcript("Akukuran Rumi Karanapatran Ka Mali", "te", 0.2)
    routed = route_transcript(None, matcher, transcript)
    assert routed.model_version == "phonetic"
    assert "revenue.caste_certificate" in _offered(routed)


def test_route_audio_end_to_end(voice_router, matcher, faster_base, notes):
    result = route_audio(notes[("en", "ogg")], voice_router, matcher, faster_base)
    assert set(result) >= {"transcript", "route"}
    assert result["transcript"]["language"] == "en"
    assert result["route"]["service_id"] == "revenue.caste_certificate"
    assert result["route"]["source"] == "voice"

"""From transcript to route: words through the text router, Telugu sound-alikes through the matcher."""
from __future__ import annotations

from nlu.voice_route import route_audio, route_transcript
from voice.transcript import Segment, Transcript


def _transcript(text: str, language: str, confidence: float, hypotheses=(), issues=()) -> Transcript:
    probs = {"te": 0.9, "en": 0.1} if language == "te" else {"te": 0.05, "en": 0.95}
    return Transcript(text=text, language=language, language_probs=probs, confidence=confidence,
                      segments=[Segment(0.0, 3.0, text, -0.3, 0.01, 1.1)], duration_s=3.0, processing_s=0.5,
                      engine="faster-whisper", model="base", hypotheses=list(hypotheses), issues=list(issues))


def test_clear_english_routes_like_text(voice_router, matcher):
    transcript = _transcript("I want to renew my driving licence", "en", 0.85)
    routed = route_transcript(voice_router, matcher, transcript)
    typed = voice_router.route(transcript.text)
    assert routed.service_id == typed.service_id == "transport.dl_renewal"
    assert routed.decision == typed.decision and routed.confidence == typed.confidence


def test_unreliable_english_is_not_routed_straight(voice_router, matcher):
    transcript = _transcript("I want to renew my driving licence", "en", 0.1)
    routed = route_transcript(voice_router, matcher, transcript)
    typed = voice_router.route(transcript.text)
    assert routed.confidence < typed.confidence
    assert routed.decision != "route"
    assert routed.service_id == "transport.dl_renewal"  # still offered as the likely service


def test_telugu_sound_alike_goes_through_the_matcher(voice_router, matcher):
    transcript = _transcript("Pantashtani Kipariha Rankha Mali", "te", 0.2,
                             hypotheses=["पंटा नष्टानिकी परिहारम कावाली"], issues=["wrong_script"])
    routed = route_transcript(voice_router, matcher, transcript)
    assert routed.language == "te" and routed.model_version.endswith("+phonetic")
    assert "agriculture.crop_loss_compensation" in [a.intent for a in routed.alternatives[:3]]
    assert routed.normalized_text  # the phonetic key that was matched


def test_telugu_script_transcript_uses_the_text_router(voice_router, matcher):
    transcript = _transcript("నాకు డ్రైవింగ్ లైసెన్స్ పునరుద్ధరణ కావాలి", "te", 0.8)
    routed = route_transcript(voice_router, matcher, transcript)
    assert routed.service_id == voice_router.route(transcript.text).service_id


def test_nothing_usable_asks_again(voice_router, matcher):
    for transcript in (_transcript("", "te", 0.0, issues=["no_words"]), _transcript("...", "en", 0.0,
                                                                                     issues=["no_words"])):
        routed = route_transcript(voice_router, matcher, transcript)
        assert routed.decision == "clarify" and routed.service_id is None and routed.confidence == 0.0


def test_matcher_alone_without_router(matcher):
    transcript = _transcript("Akukuran Rumi Karanapatran Ka Mali", "te", 0.2)
    routed = route_transcript(None, matcher, transcript)
    assert routed.model_version == "phonetic"
    assert "revenue.caste_certificate" in [a.intent for a in routed.alternatives[:3]]


def test_route_audio_end_to_end(voice_router, matcher, faster_base, notes):
    result = route_audio(notes[("en", "ogg")], voice_router, matcher, faster_base)
    assert set(result) >= {"transcript", "route"}
    assert result["transcript"]["language"] == "en"
    assert result["route"]["service_id"] == "revenue.caste_certificate"

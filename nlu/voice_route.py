"""From a transcript to a route: the text router for words, the phonetic matcher for sound-alikes.

Generic Whisper hears Telugu sounds but writes them in the wrong script or as English-looking words, so
for Telugu speech the phonetic matcher (nlu.voice_match) decides, and the text router only backs it up.
An unreliable transcript never routes straight away: the bot gets `clarify` with the likely services
(or none, to show the menu / ask the citizen to type).
"""
from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

from nlu.types import Alternative, RouteResult
from voice.quality import TELUGU_RE
from voice.transcript import Transcript

# Below this transcript confidence an English route is offered for confirmation, not taken.
RELIABLE_TRANSCRIPT = 0.45
# A phonetic match this strong, and clear of the runner-up, routes (the bot still confirms).
PHONETIC_ROUTE_SCORE = 0.62
N_ALTERNATIVES = 5
LATIN_RE = __import__("re").compile(r"[A-Za-z]")


def _sound_alike(transcript: Transcript) -> bool:
    """Telugu speech written as sounds, not as Telugu words."""
    return transcript.language == "te" and not TELUGU_RE.search(transcript.text)


def _text_route(router, text: str) -> RouteResult | None:
    if router is None or not text.strip():
        return None
    try:
        return router.route(text)
    except ValueError:  # nlu.normalize.TextError: nothing readable as text
        return None


def _route_threshold(router) -> float:
    try:
        return float(router.model.manifest.thresholds.route)
    except AttributeError:
        return 0.6


def _empty_result(transcript: Transcript, version: str) -> RouteResult:
    return RouteResult(text=transcript.text, normalized_text="", language=_language(transcript),
                       intent="out_of_scope", service_id=None, decision="clarify", confidence=0.0,
                       model_version=version)


def _language(transcript: Transcript) -> str:
    return "te" if transcript.language == "te" else "en"


def _phonetic_result(matcher, transcript: Transcript, routed: RouteResult | None, version: str) -> RouteResult:
    from nlu.translit import phonetic_key

    decision = matcher.decide([transcript.text, *transcript.hypotheses], N_ALTERNATIVES)
    alternatives = [Alternative(sid, score) for sid, score in decision.candidates]
    agrees = routed is not None and routed.service_id is not None and routed.service_id == (
        decision.service_id or (decision.candidates[0][0] if decision.candidates else None))
    if decision.service_id and (decision.score >= PHONETIC_ROUTE_SCORE or agrees):
        verdict, service, confidence = "route", decision.service_id, _phonetic_confidence(decision, agrees)
    elif decision.candidates and decision.reason == "close":
        verdict, service, confidence = "clarify", decision.candidates[0][0], decision.score * 0.5
    elif agrees:
        verdict, service, confidence = "clarify", routed.service_id, decision.score * 0.5
    else:
        # too weak to name a service: the bot offers the menu or asks the citizen to type
        verdict, service, confidence = "clarify", None, 0.0
    return RouteResult(
        text=transcript.text, normalized_text=phonetic_key(transcript.text), language="te",
        intent=service or "out_of_scope", service_id=service, decision=verdict,
        confidence=round(min(confidence, 1.0), 4), alternatives=alternatives,
        entities=routed.entities if routed else [], model_version=version)


def _phonetic_confidence(decision, agrees: bool) -> float:
    # margin over the runner-up is what kept precision high in the measurements; the text router
    # naming the same service is independent evidence
    return min(1.0, 0.5 + 4 * decision.margin + (0.2 if agrees else 0.0))


def route_transcript(router, matcher, transcript: Transcript) -> RouteResult:
    """Route a voice note's transcript. `router`: nlu.router.Router (or None); `matcher`: PhoneticMatcher."""
    version = getattr(router, "version", "") if router is not None else ""
    version = f"{version}+phonetic" if version else "phonetic"
    if "no_words" in transcript.issues or not transcript.text.strip():
        return _empty_result(transcript, version)
    routed = _text_route(router, transcript.text)
    if _sound_alike(transcript) and matcher is not None:
        return _phonetic_result(matcher, transcript, routed, version)
    if routed is None:
        if matcher is not None:
            return _phonetic_result(matcher, transcript, None, version)
        return _empty_result(transcript, version)
    return _discount(routed, transcript, _route_threshold(router))


def _discount(routed: RouteResult, transcript: Transcript, route_threshold: float) -> RouteResult:
    """A route is only as good as the words it was made from."""
    reliability = min(1.0, transcript.confidence / RELIABLE_TRANSCRIPT)
    routed.confidence = round(routed.confidence * reliability, 4)
    if routed.decision == "route" and routed.confidence < route_threshold:
        routed.decision = "clarify"
    return routed


def route_audio(audio: bytes | str | Path, router, matcher, transcriber, language: str | None = None) -> dict:
    """Transcribe then route one voice note: {"transcript": {...}, "route": {...}}.
    Raises voice.audio.AudioError for audio that cannot be used."""
    started = time.perf_counter()
    transcript = transcriber.transcribe(audio, language=language)
    routed = route_transcript(router, matcher, transcript)
    return {"transcript": transcript.to_dict(), "route": asdict(routed),
            "processing_s": round(time.perf_counter() - started, 3)}

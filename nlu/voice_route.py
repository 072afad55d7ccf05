"""From a voice note's transcript to a route: several readings, two kinds of evidence, one calibrated ranking.

A note is heard several ways: the best reading, the beam's runner-up readings and (for Telugu speech from a
generic model) the same sounds spelled in other scripts (voice.transcriber). For every service:
  router  the text router's best score for it over all readings
  votes   the share of readings whose first-ranked service it is
  sound   the phonetic matcher's similarity (nlu.voice_match), across scripts, English sound-alikes included
  ("birthday kit" / "bus ticket")
are fused by a logistic model into one ranking, and a second one turns the first-ranked service's fused score,
its lead and the transcript's confidence into the probability that it is right. A note routes without a question
only when that probability clears ROUTE_AT, set per language on the tuning half of the bench so that voice
routes are as precise as text routes (bench/voice_bench.py `tune`; figures in docs/benchmarks.md). Anything less
is `clarify` with the likely services, for the bot to offer by name.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlu.entities.places import places_heard
from nlu.types import Alternative, Entity, RouteResult

N_ALTERNATIVES = 5
MAX_READINGS = 6


@dataclass(frozen=True)
class Fusion:
    """Weights fitted on the tuning half of the voice bench (`python -m bench.voice_bench tune`)."""

    router: float
    votes: float
    sound: float
    bias: float
    # probability that the first-ranked service is right: sigmoid(a*fused + b*lead + c*confidence + d)
    p_fused: float
    p_lead: float
    p_confidence: float
    p_bias: float
    route_at: float  # route without a question at this probability or more


# Fitted on the tuning half of the voice bench and written here by `python -m bench.voice_bench tune --write`
# (an artifact, like a model; the figures and the command are in docs/benchmarks.md).
FUSION_FILE = Path(__file__).with_name("voice_fusion.json")


@lru_cache(maxsize=1)
def fusion_for() -> dict[str, Fusion]:
    data = json.loads(FUSION_FILE.read_text(encoding="utf-8"))
    return {language: Fusion(**values) for language, values in data["languages"].items()}


@dataclass(frozen=True)
class Evidence:
    """Per-service evidence from one note, aligned with `services`."""

    services: list[str]
    router: np.ndarray
    votes: np.ndarray
    sound: np.ndarray
    confidence: float

    def features(self, index: int) -> list[float]:
        return [float(self.router[index]), float(self.votes[index]), float(self.sound[index])]


def readings(transcript) -> list[str]:
    """The best reading first, then the other readings of the same sounds, without repeats."""
    texts = [transcript.text, *getattr(transcript, "hypotheses", [])]
    return [t for t in dict.fromkeys(t.strip() for t in texts) if t][:MAX_READINGS]


def gather(router, matcher, transcript) -> tuple[Evidence, RouteResult | None]:
    """The evidence for every service, and the text router's result on the best reading (for its entities
    and meta intents)."""
    texts = readings(transcript)
    routed = _route_all(router, texts)
    services = list(matcher.service_ids) if matcher is not None else sorted(
        {a.intent for r in routed if r for a in r.alternatives})
    column = {sid: i for i, sid in enumerate(services)}
    router_scores, votes = np.zeros(len(services)), np.zeros(len(services))
    for result in routed:
        if result is None:
            continue
        for alternative in result.alternatives:
            i = column.get(alternative.intent)
            if i is not None:
                router_scores[i] = max(router_scores[i], alternative.score)
        top = column.get(result.alternatives[0].intent) if result.alternatives else None
        if top is not None:
            votes[top] += 1.0 / len(texts)
    sound = matcher.scores(texts) if matcher is not None else np.zeros(len(services))
    best = routed[0] if routed else None
    return Evidence(services, router_scores, votes, sound, float(transcript.confidence)), best


def _route_all(router, texts: list[str]) -> list[RouteResult | None]:
    if router is None or not texts:
        return []
    results: list[RouteResult | None] = []
    for text in texts:  # one at a time: a reading that is not text (TextError) must not sink the others
        try:
            results.append(router.route(text))
        except ValueError:
            results.append(None)
    return results


def rank(evidence: Evidence, fusion: Fusion) -> tuple[list[tuple[str, float]], float]:
    """Services by fused score (best first, top N_ALTERNATIVES) and the probability the first is right."""
    fused = (fusion.router * evidence.router + fusion.votes * evidence.votes + fusion.sound * evidence.sound
             + fusion.bias)
    order = np.argsort(-fused, kind="stable")[:N_ALTERNATIVES]
    if not len(order):
        return [], 0.0
    lead = float(fused[order[0]] - (fused[order[1]] if len(order) > 1 else fusion.bias))
    probability = _sigmoid(fusion.p_fused * float(fused[order[0]]) + fusion.p_lead * lead
                           + fusion.p_confidence * evidence.confidence + fusion.p_bias)
    ranking = [(evidence.services[i], round(_sigmoid(float(fused[i])), 4)) for i in order]
    return ranking, probability


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def echo(transcript) -> str:
    """The transcript, when the citizen can read it: in Telugu script for Telugu speech, Latin for English."""
    from nlu.script import readable

    text = transcript.text.strip()
    return text if readable(text, "te" if transcript.language == "te" else "en") else ""


def route_transcript(router, matcher, transcript) -> RouteResult:
    """Route a voice note's transcript. `router`: nlu.router.Router (or None); `matcher`: PhoneticMatcher."""
    from nlu.translit import phonetic_key

    version = getattr(router, "version", "") if router is not None else ""
    version = f"{version}+phonetic" if version else "phonetic"
    language = "te" if transcript.language == "te" else "en"
    base = RouteResult(text=transcript.text, normalized_text="", language=language, intent="out_of_scope",
                       service_id=None, decision="clarify", confidence=0.0, model_version=version,
                       source="voice", echo=echo(transcript))
    if "no_words" in transcript.issues or not transcript.text.strip():
        base.echo = ""
        return base
    evidence, best = gather(router, matcher, transcript)
    if best is not None and best.decision == "meta" and transcript.confidence >= META_CONFIDENCE:
        best.source, best.echo, best.model_version = "voice", base.echo, version
        return best  # "menu", "cancel", "talk to a person" spoken
    fusion = fusion_for()[language]
    ranking, probability = rank(evidence, fusion)
    if not ranking:
        return base
    service = ranking[0][0]
    base.normalized_text = best.normalized_text if best is not None else phonetic_key(transcript.text)
    base.intent, base.service_id = service, service
    base.decision = "route" if probability >= fusion.route_at else "clarify"
    base.confidence = round(probability, 4)
    base.alternatives = [Alternative(sid, score) for sid, score in ranking]
    base.entities = _with_places_heard(router, best) if best is not None else []
    return base


def _with_places_heard(router, best: RouteResult) -> list[Entity]:
    """The best reading's entities and the places in it heard a letter off ("in Gunter" for Guntur), which a
    typed request would not be read so loosely for."""
    return sorted([*best.entities, *places_heard(best.text, router.catalog.gazetteer, best.entities)],
                  key=lambda e: (e.start, e.type))


# a spoken meta request ("menu", "cancel") is taken when the words were heard this clearly
META_CONFIDENCE = 0.45


def route_audio(audio: bytes | str | Path, router, matcher, transcriber, language: str | None = None) -> dict:
    """Transcribe then route one voice note: {"transcript": {...}, "route": {...}}.
    Raises voice.audio.AudioError for audio that cannot be used."""
    started = time.perf_counter()
    transcript = transcriber.transcribe(audio, language=language)
    routed = route_transcript(router, matcher, transcript)
    return {"transcript": transcript.to_dict(), "route": asdict(routed),
            "processing_s": round(time.perf_counter() - started, 3)}


def spoken_answers(kind: str, transcript, gazetteer) -> list[str]:
    """Other texts a spoken answer to a form field may be, to try after the transcript itself: the other
    readings of the same sounds, their romanization (generic Whisper writes Telugu "padi", "avunu" in
    Devanagari; nlu.answers reads romanized Telugu), and for districts, towns and temples the gazetteer place
    they sound like. `kind`: the field's type ("district", "number", "yes_no" ...). The typed-answer parsers
    (nlu.answers) decide what each text means: one implementation of each answer rule."""
    from nlu.answers.places import PLACE_KINDS
    from nlu.entities.amounts import digits_read_out, nine_heard_as_i
    from nlu.translit import to_latin
    from nlu.voice_match import match_place

    texts = readings(transcript)
    candidates = list(texts[1:])
    candidates += [to_latin(t) for t in texts if _other_script(t)]
    if kind == "date":
        candidates += [_months_by_sound(to_latin(t)) for t in texts]
    if kind in NUMBER_KINDS:
        # the best reading's "I" as a nine before the beam's runner-ups: "I-848-012-345" is 98480 12345 sooner
        # than a runner-up's "8848-012-345", which hears a digit more
        nines = [nine_heard_as_i(digits_read_out(t) or t) for t in texts]
        candidates = [n for n in nines[:1] if n] + candidates + [n for n in nines[1:] if n]
    places = next((getattr(gazetteer, listed, None) for place, listed in PLACE_KINDS.items() if place.value == kind),
                  None)
    if places:
        place, _ = match_place(places, texts)
        if place is not None:
            candidates.insert(0, place.name.en)
    return [c for c in dict.fromkeys(c.strip() for c in candidates) if c and c != transcript.text.strip()]


# fields whose answer is a number read out, where Whisper may write an opening "nine" as "I" ("I-848-012345")
NUMBER_KINDS = frozenset({"mobile", "aadhaar", "identifier", "reference"})


# a spoken month ("aagastu", "agast", "septembaru") is the month it sounds like at this similarity or more
MONTH_SIMILARITY = 75


def _months_by_sound(text: str) -> str:
    """Words that sound like a month name (in any of the spellings nlu.entities.dates reads) replaced by it."""
    from rapidfuzz import fuzz, process

    from nlu.entities.dates import _MONTHS
    from nlu.translit import phonetic_key

    months = {phonetic_key(name): name for name in _MONTHS if len(phonetic_key(name)) > 3}
    words = []
    for word in text.split():
        key = phonetic_key(word)
        found = process.extractOne(key, list(months), scorer=fuzz.ratio) if len(key) >= 3 else None
        words.append(months[found[0]] if found and found[1] >= MONTH_SIMILARITY else word)
    return " ".join(words)


def _other_script(text: str) -> bool:
    from nlu.script import script_profile

    return script_profile(text)["other"] > 0.5

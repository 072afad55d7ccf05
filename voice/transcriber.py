"""One `Transcriber` interface over interchangeable Whisper engines, deciding Telugu vs English.

Every engine does the same four things, and this module does the rest:
  encode(window)                      one encoder pass over a ≤30 s window
  detect(encoded)                     language and no-speech probabilities from that same pass
  generate(encoded, lang, T, budget)  one decoding at temperature T with at most `budget` new tokens
  text_language(lang)                 the Whisper language token to decode with
The first window's pass is `look`: one encode and detect, or for faster-whisper a cheaper quick look first (the
speech and a few seconds after it) that serves a note whose language it is sure of, and Whisper's whole window
for the rest.
Decoding is bounded by the note's length (tokens per second of speech) and by a time limit per note,
so a hallucinating Telugu decode cannot run on for tens of seconds.
"""
from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, AudioError, check_samples, decode_audio
from voice.quality import (
    collapse_repeats,
    compression_ratio,
    has_letters,
    in_telugu_script,
    is_looping,
    whole_characters,
    window_confidence,
)
from voice.transcript import Segment, Transcript
from voice.vad import SpeechWindow, speech_windows
from voice.vocabulary import MAX_PROMPT_TOKENS

LANGUAGES = ("te", "en")
# Telugu in Whisper's byte-level vocabulary costs several tokens per syllable; 25 tokens per second of
# speech covers fast Telugu speech, and stops a loop within a few seconds' worth of decoding.
TOKENS_PER_SECOND = 25
MIN_TOKENS = 16
TEMPERATURES = (0.0, 0.4, 0.8)
# Whisper's fallback rule: retry hotter when the average log-probability is below this...
LOGPROB_THRESHOLD = -1.0
# ...unless the window is most likely not speech.
NO_SPEECH_THRESHOLD = 0.6
# A Telugu transcript that is not in Telugu script (generic Whisper writes Telugu sounds in Tamil,
# Devanagari or Latin letters) is a sound-alike, not the citizen's words: trust it less.
WRONG_SCRIPT_FACTOR = 0.5
SOUND_BEAMS = 2
# The beam's runner-up readings kept as hypotheses (the router and the matcher see them all).
MAX_BEAM_READINGS = 3


@dataclass
class Detection:
    te_en: dict[str, float]  # Telugu vs English only, renormalized
    top_language: str  # the model's best guess over all its languages
    no_speech_prob: float


@dataclass
class Attempt:
    text: str
    avg_logprob: float
    no_speech_prob: float
    token_count: int
    temperature: float = 0.0
    compression_ratio: float = field(init=False)
    # the beam's other finished readings, best first: (text, average log-probability)
    alternatives: list[tuple[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.compression_ratio = compression_ratio(self.text)


AudioLike = bytes | bytearray | str | Path | np.ndarray


@dataclass
class Limits:
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES
    time_limit_s: float = 30.0  # per note; decoding stops and keeps what it has
    use_vad: bool = True


class Transcriber(ABC):
    """Speech to `Transcript`. Subclasses wrap one engine; `transcribe` is the same for all."""

    engine: str = ""
    model: str = ""
    multilingual: bool = True
    # "auto": decode Telugu with the model's own best language token. Generic Whisper forced to <|te|>
    # writes vowel-less Urdu-like script; its own guess (Tamil, Devanagari, Latin) keeps more sounds.
    # A Telugu fine-tuned model should be forced to "te".
    telugu_decoding: str = "auto"
    # Extra greedy readings of Telugu speech (Devanagari and Whisper's own Telugu spelling) for matching.
    telugu_hypotheses: tuple[str, ...] = ("hi", "te")
    # How Telugu heard by a generic model (a reading of sounds, not words) is decoded, measured on the tuning half
    # (docs/benchmarks.md): "batched" (the default) reads the model's own guess and the extra readings greedily in
    # one decoding batch; "quick" decodes the guess with 2 beams, then each extra reading; "full" decodes the guess
    # with 5 beams and the hotter retries.
    sound_readings: str = "batched"

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._vocabulary = None
        self._prompts: dict[str, list[int]] = {}

    # --- recognition biased to the catalog (voice/vocabulary.py) ---------------------------------------
    @property
    def vocabulary(self):
        return self._vocabulary

    @vocabulary.setter
    def vocabulary(self, vocabulary) -> None:
        """A voice.vocabulary.Vocabulary (or None): the catalog terms each language's decoding is prompted with."""
        from voice.vocabulary import with_unfamiliar

        self._vocabulary = with_unfamiliar(vocabulary, self.word_pieces) if vocabulary is not None else None
        self._prompts = {}

    def word_pieces(self, word: str) -> int:
        return len(self.text_tokens(" " + word))

    def text_tokens(self, text: str) -> list[int]:
        """The engine's tokens for plain text (for prompts); engines without a tokenizer prompt nothing."""
        return []

    def prompt(self, language: str) -> list[int]:
        """Prompt tokens for decoding speech recognized as `language` ("te"/"en"): [] without a vocabulary."""
        if self._vocabulary is None:
            return []
        if language not in self._prompts:
            from voice.vocabulary import pack_prompt

            budget = min(self._vocabulary.budget, MAX_PROMPT_TOKENS)
            text = pack_prompt(self._vocabulary.chosen(language), lambda t: len(self.text_tokens(t)), budget)
            self._prompts[language] = self.text_tokens(" " + text)[-budget:] if text else []
        return self._prompts[language]

    # --- what each engine implements -------------------------------------------------------------
    @abstractmethod
    def encode(self, samples: np.ndarray) -> Any: ...

    @abstractmethod
    def detect(self, encoded: Any) -> Detection: ...

    @abstractmethod
    def generate(self, encoded: Any, language: str, temperature: float, max_new_tokens: int,
                 beam_size: int | None = None, prompt: list[int] | tuple = ()) -> Attempt: ...

    # --- shared ----------------------------------------------------------------------------------
    def load_samples(self, audio: AudioLike) -> np.ndarray:
        if isinstance(audio, np.ndarray):
            if audio.ndim != 1:
                raise AudioError("unsupported", "Audio samples must be one channel (a 1-D array at 16 kHz).")
            if audio.size > self.limits.max_seconds * 16000:
                raise AudioError("too_long", f"The voice note is longer than {self.limits.max_seconds:.0f} "
                                             "seconds; please send a shorter one.")
            return check_samples(audio.astype(np.float32, copy=False))
        return decode_audio(audio, max_seconds=self.limits.max_seconds, max_bytes=self.limits.max_bytes)

    def speech(self, audio: AudioLike):
        """The decoded samples and their speech windows; AudioError when nobody speaks in it."""
        samples = self.load_samples(audio)
        windows = speech_windows(samples, self.limits.use_vad)
        if not windows:
            raise AudioError("silent", "We could not hear any speech in the voice note; "
                                       "please speak clearly or type your request.")
        return samples, windows

    def transcribe(self, audio: AudioLike, language: str | None = None) -> Transcript:
        started = time.perf_counter()
        language = _check_language(language)
        samples, windows = self.speech(audio)
        return self._transcribe_windows(samples.size / 16000, windows, language, started)

    def look(self, samples: np.ndarray, language: str | None = None) -> tuple[Any, Detection]:
        """The first window's encoder pass and the languages heard in it (`language`: the one asked for, if any);
        engines with a cheaper first look override this."""
        encoded = self.encode(samples)
        return encoded, self.detect(encoded) if self.multilingual else Detection({"te": 0.0, "en": 1.0}, "en", 0.0)

    def _transcribe_windows(self, duration: float, windows: list[SpeechWindow], language: str | None,
                            started: float, first: tuple[Any, Detection] | None = None) -> Transcript:
        deadline = started + self.limits.time_limit_s
        first_encoded, detection = first or self.look(windows[0].samples, language)
        encoded = [first_encoded]
        chosen = language or max(detection.te_en, key=detection.te_en.get)
        decode_as = self.decoding_language(chosen, detection)
        issues: list[str] = []
        prompt = self.prompt(chosen)
        extras = self.sound_languages(chosen, decode_as)
        batched = bool(extras) and self.sound_readings == "batched"
        segments, extra_texts = [], []
        for i, window in enumerate(windows):
            if i:
                if time.perf_counter() > deadline:
                    issues.append("time_limit")
                    break
                encoded.append(self.encode(window.samples))
            if batched:
                segment, texts = self._read_window(encoded[-1], window, [(decode_as, prompt)] + [(x, []) for x in extras])
                extra_texts.append(texts)
            else:
                segment = self._decode_window(encoded[-1], window, decode_as, deadline, issues, prompt)
            segments.append(segment)
        if batched:
            readings = [" ".join(texts[j] for texts in extra_texts).strip() for j in range(len(extras))]
            hypotheses = [r for r in readings if has_letters(r)]
        else:
            hypotheses = self._sound_hypotheses(encoded, windows, extras, deadline, issues)
        hypotheses += _beam_readings(segments, hypotheses)
        result = self._assemble(segments, chosen, detection, language is not None, decode_as, duration,
                                started, issues)
        result.hypotheses = hypotheses
        return result

    def sound_languages(self, language: str, decoded_as: str) -> list[str]:
        """The extra readings of Telugu speech by a generic model, each another script's spelling of the same
        sounds, for the phonetic matcher (measured: matching all of them beats any single one)."""
        if language != "te" or self.telugu_decoding != "auto" or not self.multilingual:
            return []
        return [extra for extra in self.telugu_hypotheses if extra != decoded_as]

    def _sound_hypotheses(self, encoded: list, windows: list[SpeechWindow], extras: list[str], deadline: float,
                          issues: list[str]) -> list[str]:
        """The extra readings decoded one language after another (settings "quick" and "full")."""
        readings = []
        for extra in extras:
            if time.perf_counter() > deadline:
                issues.append("time_limit")
                break
            texts = []
            for enc, window in zip(encoded, windows):
                attempt = self.generate(enc, extra, 0.0, _budget(window), beam_size=1)
                texts.append(collapse_repeats(whole_characters(attempt.text)))
            readings.append(" ".join(texts).strip())
        return [r for r in readings if has_letters(r)]

    def generate_many(self, encoded: Any, readings: list[tuple[str, list[int]]], max_new_tokens: int) -> list[Attempt]:
        """Greedy decodings of one encoder pass, one per (language, prompt); engines that can decode them as
        one batch override this (a batch of 3 costs about half of 3 decodings one after another)."""
        return [self.generate(encoded, language, 0.0, max_new_tokens, beam_size=1, prompt=prompt)
                for language, prompt in readings]

    def _read_window(self, encoded: Any, window: SpeechWindow,
                     readings: list[tuple[str, list[int]]]) -> tuple[Segment, list[str]]:
        """The window's sounds read in several languages at once: the first reading as the segment, the others'
        texts (no hotter retries: a reading of sounds does not get better by sampling)."""
        best, *others = self.generate_many(encoded, readings, _budget(window))
        segment = Segment(window.start, window.end, whole_characters(best.text), best.avg_logprob,
                          best.no_speech_prob, best.compression_ratio, best.temperature)
        return segment, [collapse_repeats(whole_characters(a.text)) for a in others]

    def decoding_language(self, language: str, detection: Detection) -> str:
        if not self.multilingual:
            return "en"
        if language == "te" and self.telugu_decoding == "auto":
            return detection.top_language
        return language

    def _decode_window(self, encoded: Any, window: SpeechWindow, language: str, deadline: float,
                       issues: list[str], prompt: list[int] | tuple = ()) -> Segment:
        budget = _budget(window)
        tries: list[Attempt] = []
        sounds = self.sound_readings != "full" and self.telugu_decoding == "auto" and language not in LANGUAGES
        for temperature in TEMPERATURES[:1] if sounds else TEMPERATURES:
            if tries and time.perf_counter() > deadline:
                issues.append("time_limit")
                break
            attempt = self.generate(encoded, language, temperature, budget, prompt=prompt,
                                    beam_size=SOUND_BEAMS if sounds else None)
            tries.append(attempt)
            if not _needs_fallback(attempt):
                break
        best = tries[-1] if not _needs_fallback(tries[-1]) else max(
            [t for t in tries if not is_looping(t.text)] or tries, key=lambda t: t.avg_logprob)
        return Segment(window.start, window.end, whole_characters(best.text), best.avg_logprob, best.no_speech_prob,
                       best.compression_ratio, best.temperature,
                       alternatives=[(kept, round(lp, 4)) for t, lp in best.alternatives if (kept := whole_characters(t))])

    def _assemble(self, segments: list[Segment], language: str, detection: Detection, fixed: bool,
                  decode_as: str, duration: float, started: float, issues: list[str]) -> Transcript:
        looping = any(is_looping(s.text) for s in segments)
        text = " ".join(collapse_repeats(s.text) for s in segments if s.text).strip()
        weights = [max(s.end - s.start, 1e-3) for s in segments]
        confidence = sum(w * window_confidence(s.avg_logprob, s.no_speech_prob, is_looping(s.text))
                         for w, s in zip(weights, segments)) / sum(weights)
        if looping:
            issues.append("looping")
        if not has_letters(text):
            issues.append("no_words")
            confidence = 0.0
        elif language == "te" and not in_telugu_script(text):
            issues.append("wrong_script")
            confidence *= WRONG_SCRIPT_FACTOR
        if segments and min(s.no_speech_prob for s in segments) > NO_SPEECH_THRESHOLD:
            issues.append("no_speech")
        return Transcript(
            text=text, language=language,
            language_probs={k: round(v, 4) for k, v in detection.te_en.items()},
            confidence=round(float(confidence), 4), segments=segments, duration_s=round(duration, 3),
            processing_s=round(time.perf_counter() - started, 3), engine=self.engine, model=self.model,
            language_fixed=fixed, decoded_as=decode_as, issues=sorted(set(issues)))


def _budget(window: SpeechWindow) -> int:
    return max(MIN_TOKENS, int(TOKENS_PER_SECOND * (window.end - window.start)))


def _beam_readings(segments: list[Segment], already: list[str]) -> list[str]:
    """The beam's runner-up readings of a one-window note (the usual voice note), other than the best."""
    if len(segments) != 1:
        return []
    best = segments[0].text
    seen = {best, *already}
    readings = [collapse_repeats(t) for t, _ in segments[0].alternatives]
    # a reading in figures alone ("1 1 2 2 3 3 …") may be the one that heard every digit of a number read out
    said = [r for r in dict.fromkeys(readings) if r not in seen and (has_letters(r) or any(c.isdigit() for c in r))]
    return said[:MAX_BEAM_READINGS]


def _needs_fallback(attempt: Attempt) -> bool:
    if attempt.no_speech_prob > NO_SPEECH_THRESHOLD and attempt.avg_logprob < LOGPROB_THRESHOLD:
        return False  # silence: a hotter decode would only invent words
    return is_looping(attempt.text) or attempt.avg_logprob < LOGPROB_THRESHOLD


def _check_language(language: str | None) -> str | None:
    if language is None or language in LANGUAGES:
        return language
    if language == "te-latn":
        return "te"
    raise ValueError(f"language must be 'te' or 'en' (or None to detect), not {language!r}")


def te_en_probs(probs: dict[str, float]) -> dict[str, float]:
    """Telugu vs English from a Whisper language distribution over all its languages.

    A note is Telugu or English here, so every non-English language counts for Telugu: generic Whisper
    hears Telugu speech as Hindi, Tamil, Thai or Telugu about equally (measured: P(te) alone was below
    P(en) for about half of the Telugu notes, while P(en) stays under 0.2 on Telugu and above 0.9 on
    English)."""
    total = sum(probs.values())
    if not total > 0 or not math.isfinite(total):  # no usable distribution (e.g. a broken checkpoint): undecided
        return {"te": 0.5, "en": 0.5}
    english = probs.get("en", 0.0) / total
    return {"te": 1.0 - english, "en": english}


class LanguageRoutedTranscriber(Transcriber):
    """Detect Telugu/English with one model, then decode with a dedicated model for that language
    (e.g. a Telugu fine-tuned Whisper): the way a deployment gets good Telugu."""

    def __init__(self, detector: Transcriber, dedicated: dict[str, Transcriber]):
        super().__init__(detector.limits)
        self.detector = detector
        self.dedicated = dedicated
        self.engine = detector.engine
        self.model = detector.model + "".join(f"+{k}:{t.model}" for k, t in dedicated.items())

    def encode(self, samples):
        return self.detector.encode(samples)

    def detect(self, encoded):
        return self.detector.detect(encoded)

    def generate(self, encoded, language, temperature, max_new_tokens, beam_size=None, prompt=()):
        return self.detector.generate(encoded, language, temperature, max_new_tokens, beam_size, prompt)

    def generate_many(self, encoded, readings, max_new_tokens):
        return self.detector.generate_many(encoded, readings, max_new_tokens)

    @Transcriber.vocabulary.setter
    def vocabulary(self, vocabulary) -> None:
        for transcriber in (self.detector, *self.dedicated.values()):
            transcriber.vocabulary = vocabulary
        self._vocabulary = vocabulary

    def transcribe(self, audio: AudioLike, language: str | None = None) -> Transcript:
        started = time.perf_counter()
        language = _check_language(language)
        samples, windows = self.speech(audio)
        encoded, detection = self.detector.look(windows[0].samples, language)
        chosen = language or max(detection.te_en, key=detection.te_en.get)
        if chosen not in self.dedicated:
            return self.detector._transcribe_windows(samples.size / 16000, windows, chosen, started,
                                                     (encoded, detection))
        result = self.dedicated[chosen].transcribe(samples, language=chosen)
        result.language_probs = {k: round(v, 4) for k, v in detection.te_en.items()}
        result.language_fixed = language is not None
        result.model = self.model
        result.processing_s = round(time.perf_counter() - started, 3)
        return result


def load_transcriber(engine: str = "faster-whisper", model: str = "base", *, model_te: str | None = None,
                     model_en: str | None = None, threads: int = 1, limits: Limits | None = None,
                     max_seconds: float | None = None, max_bytes: int | None = None, vocabulary=None,
                     **options) -> Transcriber:
    """Build a transcriber. engine: faster-whisper (default), openai-whisper or transformers.
    model_te / model_en: optional dedicated models (same engine) for decoding that language.
    vocabulary: voice.vocabulary.Vocabulary, the catalog terms recognition is biased toward."""
    factory = _engine_factory(engine)
    limits = limits or Limits()
    if max_seconds is not None:
        limits.max_seconds = max_seconds
    if max_bytes is not None:
        limits.max_bytes = max_bytes
    main = factory(model, threads=threads, limits=limits, **options)
    dedicated = {}
    for language, name in (("te", model_te), ("en", model_en)):
        if name:
            dedicated[language] = factory(name, threads=threads, limits=limits, forced_language=language,
                                          **options)
    transcriber = LanguageRoutedTranscriber(main, dedicated) if dedicated else main
    if vocabulary is not None:
        transcriber.vocabulary = vocabulary
    return transcriber


def _engine_factory(engine: str):
    if engine == "faster-whisper":
        from voice.engines.faster import FasterWhisperTranscriber
        return FasterWhisperTranscriber
    if engine == "openai-whisper":
        from voice.engines.openai import OpenAIWhisperTranscriber
        return OpenAIWhisperTranscriber
    if engine == "transformers":
        from voice.engines.hf import TransformersTranscriber
        return TransformersTranscriber
    raise ValueError(f"unknown speech engine {engine!r}; choose faster-whisper, openai-whisper or transformers")

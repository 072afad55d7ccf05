"""faster-whisper (CTranslate2) engine: the default, int8 on CPU, bundled multilingual base or tiny.en."""
from __future__ import annotations

import math

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import pad_or_trim
from faster_whisper.tokenizer import Tokenizer

from voice.bundled import resolve_faster_whisper_model
from voice.transcriber import Attempt, Detection, Limits, Transcriber, te_en_probs

BEAM_SIZE = 5
BEST_OF = 5
# None: the encoder reads Whisper's whole 30 s window, as it was trained. A margin (seconds of silence after the
# speech) cuts the encoder's cost (5 s note, one core: 1.37 s CPU for 30 s, 0.20 s for 10 s) but, measured, makes
# it take some plain English notes for Telugu ("I need a caste certificate"), so it is off by default.
CONTEXT_MARGIN_S: float | None = None
# The first look at a note reads the speech and this much silence after it, a fraction of the whole window. A note
# it hears surely as English (P(en) at least QUICK_LOOK_ENGLISH) or surely as not English (at most
# QUICK_LOOK_TELUGU) is decoded from it; the whole window decides the rest. Both bars were chosen on the bench's
# tuning half (docs/benchmarks.md), well clear of every tuning note of the other language. None: always the
# whole window.
QUICK_LOOK_S: float | None = 10.0
QUICK_LOOK_ENGLISH = 0.6
QUICK_LOOK_TELUGU = 0.1


class FasterWhisperTranscriber(Transcriber):
    engine = "faster-whisper"

    def __init__(self, model: str = "base", *, threads: int = 1, limits: Limits | None = None,
                 compute_type: str = "int8", forced_language: str | None = None, beam_size: int = BEAM_SIZE,
                 device: str = "cpu", context_margin_s: float | None = CONTEXT_MARGIN_S,
                 quick_look_s: float | None = QUICK_LOOK_S):
        super().__init__(limits)
        self.context_margin_s = context_margin_s  # None: the whole 30 s window, as Whisper was trained
        self.quick_look_s = quick_look_s
        self.beam_size = beam_size
        self.model = model
        self.whisper = WhisperModel(resolve_faster_whisper_model(model), device=device,
                                    compute_type=compute_type, cpu_threads=threads, local_files_only=True)
        self.multilingual = self.whisper.model.is_multilingual
        if forced_language == "te":
            self.telugu_decoding = "te"
        self._tokenizers: dict[str, Tokenizer] = {}

    def tokenizer(self, language: str) -> Tokenizer:
        if language not in self._tokenizers:
            self._tokenizers[language] = Tokenizer(self.whisper.hf_tokenizer, self.multilingual,
                                                   task="transcribe",
                                                   language=language if self.multilingual else None)
        return self._tokenizers[language]

    def context_frames(self, samples: np.ndarray, margin_s: float | None = None) -> int:
        """Mel frames the encoder reads for these samples (even: the encoder halves them): the speech and
        `margin_s` (default: context_margin_s) after it, or the whole window."""
        extractor = self.whisper.feature_extractor
        margin_s = self.context_margin_s if margin_s is None else margin_s
        if margin_s is None:
            return extractor.nb_max_frames
        seconds = samples.size / extractor.sampling_rate + margin_s
        return min(extractor.nb_max_frames, 2 * math.ceil(seconds * extractor.sampling_rate / extractor.hop_length / 2))

    def features(self, samples: np.ndarray, frames: int | None = None) -> np.ndarray:
        extractor = self.whisper.feature_extractor
        frames = frames or self.context_frames(samples)
        # log-mel frames padded after the speech; padding the samples instead made plain English notes Telugu
        return pad_or_trim(extractor(samples)[..., :frames], frames)

    def encode(self, samples: np.ndarray, frames: int | None = None):
        """One encoder pass over `frames` log-mel frames (default: context_frames)."""
        return self.whisper.encode(self.features(samples, frames))

    def look(self, samples: np.ndarray, language: str | None = None):
        """A quick look first (the speech and QUICK_LOOK_S after it): a note whose language is sure there, or
        asked for, is decoded from it; an unsure one gets Whisper's whole window, as Whisper was trained (a short
        window alone took some plain English notes for Telugu)."""
        if self.quick_look_s is not None and self.context_margin_s is None and self.multilingual:
            quick = self.encode(samples, self.context_frames(samples, self.quick_look_s))
            detection = self.detect(quick)
            english = detection.te_en["en"]
            if language is not None or english >= QUICK_LOOK_ENGLISH or english <= QUICK_LOOK_TELUGU:
                return quick, detection
        return super().look(samples, language)

    def encode_batch(self, batch: list[np.ndarray]):
        """Several notes through the encoder in one call (higher throughput under concurrent load), each read
        as long as the longest needs."""
        frames = max(self.context_frames(s) for s in batch)
        return self.whisper.encode(np.stack([self.features(s, frames) for s in batch]))

    def detect(self, encoded) -> Detection:
        return _detection(self.whisper.model.detect_language(encoded)[0])

    def text_tokens(self, text: str) -> list[int]:
        # Whisper's own byte-pair encoder (the bundled tokenizer.json decodes right but splits words into
        # pieces the model never saw, e.g. " ticket" -> " ", "t", "icket"); every Whisper shares its ids
        from whisper.tokenizer import get_tokenizer

        return get_tokenizer(self.multilingual).encode(text)

    def start_tokens(self, language: str, prompt: list[int] | tuple = ()) -> list[int]:
        tokenizer = self.tokenizer(language)
        # the catalog prompt goes where faster-whisper puts initial_prompt / hotwords: after <|startofprev|>
        previous = [tokenizer.sot_prev, *prompt] if prompt else []
        return [*previous, *tokenizer.sot_sequence, tokenizer.no_timestamps]

    def generate_many(self, encoded, readings: list[tuple[str, list[int]]], max_new_tokens: int) -> list[Attempt]:
        """All readings greedily in one batch over copies of the one encoder output."""
        if len(readings) < 2 or encoded.device != "cpu":
            return super().generate_many(encoded, readings, max_new_tokens)
        starts = [self.start_tokens(language, prompt) for language, prompt in readings]
        copies = ctranslate2.StorageView.from_array(np.repeat(np.asarray(encoded), len(readings), axis=0))
        results = self.whisper.model.generate(
            copies, starts, max_length=min(max(map(len, starts)) + max_new_tokens, self.whisper.max_length),
            beam_size=1, return_scores=True, return_no_speech_prob=True, suppress_blank=True, suppress_tokens=[-1])
        attempts = []
        for (language, _), result in zip(readings, results):
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            attempts.append(Attempt(self.tokenizer(language).decode(tokens), avg_logprob, result.no_speech_prob,
                                    len(tokens)))
        return attempts

    def generate(self, encoded, language: str, temperature: float, max_new_tokens: int,
                 beam_size: int | None = None, prompt: list[int] | tuple = ()) -> Attempt:
        tokenizer = self.tokenizer(language)
        start = self.start_tokens(language, prompt)
        if temperature > 0:
            kwargs = {"beam_size": 1, "num_hypotheses": BEST_OF, "sampling_topk": 0,
                      "sampling_temperature": temperature}
        else:
            beams = beam_size or self.beam_size
            kwargs = {"beam_size": beams, "num_hypotheses": beams}
        result = self.whisper.model.generate(
            encoded, [start], max_length=min(len(start) + max_new_tokens, self.whisper.max_length),
            return_scores=True, return_no_speech_prob=True, suppress_blank=True, suppress_tokens=[-1],
            **kwargs)[0]
        # CTranslate2 returns the length-normalized cumulative log-prob (length_penalty 1)
        readings = [(tokenizer.decode(tokens), score * len(tokens) / (len(tokens) + 1))
                    for tokens, score in zip(result.sequences_ids, result.scores)]
        text, avg_logprob = readings[0]
        attempt = Attempt(text, avg_logprob, result.no_speech_prob, len(result.sequences_ids[0]), temperature)
        if temperature == 0:
            attempt.alternatives = readings[1:]
        return attempt


def _detection(results: list[tuple[str, float]]) -> Detection:
    probs = {token.strip("<|>"): p for token, p in results}
    if not probs:  # a converted checkpoint whose config lists no language tokens: undecided
        return Detection({"te": 0.5, "en": 0.5}, "en", 0.0)
    return Detection(te_en_probs(probs), max(probs, key=probs.get), 0.0)

"""openai-whisper (PyTorch) engine: any `.pt` checkpoint by path, or a named model already in the cache.

Named models ("base", "small" ...) would be downloaded by `whisper.load_model`; this engine never
downloads: a name must already sit in the whisper cache, otherwise give a path to a `.pt` file.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
import whisper
from whisper.decoding import DecodingOptions, decode, detect_language
from whisper.tokenizer import get_tokenizer

from voice.transcriber import Attempt, Detection, Limits, Transcriber, te_en_probs

BEAM_SIZE = 5
BEST_OF = 5


def _checkpoint_path(model: str) -> str:
    if os.path.isfile(model):
        return model
    if model in whisper._MODELS:
        cache = Path(os.getenv("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
        cached = cache / os.path.basename(whisper._MODELS[model])
        if cached.is_file():
            return str(cached)
        raise FileNotFoundError(f"openai-whisper model {model!r} is not in {cache} and this deployment does not "
                                "download weights; pass the path of a .pt checkpoint")
    raise FileNotFoundError(f"no openai-whisper checkpoint at {model!r} (give a .pt path or a cached model name)")


class OpenAIWhisperTranscriber(Transcriber):
    engine = "openai-whisper"

    def __init__(self, model: str, *, threads: int = 1, limits: Limits | None = None,
                 forced_language: str | None = None, beam_size: int = BEAM_SIZE, device: str = "cpu"):
        super().__init__(limits)
        self.beam_size = beam_size
        torch.set_num_threads(threads)  # process-wide in PyTorch
        self.model = model
        self.whisper = whisper.load_model(_checkpoint_path(model), device=device)
        self.whisper.eval()
        self.multilingual = self.whisper.is_multilingual
        self._tokenizer = get_tokenizer(self.multilingual, num_languages=self.whisper.num_languages)
        if forced_language == "te":
            self.telugu_decoding = "te"

    @torch.inference_mode()
    def encode(self, samples: np.ndarray) -> torch.Tensor:
        audio = whisper.pad_or_trim(torch.from_numpy(samples))
        mel = whisper.log_mel_spectrogram(audio, n_mels=self.whisper.dims.n_mels)
        return self.whisper.embed_audio(mel.unsqueeze(0).to(self.whisper.device))

    @torch.inference_mode()
    def detect(self, encoded: torch.Tensor) -> Detection:
        _, probs = detect_language(self.whisper, encoded)
        probs = probs[0]
        return Detection(te_en_probs(probs), max(probs, key=probs.get), 0.0)

    def text_tokens(self, text: str) -> list[int]:
        return self._tokenizer.encode(text)

    @torch.inference_mode()
    def generate(self, encoded: torch.Tensor, language: str, temperature: float, max_new_tokens: int,
                 beam_size: int | None = None, prompt: list[int] | tuple = ()) -> Attempt:
        # openai-whisper keeps only the best of its beam; the catalog prompt is its own `prompt` option
        options = DecodingOptions(
            task="transcribe", language=language if self.multilingual else "en", temperature=temperature,
            sample_len=min(max_new_tokens, self.whisper.dims.n_text_ctx // 2),
            beam_size=(beam_size or self.beam_size) if temperature == 0 else None,
            best_of=BEST_OF if temperature > 0 else None,
            without_timestamps=True, fp16=False, prompt=list(prompt) or None)
        result = decode(self.whisper, encoded, options)[0]
        text = self._tokenizer.decode([t for t in result.tokens if t < self._tokenizer.eot])
        return Attempt(text, result.avg_logprob, result.no_speech_prob, len(result.tokens), temperature)

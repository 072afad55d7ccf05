"""transformers engine: any Hugging Face Whisper checkpoint (directory or hub name), e.g. a Telugu
fine-tuned Whisper for `model_te`. Hub names resolve only where the deployment can reach the hub.

Detection and scoring are done here, the way Whisper itself does them, so this engine reports the same
numbers as the other two: language and no-speech probabilities from the first decoder step after
<|startoftranscript|>, and the average log-probability of the chosen tokens.
"""
from __future__ import annotations

import numpy as np
import torch
from transformers import (
    GenerationConfig,
    WhisperFeatureExtractor,
    WhisperForConditionalGeneration,
    WhisperTokenizerFast,
)
from transformers.generation.utils import GenerationMixin
from transformers.models.whisper.tokenization_whisper import LANGUAGES

from voice.transcriber import Attempt, Detection, Limits, Transcriber, te_en_probs

BEAM_SIZE = 5
BEST_OF = 5


class TransformersTranscriber(Transcriber):
    engine = "transformers"

    def __init__(self, model: str, *, threads: int = 1, limits: Limits | None = None,
                 forced_language: str | None = None, beam_size: int = BEAM_SIZE, device: str = "cpu"):
        super().__init__(limits)
        self.beam_size = beam_size
        torch.set_num_threads(threads)  # process-wide in PyTorch
        self.model = model
        self.features = WhisperFeatureExtractor.from_pretrained(model)
        self.tokenizer = WhisperTokenizerFast.from_pretrained(model)
        self.whisper = WhisperForConditionalGeneration.from_pretrained(model).to(device).eval()
        ids = self.tokenizer.convert_tokens_to_ids
        self.language_ids = {code: ids(f"<|{code}|>") for code in LANGUAGES
                             if ids(f"<|{code}|>") != self.tokenizer.unk_token_id}
        self.multilingual = "te" in self.language_ids and "en" in self.language_ids
        self.sot, self.eot = ids("<|startoftranscript|>"), self.tokenizer.eos_token_id
        self.transcribe_id, self.no_timestamps = ids("<|transcribe|>"), ids("<|notimestamps|>")
        self.sot_prev = ids("<|startofprev|>")
        self.no_speech = next(i for i in (ids("<|nospeech|>"), ids("<|nocaptions|>"))
                              if i != self.tokenizer.unk_token_id)
        self.suppress = list(getattr(self.whisper.generation_config, "suppress_tokens", None) or [])
        if forced_language == "te":
            self.telugu_decoding = "te"

    def _prompt(self, language: str, previous: list[int] | tuple = ()) -> list[int]:
        # the catalog prompt goes where Whisper's generate puts `prompt_ids`: after <|startofprev|>
        before = [self.sot_prev, *previous] if previous else []
        if not self.multilingual:
            return [*before, self.sot, self.no_timestamps]
        return [*before, self.sot, self.language_ids[language], self.transcribe_id, self.no_timestamps]

    def text_tokens(self, text: str) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=False)

    @torch.inference_mode()
    def encode(self, samples: np.ndarray):
        inputs = self.features(samples, sampling_rate=16000, return_tensors="pt")
        features = inputs.input_features.to(self.whisper.device, self.whisper.dtype)
        return self.whisper.get_encoder()(features)

    @torch.inference_mode()
    def _first_step_probs(self, encoded) -> torch.Tensor:
        start = torch.tensor([[self.sot]], device=self.whisper.device)
        logits = self.whisper(encoder_outputs=encoded, decoder_input_ids=start).logits[0, -1]
        return logits.float().softmax(-1)

    def detect(self, encoded) -> Detection:
        probs = self._first_step_probs(encoded)
        if not self.multilingual:
            return Detection({"te": 0.0, "en": 1.0}, "en", float(probs[self.no_speech]))
        language_probs = probs[list(self.language_ids.values())]
        language_probs = (language_probs / language_probs.sum()).tolist()
        by_code = dict(zip(self.language_ids, language_probs))
        return Detection(te_en_probs(by_code), max(by_code, key=by_code.get), float(probs[self.no_speech]))

    @torch.inference_mode()
    def generate(self, encoded, language: str, temperature: float, max_new_tokens: int,
                 beam_size: int | None = None, prompt: list[int] | tuple = ()) -> Attempt:
        prompt = self._prompt(language if language in self.language_ids else "en", prompt)
        room = self.whisper.config.max_target_positions - len(prompt)
        config = GenerationConfig(
            max_new_tokens=max(1, min(max_new_tokens, room)), eos_token_id=self.eot, pad_token_id=self.eot,
            decoder_start_token_id=self.sot, suppress_tokens=self.suppress or None,
            num_beams=(beam_size or self.beam_size) if temperature == 0 else 1, do_sample=temperature > 0,
            temperature=temperature if temperature > 0 else None, top_k=0 if temperature > 0 else None,
            num_return_sequences=1)
        start = torch.tensor([prompt], device=self.whisper.device)
        # the plain encoder-decoder generate: Whisper's own generate re-runs the encoder and the
        # language detection that this class has already done once
        sequence = GenerationMixin.generate(self.whisper, encoder_outputs=encoded, decoder_input_ids=start,
                                            decoder_attention_mask=torch.ones_like(start),
                                            generation_config=config)[0]
        tokens = [t for t in sequence[len(prompt):].tolist() if t != self.eot]
        avg_logprob, no_speech = self._score(encoded, prompt, tokens)
        text = self.tokenizer.decode(tokens, skip_special_tokens=True)
        return Attempt(text, avg_logprob, no_speech, len(tokens), temperature)

    def _score(self, encoded, prompt: list[int], tokens: list[int]) -> tuple[float, float]:
        """Whisper's avg_logprob (sum of token log-probs incl. end-of-text, over tokens + 1) and the
        no-speech probability, from one teacher-forced pass."""
        sequence = torch.tensor([prompt + tokens + [self.eot]], device=self.whisper.device)
        logits = self.whisper(encoder_outputs=encoded, decoder_input_ids=sequence[:, :-1]).logits[0].float()
        logprobs = logits.log_softmax(-1)
        targets = sequence[0, len(prompt):]
        chosen = logprobs[len(prompt) - 1:].gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        # no-speech is read right after <|startoftranscript|>, wherever a catalog prompt put it
        no_speech = float(logits[prompt.index(self.sot)].softmax(-1)[self.no_speech])
        return float(chosen.sum()) / (len(tokens) + 1), no_speech

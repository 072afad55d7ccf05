from voice.transcriber import te_en_probs


def test_every_non_english_language_counts_for_telugu():
    assert te_en_probs({"en": 0.2, "hi": 0.5, "ta": 0.3}) == {"te": 0.8, "en": 0.2}


def test_a_broken_distribution_leaves_the_language_undecided():
    assert te_en_probs({"en": float("nan"), "te": 0.2}) == {"te": 0.5, "en": 0.5}
    assert te_en_probs({}) == {"te": 0.5, "en": 0.5}



def test_a_broken_distribution_leaves_the_language_undecided():
    assert te_en_probs({"en": float("nan"), "te": 0.2}) == {"te": 0.5, "en": 0.5}
    assert te_en_probs({}) == {"te": 0.5, "en": 0.5}

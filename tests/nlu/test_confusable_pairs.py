"""`mitra eval` names the services most often taken for each other, and whether a question resolved them."""
from nlu.evaluate import Prediction, confusable_pairs, metrics

SC = "social_welfare.sc_post_matric_scholarship"
BC = "bc_welfare.bc_post_matric_scholarship"


def _p(gold, predicted, decision="route", top3=None):
    return Prediction(gold, predicted, top3 or [predicted, gold], decision, "en", "text")


def test_pairs_count_confusions_either_way_and_separate_questions_from_wrong_guesses():
    predictions = [
        _p(SC, BC), _p(BC, SC), _p(BC, SC, decision="clarify"),
        _p("energy.pay_electricity_bill", "energy.new_connection"),
        _p(SC, SC), _p("out_of_scope", SC), _p(SC, "greet"),
    ]
    pairs = confusable_pairs(predictions)
    assert pairs[0] == {"services": sorted([SC, BC]), "count": 3, "clarified": 1, "guessed_wrong": 2}
    assert pairs[1]["services"] == ["energy.new_connection", "energy.pay_electricity_bill"]
    assert len(pairs) == 2  # out of scope and meta intents are not look-alike services


def test_clarify_without_the_right_service_offered_is_a_wrong_guess():
    pairs = confusable_pairs([_p(SC, BC, decision="clarify", top3=[BC, "x.y", "x.z"])])
    assert pairs[0]["clarified"] == 0 and pairs[0]["guessed_wrong"] == 1


def test_metrics_report_the_pairs():
    assert metrics([_p(SC, BC), _p(BC, BC)])["confusable_pairs"][0]["count"] == 1

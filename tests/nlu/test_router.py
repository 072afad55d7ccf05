import json

import pytest

from nlu.normalize import TextError
from nlu.types import META_INTENTS


@pytest.mark.parametrize("text,service", [
    ("I need a caste certificate", "revenue.caste_certificate"),
    ("caste certificate kavali", "revenue.caste_certificate"),
    ("కుల ధృవీకరణ పత్రం కావాలి", "revenue.caste_certificate"),
    ("how to pay my electricity bill", "energy.pay_electricity_bill"),
    ("కరెంటు బిల్లు ఎలా కట్టాలి", "energy.pay_electricity_bill"),
    ("current bill kattali", "energy.pay_electricity_bill"),
    ("my pension did not come this month", "welfare.pension_status"),
    ("bus ticket book cheyyali vijayawada ki", "apsrtc.book_ticket"),
])
def test_routes_all_three_language_tags(router, text, service):
    result = router.route(text)
    assert result.service_id == service, (text, result.alternatives)
    assert result.decision in ("route", "clarify")
    assert result.alternatives[0].intent == service
    assert result.model_version == router.version


@pytest.mark.parametrize("text,intent", [
    ("hi", "greet"), ("నమస్కారం", "greet"), ("menu", "menu"), ("cancel this", "cancel"),
    ("talk to a human", "human_agent"), ("thank you so much", "thanks"), ("telugu lo cheppandi", "change_language"),
])
def test_meta_intents(router, text, intent):
    result = router.route(text)
    assert result.intent == intent and result.decision == "meta"
    assert intent in META_INTENTS and result.service_id is None


@pytest.mark.parametrize("text", ["who won the cricket match today", "ఈ రోజు వాతావరణం ఎలా ఉంది", "oka joke cheppu"])
def test_out_of_scope(router, text):
    result = router.route(text)
    assert result.decision == "out_of_scope" and result.intent == "out_of_scope" and result.service_id is None


def test_language_and_entities_come_with_the_route(router):
    result = router.route("repu guntur lo income certificate kavali")
    assert result.language == "te-latn"
    assert {e.type for e in result.entities} >= {"date", "district"}
    assert result.normalized_text == result.normalized_text.lower()


def test_result_serializes_to_json(router):
    data = json.loads(json.dumps(router.route("income certificate").to_dict(), ensure_ascii=False))
    assert set(data) >= {"intent", "service_id", "decision", "confidence", "alternatives", "entities",
                         "language", "normalized_text", "model_version"}
    assert len(data["alternatives"]) == 5
    assert data["alternatives"] == sorted(data["alternatives"], key=lambda a: -a["score"])


@pytest.mark.parametrize("bad", ["", "   ", b"\xff\xfe\x00\x01\x02garbage\x00\x00"])
def test_empty_or_garbage_input_is_a_clear_error(router, bad):
    with pytest.raises(TextError):
        router.route(bad)


def test_huge_input_is_routed_not_crashed(router):
    huge = ("I need an income certificate for my daughter " * 2500)[:100_000]
    result = router.route(huge)
    assert result.service_id == "revenue.income_certificate"
    assert len(result.text) <= 4096


def test_thresholds_are_stored_with_the_model(router):
    thresholds = router.model.manifest.thresholds
    assert 0 < thresholds.clarify <= thresholds.route < 1
    assert router.model.manifest.metrics["heldout_folds_accuracy"] > 0.8

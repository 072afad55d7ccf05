"""The accuracy targets of issue #3, on the independent held-out set (tests/data/route_heldout.jsonl)."""
import pytest

from nlu.evaluate import metrics, predict
from nlu.promotion import DEFAULT_HELDOUT as HELDOUT
from nlu.training_data import read_labelled_file


@pytest.fixture(scope="module")
def heldout_metrics(router):
    return metrics(predict(router, read_labelled_file(HELDOUT, "text", "intent")))


@pytest.mark.parametrize("lang,target", [("en", 0.95), ("te-latn", 0.90), ("te", 0.90)])
def test_top1_accuracy_per_language(heldout_metrics, lang, target):
    measured = heldout_metrics["per_language"][lang]
    assert measured["n"] >= 90
    assert measured["top1"] >= target, heldout_metrics["confusions"]


def test_out_of_scope_recall_and_precision(heldout_metrics):
    assert heldout_metrics["oos_recall"] >= 0.80
    assert heldout_metrics["oos_precision"] >= 0.90


def test_report_has_the_numbers_an_analyst_needs(heldout_metrics, tmp_path):
    from nlu.report import write_html_report

    heldout_metrics["model_version"] = "test"
    assert set(heldout_metrics) >= {"accuracy", "macro_f1", "per_label", "per_language", "oos_precision",
                                    "oos_recall", "confusions"}
    report = tmp_path / "report.html"
    write_html_report(report, heldout_metrics)
    text = report.read_text()
    assert "data:image/png;base64," in text and "te-latn" in text

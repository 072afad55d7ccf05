"""The routing commands as an analyst or operator runs them (real subprocesses, real model)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MITRA = str(Path(sys.executable).parent / "mitra")


@pytest.fixture(scope="module")
def env(router_models_root, tmp_path_factory):
    return {**os.environ, "MITRA_MODELS_DIR": str(router_models_root),
            "MITRA_DATA_DIR": str(tmp_path_factory.mktemp("data"))}


def mitra(env, *args, stdin=None):
    return subprocess.run([MITRA, *args], input=stdin, capture_output=True, text=True, env=env, timeout=600)


def test_route_prints_one_route_result(env, router):
    proc = mitra(env, "route", "scholarship kosam aadayam dhruvapatram teeyinchali")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["service_id"] == "revenue.income_certificate"
    assert result["model_version"] == router.version


def test_route_jsonl_answers_every_line_and_reports_bad_ones(env):
    lines = "\n".join([
        json.dumps({"text": "ఈ నెల విద్యుత్ బిల్లు ఇక్కడ చెల్లించవచ్చా"}),
        "this is not json",
        json.dumps({"text": ""}),
        json.dumps({"other": 1}),
        json.dumps({"text": "hello hello, good morning"}),
    ])
    proc = mitra(env, "route", "--jsonl", stdin=lines)
    assert proc.returncode == 1  # some lines failed
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["service_id"] == "energy.pay_electricity_bill"
    assert "not JSON" in out[1]["error"] and "empty" in out[2]["error"].lower()
    assert "expected" in out[3]["error"] and out[4]["intent"] == "greet"


def _tiny_file(tmp_path):
    """Eight labelled texts of two intents, as an analyst's CSV."""
    rows = ["text,label"] + [f"{t},{label}" for label, texts in {
        "card_lost": ["i lost my card", "my card is missing", "card was stolen", "cannot find my card"],
        "balance": ["what is my balance", "how much money do i have", "show account balance", "balance please"],
    }.items() for t in texts]
    data = tmp_path / "tiny.csv"
    data.write_text("\n".join(rows))
    return data


def test_train_and_eval_on_a_labelled_file(env, tmp_path):
    data = _tiny_file(tmp_path)
    model_dir = tmp_path / "tiny-model"
    proc = mitra({**env, "MITRA_TRAINING_FOLDS": "3"}, "train", "--data", str(data), "--out", str(model_dir))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((model_dir / "manifest.json").read_text())["metrics"]["folds"] == 3  # the setting's
    proc = mitra(env, "eval", "--model", str(model_dir), "--data", str(data), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["n"] == 8 and result["accuracy"] >= 0.75
    assert set(result) >= {"accuracy", "macro_f1", "per_label", "per_language", "oos_precision", "oos_recall"}


def test_train_without_the_shortcut_sends_every_text_through_the_whole_model(env, tmp_path):
    data = _tiny_file(tmp_path)
    for flag, chosen in (("--shortcut", True), ("--no-shortcut", False)):
        model_dir = tmp_path / flag.strip("-")
        proc = mitra(env, "train", "--data", str(data), "--out", str(model_dir), "--folds", "2", flag)
        assert proc.returncode == 0, proc.stderr
        manifest = json.loads((model_dir / "manifest.json").read_text())
        assert ("shortcut_heldout_folds_share" in manifest["metrics"]) == chosen, flag  # a bar was looked for
        assert manifest["metrics"]["folds"] == 2  # --folds wins over the setting
        assert not (model_dir / "ngram_classifier.joblib").exists() or chosen


def test_train_rejects_a_file_without_the_columns(env, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("utterance,intent\nhello,greet\n")
    proc = mitra(env, "train", "--data", str(data), "--out", str(tmp_path / "m"))
    assert proc.returncode == 2
    assert "missing column" in proc.stderr


def test_train_refuses_a_file_of_one_label_with_a_reason(env, tmp_path):
    data = tmp_path / "one.csv"
    data.write_text("text,label\nwhere is my card,card_arrival\ncard not here yet,card_arrival\n")
    proc = mitra(env, "train", "--data", str(data), "--out", str(tmp_path / "m"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "at least two labels" in proc.stderr and not (tmp_path / "m").exists()

"""Every `mitra` command and subcommand, run once as the operator runs it: a real subprocess, its exit status
and what it prints. A command that cannot even import (as `mitra rasa export` once could not) fails here.

`mitra rasa up` trains and serves a Rasa model (minutes) and is marked slow; the Celery form of `mitra worker`
needs a broker and is covered by tests/scale; here `mitra worker --embedded` is started and stopped.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.utils.net import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
# `python -m mitra.cli` from this checkout: the venv's `mitra` script would run whichever tree was installed
MITRA = [sys.executable, "-m", "mitra.cli"]

COMMANDS = {
    (): ["route", "transcribe", "serve", "train", "eval", "worker", "catalog", "models", "certificates", "rasa",
         "analyst"],
    ("catalog",): ["validate", "list", "show", "stats", "export"],
    ("models",): ["prepare", "list", "promote", "rollback"],
    ("certificates",): ["audit"],
    ("rasa",): ["export", "import", "up"],
    ("analyst",): ["queue", "label", "import", "export", "audit-log"],
}


@pytest.fixture(scope="module")
def env(router_models_root, tmp_path_factory):
    """A private data directory and a copy of the trained models root (promote/rollback change it)."""
    models = tmp_path_factory.mktemp("smoke") / "models"
    shutil.copytree(router_models_root, models, ignore=shutil.ignore_patterns("*.lock"))
    keep = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_")}
    return {**keep, "MITRA_DATA_DIR": str(tmp_path_factory.mktemp("smoke-data")), "MITRA_MODELS_DIR": str(models),
            "MITRA_SECRET_KEY": "smoke-test-key"}


def mitra(env, *args, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*MITRA, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False, cwd=ROOT)


def ok(env, *args, stdin: str | None = None) -> str:
    proc = mitra(env, *args, stdin=stdin)
    assert proc.returncode == 0, f"mitra {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.parametrize("group", sorted(COMMANDS), ids=lambda g: " ".join(g) or "mitra")
def test_help_lists_every_command(env, group):
    out = ok(env, *group, "--help")
    for command in COMMANDS[group]:
        assert f" {command} " in out, f"`mitra {' '.join(group)} --help` does not list {command}"


def test_catalog_commands(env, catalog):
    assert "ok" in ok(env, "catalog", "validate").lower()
    listing = ok(env, "catalog", "list")
    assert all(service_id in listing for service_id in catalog.services)
    shown = json.loads(ok(env, "catalog", "show", "revenue.income_certificate"))
    assert shown["id"] == "revenue.income_certificate"
    unknown = mitra(env, "catalog", "show", "no.such_service")
    assert unknown.returncode != 0 and "no.such_service" in unknown.stdout + unknown.stderr
    assert str(len(catalog.services)) in ok(env, "catalog", "stats")
    exported = [json.loads(line) for line in ok(env, "catalog", "export").splitlines()]
    assert {row["id"] for row in exported} == set(catalog.services)


def test_route_and_eval(env, router, tmp_path):
    routed = json.loads(ok(env, "route", "maa ammayi ki kula dhruvikarana patram kavali"))
    assert routed["model_version"] == router.version and routed["decision"]
    data = tmp_path / "two.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in [
        {"text": "current bill ela kattali online lo", "label": "energy.pay_electricity_bill"},
        {"text": "what is the weather in vizag tomorrow", "label": "out_of_scope"}]))
    metrics = json.loads(ok(env, "eval", "--data", str(data), "--json"))
    assert metrics["n"] == 2 and 0.0 <= metrics["accuracy"] <= 1.0


def test_transcribe_a_voice_note(env, tmp_path):
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (make system-deps): no voice note to transcribe")
    from voice.espeak import encode, speak

    note = tmp_path / "note.ogg"
    note.write_bytes(encode(speak("I need an income certificate", "en"), "ogg"))
    broken = tmp_path / "broken.ogg"
    broken.write_bytes(b"not audio at all")
    proc = mitra(env, "transcribe", "--language", "en", str(note), str(broken))
    assert proc.returncode == 1, proc.stderr  # one file failed
    good, bad = (json.loads(line) for line in proc.stdout.splitlines())
    assert "certificate" in good["text"].lower()
    assert bad["file"] == str(broken) and bad["error"]


def test_train_then_promote_and_roll_back(env, tmp_path):
    rows = [{"text": t, "label": label} for label, texts in {
        "revenue.income_certificate": ["income certificate kavali", "aadayam dhruvapatram", "need income proof",
                                       "income cert for scholarship"],
        "energy.pay_electricity_bill": ["current bill kattali", "pay my power bill", "electricity bill payment",
                                        "karent bill online"],
    }.items() for t in texts]
    data = tmp_path / "tiny.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    gate = tmp_path / "gate.jsonl"  # a small promotion gate: the bundled held-out set takes minutes to route twice
    gate.write_text("\n".join(json.dumps(r) for r in [
        {"text": "kula dhruvikarana patram ela teesukovali", "intent": "revenue.caste_certificate", "lang": "te-latn"},
        {"text": "my pension did not arrive", "intent": "welfare.pension_status", "lang": "en"},
        {"text": "bus seat reserve cheyyandi tirupati ki", "intent": "apsrtc.book_ticket", "lang": "te-latn"},
        {"text": "income proof for scholarship", "intent": "revenue.income_certificate", "lang": "en"}]))
    env = {**env, "MITRA_HELDOUT_FILE": str(gate)}
    versions = Path(env["MITRA_MODELS_DIR"]) / "versions"
    before = ok(env, "models", "list")
    assert "*" in before
    ok(env, "train", "--data", str(data), "--out", str(versions / "v-smoke-tiny"), "--folds", "2")
    assert "v-smoke-tiny" in ok(env, "models", "list")
    refused = mitra(env, "models", "promote", "v-smoke-tiny")
    assert refused.returncode == 1 and "v-smoke-tiny" in refused.stderr  # far worse on the held-out set
    assert "promoted v-smoke-tiny" in ok(env, "models", "promote", "v-smoke-tiny", "--force")
    assert "* v-smoke-tiny" in ok(env, "models", "list")
    assert "rolled back to" in ok(env, "models", "rollback")
    assert ok(env, "models", "list").count("*") == 1 and "* v-smoke-tiny" not in ok(env, "models", "list")
    missing = mitra(env, "models", "promote", "v-does-not-exist")
    assert missing.returncode == 2 and "v-does-not-exist" in missing.stderr


def test_models_prepare_is_idempotent(env):
    first = mitra(env, "models", "prepare")
    second = mitra(env, "models", "prepare")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert second.stdout.strip()


def test_analyst_commands(env, tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"text": "kula patram kosam apply cheyali", "label": "revenue.caste_certificate"})
                      + "\n" + json.dumps({"text": "something", "label": "no.such_intent"}) + "\n")
    imported = mitra(env, "analyst", "import", str(labels), "--as", "smoke")
    assert imported.returncode == 0, imported.stderr
    assert "imported 1 labelled text" in imported.stdout and "no.such_intent" in imported.stderr
    assert "0 open item(s)" in ok(env, "analyst", "queue")
    assert json.loads(ok(env, "analyst", "queue", "--json"))["total"] == 0
    missing = mitra(env, "analyst", "label", "999999", "revenue.caste_certificate", "--as", "smoke")
    assert missing.returncode != 0 and "999999" in missing.stderr
    out = tmp_path / "out.jsonl"
    assert "exported 1 labelled text" in ok(env, "analyst", "export", str(out))
    assert json.loads(out.read_text().splitlines()[0])["text"] == "kula patram kosam apply cheyali"
    log = json.loads(ok(env, "analyst", "audit-log", "--json"))
    assert any(entry["who"] == "smoke" for entry in log)


def test_certificates_audit_on_an_empty_register(env):
    assert "ok: 0 certificate records, chain intact" in ok(env, "certificates", "audit")


def test_a_bad_setting_is_named_not_a_traceback(env):
    proc = mitra({**env, "MITRA_TRAINING_FOLDS": "1", "MITRA_INFERENCE_THREADS": "two"}, "models", "list")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any(line.startswith("invalid setting MITRA_INFERENCE_THREADS='two'") for line in lines)
    assert any(line.startswith("invalid setting MITRA_TRAINING_FOLDS='1'") and "greater than or equal to 2" in line
               for line in lines)


def test_rasa_export_and_import(env, catalog, tmp_path):
    project = tmp_path / "rasa-project"
    written = ok(env, "rasa", "export", str(project))
    assert f"{len(catalog.services)} forms" in written or "forms" in written
    assert (project / "domain.yml").exists() and (project / "data" / "nlu.yml").exists()
    labelled = tmp_path / "from-rasa.jsonl"
    imported = ok(env, "rasa", "import", str(project / "data" / "nlu.yml"), "--out", str(labelled))
    assert "labelled texts from" in imported and labelled.read_text().strip()
    bad = mitra(env, "rasa", "export", str(tmp_path / "x"), "--pipeline", "spacy")
    assert bad.returncode == 2 and "--pipeline" in bad.stderr
    unknown = mitra(env, "rasa", "export", str(tmp_path / "y"), "--department", "nowhere")
    assert unknown.returncode == 2 and "unknown department(s) nowhere" in unknown.stderr
    # `up` says so before it builds Rasa's venv (minutes), and exits as `export` does
    unknown_up = mitra(env, "rasa", "up", "--dir", str(tmp_path / "u"), "--department", "nowhere")
    assert unknown_up.returncode == 2 and "unknown department(s) nowhere" in unknown_up.stderr
    assert not (tmp_path / "u").exists()
    pilot = ok(env, "rasa", "export", str(tmp_path / "z"), "--department", "cmrf")
    assert f"{sum(s.department == 'cmrf' for s in catalog.services.values())} forms" in pilot


def test_serve_answers_and_stops_on_sigterm(env, tmp_path):
    port = free_port()
    proc = subprocess.Popen([*MITRA, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        health = wait_for(lambda: _get(f"http://127.0.0.1:{port}/healthz"), timeout=300, interval=0.5)
        assert health.status_code == 200
        first = httpx.post(f"http://127.0.0.1:{port}/v1/chat/messages", json={"text": "hi"}, timeout=120).json()
        links = re.findall(r"https?://[^\s)]+", " ".join(r["text"] for r in first["replies"]))
        assert links and all(link.startswith(f"http://127.0.0.1:{port}/") for link in links), links  # links reach it
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=600)  # Rasa and its actions server stop slowly on a loaded machine
    # uvicorn shuts down cleanly, then re-raises the signal it handled
    assert proc.returncode in (0, -signal.SIGTERM) and "Application shutdown complete" in out, out[-3000:]


def test_worker_explains_what_it_needs(env):
    proc = mitra(env, "worker")
    assert proc.returncode == 2 and "MITRA_TASK_QUEUE=celery" in proc.stderr
    proc = mitra(env, "worker", "--embedded")
    assert proc.returncode == 2 and "WhatsApp is not configured" in proc.stderr


def test_embedded_worker_runs_until_sigterm(env):
    configured = {**env, "MITRA_WHATSAPP_PHONE_NUMBER_ID": "1234", "MITRA_WHATSAPP_ACCESS_TOKEN": "smoke",
                  "MITRA_GRAPH_BASE_URL": f"http://127.0.0.1:{free_port()}"}
    proc = subprocess.Popen([*MITRA, "worker", "--embedded"], env=configured, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=20)  # still running: it waits for inbox messages
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=600)  # Rasa and its actions server stop slowly on a loaded machine
    assert proc.returncode == 0 and "Traceback" not in out, out[-3000:]


@pytest.mark.slow
@pytest.mark.rasa
@pytest.mark.timeout(3600)  # trains Rasa when the catalog is new to it; wait_for below bounds it
def test_rasa_up_serves_rasa_and_stops(env, tmp_path):
    from bot import rasa_runtime
    from tests.utils import rasa_warmup

    if not rasa_runtime.venv_ready():
        pytest.skip("Rasa's environment is not built (make rasa); tests/rasa builds it or fails")
    port, actions = free_port(), free_port()
    # A data directory without the labels other tests here give, and tests/rasa's departments: the export is then
    # tests/rasa's, and one trained Rasa model (cached by the export's hash) serves both.
    env = {**env, "MITRA_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    # as an operator runs it: from their own directory, the project given relative to it (`make rasa`)
    departments = [arg for department in rasa_warmup.DEPARTMENTS for arg in ("--department", department)]
    proc = subprocess.Popen([*MITRA, "rasa", "up", "--dir", "rasa-project", "--port", str(port),
                             "--actions-port", str(actions), *departments], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        # mitra's own line says both servers are up; Rasa's /status alone can answer before mitra has seen it
        wait_for(lambda: any('"rasa": "http://127.0.0.1:' in line for line in lines) or proc.poll() is not None,
                 timeout=3600, interval=2)
        assert proc.poll() is None, "".join(lines)[-3000:]
        status = httpx.get(f"http://127.0.0.1:{port}/status", timeout=30)
        assert status.status_code == 200 and status.json()["model_file"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=600)  # Rasa and its actions server stop slowly on a loaded machine
        reader.join(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in "".join(lines), "".join(lines)[-3000:]


def _get(url: str):
    try:
        return httpx.get(url, timeout=5)
    except httpx.HTTPError:
        return None

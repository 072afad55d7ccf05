"""Changing the catalog is data only: validate → train → eval → promote on the command line brings a new
service to a running service without a restart, and a conversation in a removed service ends politely.

The catalog is a small temporary copy (three departments) so the two trainings stay short on a shared machine.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from api.app import create_app
from catalog.loader import SERVICES_DIR
from tests.conftest import seed_embedding_cache
from tests.fakes.http_server import ThreadedServer
from tests.utils.net import wait_for

KEPT, REMOVED, ADDED = "core.yaml", "animal_husbandry.yaml", "cmrf.yaml"
HELDOUT = [  # written for this test, not copied from the catalog
    ("I applied last week, what is happening with my application?", "core.application_status", "en"),
    ("naa cow ki jwaram, doctor intiki raavali", "animal_husbandry.veterinary_visit", "te-latn"),
    ("need money from chief minister fund for my father's heart operation", "cmrf.apply_assistance", "en"),
    ("CM relief fund ki apply chesanu, dabbulu eppudu vastayi?", "cmrf.application_status", "te-latn"),
    ("ముఖ్యమంత్రి సహాయ నిధి నుండి ఆపరేషన్ ఖర్చు కోసం సాయం కావాలి", "cmrf.apply_assistance", "te"),
    ("hospital needs a letter of credit from CMRF before the surgery", "cmrf.letter_of_credit", "en"),
]


def mitra(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "mitra.cli", *args], env=env, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, f"mitra {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def add_department(catalog_dir: Path, name: str) -> None:
    """A bundled department file, without its links to services this small catalog does not hold."""
    department = yaml.safe_load((SERVICES_DIR / name).read_text(encoding="utf-8"))
    for service in department["services"]:
        service.pop("related", None)
    (catalog_dir / name).write_text(yaml.safe_dump(department, allow_unicode=True, sort_keys=False), encoding="utf-8")


def trained_version(output: str) -> str:
    return json.loads(output[output.index("{"):])["version"]


def say(client: httpx.Client, text: str | None = None, choice: str | None = None) -> list[dict]:
    body = {"text": text} if choice is None else {"choice_id": choice}
    response = client.post("/v1/chat/messages", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    return data["replies"] if isinstance(data, dict) else data


def said(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.fixture
def workspace(tmp_path, settings, router):
    """`router`: the test router is trained first, so that its embeddings seed this store's (most texts here are
    the bundled catalog's)."""
    catalog_dir = tmp_path / "catalog"
    catalog_dir.mkdir()
    for name in (KEPT, REMOVED):
        shutil.copy(SERVICES_DIR / name, catalog_dir / name)
    models = tmp_path / "models"
    models.mkdir()
    seed_embedding_cache(models)
    heldout = tmp_path / "heldout.jsonl"
    heldout.write_text("".join(json.dumps({"text": t, "intent": i, "lang": lang}, ensure_ascii=False) + "\n"
                               for t, i, lang in HELDOUT), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "MITRA_DATA_DIR": str(tmp_path),
           "MITRA_MODELS_DIR": str(models), "MITRA_CATALOG_DIR": str(catalog_dir),
           "MITRA_HELDOUT_FILE": str(heldout), "MITRA_EMBEDDING_MODEL": settings.embedding_model}
    serving = settings.model_copy(update={"catalog_dir": catalog_dir, "models_dir": models,
                                          "heldout_file": heldout, "model_reload_interval_s": 0.2})
    return catalog_dir, env, serving


def test_a_new_service_reaches_the_running_service_and_a_removed_one_ends_politely(workspace):
    from runtime.services import Services

    catalog_dir, env, settings = workspace
    first = trained_version(mitra(env, "train", "--folds", "2"))
    mitra(env, "models", "promote", first)

    services = Services.start(settings)
    assert set(services.catalog.departments) == {"core", "animal_husbandry"}
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server, \
            httpx.Client(base_url=server.url, timeout=120) as farmer, \
            httpx.Client(base_url=server.url, timeout=120) as patient:
        say(farmer, "తెలుగు")
        offered = say(farmer, "మా ఆవుకి జబ్బు చేసింది, పశువుల డాక్టర్ ఇంటికి రావాలి")
        assert "yes" in json.dumps(offered), offered
        say(farmer, choice="yes")  # now filling the veterinary-visit form
        assert services.bot().catalog.version == services.catalog.version

        (catalog_dir / REMOVED).unlink()
        add_department(catalog_dir, ADDED)
        assert "ok: " in mitra(env, "catalog", "validate")
        second = trained_version(mitra(env, "train", "--folds", "2"))
        compared = mitra(env, "eval", "--model", second, "--against", first)
        assert second in compared and first in compared
        mitra(env, "models", "promote", second)  # the held-out gate: the new model is better on it

        wait_for(lambda: services.bot().catalog.services.get("cmrf.apply_assistance") is not None, timeout=120)
        bot = services.bot()
        assert bot.dialogue.router.version == second and bot.catalog.version == services.catalog.version
        assert "animal_husbandry.veterinary_visit" not in bot.catalog.services

        replies = say(patient, "my mother needs a heart operation, can the Chief Minister's fund help with the cost?")
        assert "CM Relief Fund" in json.dumps(replies), replies

        ended = said(say(farmer, "ఆవు"))
        assert "ఈ సేవ ఇక్కడ ఇక అందుబాటులో లేదు" in ended, ended
        menu = json.dumps(say(farmer, "menu"), ensure_ascii=False)
        assert "ముఖ్యమంత్రి" in menu and "పశు" not in menu, menu

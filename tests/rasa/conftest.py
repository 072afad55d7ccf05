"""Rasa fixtures: the exported project, Rasa's venv (created once, cached outside the repo), mitra's API."""
from __future__ import annotations

import os

import pytest

SERVICE_TOKEN = "rasa-actions-test-token"


@pytest.fixture(scope="session")
def rasa_venv():
    """Rasa 3.6's own environment; skipped with the reason when it cannot be made here."""
    from bot import rasa_runtime

    if os.environ.get("MITRA_SKIP_RASA"):
        pytest.skip("MITRA_SKIP_RASA is set")
    try:
        return rasa_runtime.ensure_venv(say=lambda line: print(line, flush=True))
    except rasa_runtime.RasaUnavailable as exc:
        pytest.skip(f"Rasa's environment is not available: {exc}")


@pytest.fixture(scope="session")
def exported(catalog, tmp_path_factory):
    from bot.rasa_export import export_project

    return export_project(catalog, tmp_path_factory.mktemp("rasa-project"))


@pytest.fixture(scope="session")
def rasa_models_root(catalog):
    """The routing model the API tests also use (trained once per catalog version, kept between sessions)."""
    from core.settings import Settings

    root = Settings(_env_file=None).data_dir / "test-cache" / f"router-{catalog.version}"
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def mitra_api(catalog, rasa_models_root, tmp_path_factory):
    """mitra's API on a loopback port, with the service token Rasa's actions use."""
    from api.app import create_app
    from runtime.services import Services
    from core.settings import Settings
    from nlu.router import Router
    from tests.fakes.http_server import ThreadedServer

    os.environ["MITRA_SERVICE_TOKENS"] = SERVICE_TOKEN
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("mitra-data"), secret_key="rasa-test",
                        models_dir=rasa_models_root)
    services = Services.start(settings, catalog=catalog)
    services._router = Router.load(catalog=catalog, models_root=rasa_models_root)
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server:
        server.services = services
        yield server
    os.environ.pop("MITRA_SERVICE_TOKENS", None)

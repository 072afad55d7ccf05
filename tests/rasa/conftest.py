"""Rasa fixtures: the exported project, Rasa's venv (created once, cached outside the repo), mitra's API."""
from __future__ import annotations

import os

import pytest

SERVICE_TOKEN = "rasa-actions-test-token"


@pytest.fixture(scope="session")
def rasa_venv():
    """Rasa 3.6's own environment. Skipped only where it cannot be built (no Python 3.10); where it can, a
    failed build fails the run."""
    from bot import rasa_runtime

    if os.environ.get("MITRA_SKIP_RASA"):
        pytest.skip("MITRA_SKIP_RASA is set")
    if not rasa_runtime.venv_ready() and rasa_runtime.find_python310() is None:
        pytest.skip("Rasa 3.6 needs Python 3.10 and none is installed here (python3.10 on PATH or pyenv)")
    try:
        return rasa_runtime.ensure_venv(say=lambda line: print(line, flush=True))
    except rasa_runtime.RasaUnavailable as exc:
        pytest.fail(f"Rasa's environment could not be built on a machine with Python 3.10: {exc}")


@pytest.fixture(scope="session")
def exported(catalog, tmp_path_factory):
    from tests.utils import rasa_warmup

    return rasa_warmup.export(catalog, tmp_path_factory.mktemp("rasa-project"))


@pytest.fixture(scope="session")
def rasa_models_root(router_models_root):
    """The one test router of the session (tests/conftest.py, keyed on the catalog and the nlu code)."""
    return router_models_root


@pytest.fixture(scope="session")
def mitra_api(catalog, router, rasa_models_root, tmp_path_factory):
    """mitra's API on a loopback port, with the service token Rasa's actions use."""
    from api.app import create_app
    from core.settings import Settings
    from runtime.services import Services
    from tests.fakes.http_server import ThreadedServer

    os.environ["MITRA_SERVICE_TOKENS"] = SERVICE_TOKEN
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("mitra-data"), secret_key="rasa-test",
                        models_dir=rasa_models_root)
    services = Services.start(settings, catalog=catalog)
    services._router = router
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server:
        server.services = services
        yield server
    os.environ.pop("MITRA_SERVICE_TOKENS", None)

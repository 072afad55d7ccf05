"""Security fixtures: the API tests' fake Graph server and signed webhooks, plus analyst and service tokens."""
from __future__ import annotations

import pytest

from api.app import create_app
from core.settings import Settings
from tests.fakes.http_server import ThreadedServer
from tests.utils.app import app_settings, graph, graph_server, services_factory, session_factory  # noqa: F401

ANALYST_TOKEN = "sec-analyst-token-0123456789"
ADMIN_TOKEN = "sec-admin-token-0123456789ab"
SERVICE_TOKEN = "sec-service-token-0123456789"
TOKENS = f"{ANALYST_TOKEN}:asha:analyst,{ADMIN_TOKEN}:kiran:admin"


@pytest.fixture
def settings(tmp_path, graph_server, monkeypatch) -> Settings:  # noqa: F811
    monkeypatch.setenv("MITRA_SERVICE_TOKENS", SERVICE_TOKEN)  # read by api/routers/applications.py
    return app_settings(tmp_path, graph_server, models_dir=tmp_path / "models", analyst_tokens=TOKENS)


@pytest.fixture
def server(services_factory, api_router):  # noqa: F811
    """The whole app (embedded worker included) on a loopback port, with the real router."""
    services = services_factory(_router=api_router)
    with ThreadedServer(create_app(services.settings, services=services)) as running:
        running.services = services
        yield running

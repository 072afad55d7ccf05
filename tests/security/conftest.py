"""Security fixtures: the API tests' fake Graph server and signed webhooks, plus analyst and service tokens."""
from __future__ import annotations

import pytest

from api.app import create_app
from core.settings import Settings
from tests.api.conftest import (  # noqa: F401 (fixtures)
    APP_SECRET,
    VERIFY_TOKEN,
    api_router,
    api_transcriber,
    graph,
    graph_server,
    services_factory,
    session_factory,
)
from tests.fakes.http_server import ThreadedServer

ANALYST_TOKEN = "sec-analyst-token-0123456789"
ADMIN_TOKEN = "sec-admin-token-0123456789ab"
SERVICE_TOKEN = "sec-service-token-0123456789"
TOKENS = f"{ANALYST_TOKEN}:asha:analyst,{ADMIN_TOKEN}:kiran:admin"


@pytest.fixture
def settings(tmp_path, graph_server, monkeypatch) -> Settings:  # noqa: F811
    monkeypatch.setenv("MITRA_SERVICE_TOKENS", SERVICE_TOKEN)  # read by api/routers/applications.py
    return Settings(_env_file=None, data_dir=tmp_path, models_dir=tmp_path / "models",
                    whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
                    whatsapp_access_token=graph_server.graph.token,
                    whatsapp_phone_number_id=graph_server.graph.phone_number_id,
                    graph_base_url=graph_server.url, outbound_rate_per_s=1000, secret_key="test-secret-key",
                    analyst_tokens=TOKENS, public_base_url="http://127.0.0.1:8000")


@pytest.fixture
def server(services_factory, api_router):  # noqa: F811
    """The whole app (embedded worker included) on a loopback port, with the real router."""
    services = services_factory(_router=api_router)
    with ThreadedServer(create_app(services.settings, services=services)) as running:
        running.services = services
        yield running

"""The whole app under test: the fake Graph server, settings pointed at it, a database, Services, a running server.

Test areas take these fixtures by importing them into their conftest.py (`from tests.utils.app import ...`) and
override `settings` or `server` where they need something else (tokens, a real router).
"""
from __future__ import annotations

import pytest

from core.settings import Settings
from tests.fakes.graph_server import GraphServer
from tests.utils.webhooks import APP_SECRET, VERIFY_TOKEN
from whatsapp.client import RetryPolicy, WhatsAppClient


@pytest.fixture
def graph_server():
    with GraphServer() as server:
        yield server


@pytest.fixture
def graph(graph_server):
    return graph_server.graph


def app_settings(data_dir, graph_server, **extra) -> Settings:
    """Settings for the app talking to the fake Graph server, keeping its data under `data_dir`."""
    values = dict(_env_file=None, data_dir=data_dir, whatsapp_app_secret=APP_SECRET,
                  whatsapp_verify_token=VERIFY_TOKEN, whatsapp_access_token=graph_server.graph.token,
                  whatsapp_phone_number_id=graph_server.graph.phone_number_id, graph_base_url=graph_server.url,
                  outbound_rate_per_s=1000, secret_key="test-secret-key", public_base_url="http://127.0.0.1:8000")
    return Settings(**{**values, **extra})


@pytest.fixture
def settings(tmp_path, graph_server) -> Settings:
    return app_settings(tmp_path, graph_server)


@pytest.fixture
def session_factory(settings):
    from core.db import init_db, make_session_factory

    return make_session_factory(init_db(settings.sqlalchemy_url))


@pytest.fixture
def services_factory(settings, session_factory, catalog):
    """Build the app's Services on the test database; keyword arguments pre-fill parts (e.g. a bot)."""
    from core.settings import InboxSettings
    from runtime.services import Services

    def make(**given):
        given.setdefault("worker_settings", InboxSettings(poll_interval_s=0.05, retry_delay_s=0.05))
        given.setdefault("whatsapp", WhatsAppClient.from_settings(
            settings, retry=RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.2), timeout_s=5.0))
        return Services.start(settings, catalog=catalog, session_factory=session_factory, **given)
    return make


@pytest.fixture
def server(services_factory):
    """The whole app (embedded worker included) on a loopback port; `server.services` is its Services."""
    from api.app import create_app
    from tests.fakes.http_server import ThreadedServer

    services = services_factory()
    with ThreadedServer(create_app(services.settings, services=services)) as running:
        running.services = services
        yield running

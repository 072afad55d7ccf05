"""Payments and bookings end to end: the signed WhatsApp webhook, the fake Graph server, the gateways."""
from __future__ import annotations

import pytest

from api.app import create_app
from core.settings import Settings
from tests.api.whatsapp_citizen import WhatsAppCitizen
from tests.fakes.http_server import ThreadedServer
from tests.fakes.razorpay_server import RazorpayServer
from tests.utils.app import graph, graph_server  # noqa: F401 (fixtures)
from tests.utils.webhooks import APP_SECRET, VERIFY_TOKEN


@pytest.fixture
def razorpay_server():
    with RazorpayServer() as server:
        yield server


def _settings(tmp_path, graph_server, **extra) -> Settings:  # noqa: F811
    return Settings(_env_file=None, data_dir=tmp_path, whatsapp_app_secret=APP_SECRET,
                    whatsapp_verify_token=VERIFY_TOKEN, whatsapp_access_token=graph_server.graph.token,
                    whatsapp_phone_number_id=graph_server.graph.phone_number_id, graph_base_url=graph_server.url,
                    outbound_rate_per_s=1000, secret_key="test-secret-key", **extra)


@pytest.fixture(params=["simulated", "razorpay"])
def gateway_name(request):
    return request.param


@pytest.fixture
def settings(tmp_path, graph_server, razorpay_server, gateway_name) -> Settings:  # noqa: F811
    if gateway_name == "simulated":
        return _settings(tmp_path, graph_server)
    fake = razorpay_server.fake
    return _settings(tmp_path, graph_server, payment_gateway="razorpay", razorpay_base_url=razorpay_server.url,
                     razorpay_key_id=fake.key_id, razorpay_key_secret=fake.key_secret,
                     razorpay_webhook_secret=fake.webhook_secret)


@pytest.fixture
def session_factory(settings):
    from core.db import init_db, make_session_factory

    return make_session_factory(init_db(settings.sqlalchemy_url))


@pytest.fixture
def app(settings, session_factory, catalog):
    """The real app and worker; the bot works without a routing model (citizens use the menus here)."""
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot
    from core.settings import InboxSettings
    from runtime.services import Services
    from whatsapp.client import RetryPolicy, WhatsAppClient

    services = Services.start(settings, catalog=catalog, session_factory=session_factory,
                              worker_settings=InboxSettings(poll_interval_s=0.05, retry_delay_s=0.05),
                              whatsapp=WhatsAppClient.from_settings(settings, retry=RetryPolicy(
                                  attempts=4, base_delay_s=0.01, max_delay_s=0.2), timeout_s=5.0))
    services._bot = Bot(catalog, None, session_factory, EmbeddedConnector.for_catalog(session_factory, catalog,
                                                                                       settings),
                        settings, departments=services.departments(), ledger=services.ledger())
    with ThreadedServer(create_app(settings, services=services, run_worker=True)) as server:
        server.services = services
        yield server


@pytest.fixture
def citizen(app, graph, session_factory):  # noqa: F811
    return WhatsAppCitizen(app.url, graph, session_factory)

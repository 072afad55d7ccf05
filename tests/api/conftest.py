"""Fixtures for the API tests: the fake Graph server, a client pointed at it, settings and a database."""
from __future__ import annotations

import json
import time

import pytest

from core.settings import Settings
from tests.fakes.graph_server import GraphServer
from whatsapp.client import RetryPolicy, WhatsAppClient
from whatsapp.signature import sign

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"


@pytest.fixture
def graph_server():
    with GraphServer() as server:
        yield server


@pytest.fixture
def graph(graph_server):
    return graph_server.graph


@pytest.fixture
def wa_client(graph_server):
    client = WhatsAppClient(graph_server.url, graph_server.graph.phone_number_id, graph_server.graph.token,
                            rate_per_s=1000, retry=RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.2),
                            timeout_s=2.0)
    yield client
    client.close()


@pytest.fixture
def settings(tmp_path, graph_server) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, whatsapp_app_secret=APP_SECRET,
                    whatsapp_verify_token=VERIFY_TOKEN, whatsapp_access_token=graph_server.graph.token,
                    whatsapp_phone_number_id=graph_server.graph.phone_number_id,
                    graph_base_url=graph_server.url, outbound_rate_per_s=1000,
                    secret_key="test-secret-key", public_base_url="http://127.0.0.1:8000")


@pytest.fixture
def session_factory(settings):
    from core.db import init_db, make_session_factory

    return make_session_factory(init_db(settings.sqlalchemy_url))


def text_webhook(wa_id: str, message_id: str, body: str, timestamp: int | None = None, name: str = "Ravi") -> dict:
    return message_webhook(wa_id, {"id": message_id, "type": "text", "text": {"body": body}}, timestamp, name)


def message_webhook(wa_id: str, message: dict, timestamp: int | None = None, name: str = "Ravi") -> dict:
    """The JSON Meta posts for one incoming message (Cloud API webhook, field 'messages')."""
    message = {"from": wa_id, "timestamp": str(timestamp or int(time.time())), **message}
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": "1055500000"},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [message]}}]}]}


def status_webhook(wamid: str, status: str, recipient: str, errors: list | None = None) -> dict:
    item = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": recipient}
    if errors:
        item["errors"] = errors
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "1055500000"}, "statuses": [item]}}]}]}


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return body, {"X-Hub-Signature-256": sign(body, secret), "Content-Type": "application/json"}


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


@pytest.fixture(scope="session")
def api_models_root(router_models_root):
    return router_models_root


@pytest.fixture(scope="session")
def api_router(router):
    return router


@pytest.fixture(scope="session")
def api_transcriber():
    """The bundled Whisper base through faster-whisper, loaded once per session."""
    from voice.transcriber import load_transcriber

    return load_transcriber("faster-whisper", "base")


@pytest.fixture(scope="session")
def caste_voice_note() -> bytes:
    """An OGG/Opus voice note, spoken by espeak-ng: "I need a caste certificate"."""
    from voice.espeak import espeak_available, voice_note

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (make system-deps)")
    return voice_note("I need a caste certificate", voice="en", fmt="ogg")

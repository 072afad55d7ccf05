"""Fixtures for the API tests: the fake Graph server, a client pointed at it, settings and a database."""
from __future__ import annotations

import pytest

from tests.utils.app import graph, graph_server, services_factory, session_factory, settings  # noqa: F401
from whatsapp.client import RetryPolicy, WhatsAppClient


@pytest.fixture
def wa_client(graph_server):  # noqa: F811
    client = WhatsAppClient(graph_server.url, graph_server.graph.phone_number_id, graph_server.graph.token,
                            rate_per_s=1000, retry=RetryPolicy(attempts=4, base_delay_s=0.01, max_delay_s=0.2),
                            timeout_s=2.0)
    yield client
    client.close()

"""Fixtures for the API tests: the fake Graph server and a client pointed at it."""
from __future__ import annotations

import pytest

from api.whatsapp.client import RetryPolicy, WhatsAppClient
from tests.fakes.graph_server import GraphServer


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

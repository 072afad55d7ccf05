"""Deploy fixtures: the whole app on a loopback port (the API tests' settings and fake Graph server)."""
from __future__ import annotations

import pytest

from api.app import create_app
from tests.api.conftest import (  # noqa: F401 (fixtures)
    graph_server,
    services_factory,
    session_factory,
    settings,
)
from tests.fakes.http_server import ThreadedServer


@pytest.fixture
def server(services_factory):  # noqa: F811
    services = services_factory()
    with ThreadedServer(create_app(services.settings, services=services)) as running:
        running.services = services
        yield running

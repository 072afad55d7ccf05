"""Documents fixtures: the whole app on a loopback port (the API tests' settings and fake Graph server)."""
from __future__ import annotations

from tests.utils.app import graph_server, server, services_factory, session_factory, settings  # noqa: F401

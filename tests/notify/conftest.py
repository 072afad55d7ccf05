"""Fixtures for notifications, consent and the agent inbox: the app with a real Bot (menus and commands; no
routing model needed), the fake Graph server, and a department's service token."""
from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from tests.api.whatsapp_citizen import WhatsAppCitizen
from tests.fakes.http_server import ThreadedServer
from tests.utils.app import graph, graph_server, services_factory, session_factory  # noqa: F401 (fixtures)
from tests.utils.app import settings as api_settings  # noqa: F401 (fixtures)

SERVICE_TOKEN = "dept-token-revenue-0123456789"
AGENT_TOKEN = "agent-token-0123456789abcdef"
SERVICE = "revenue.caste_certificate"


@pytest.fixture
def window_s() -> float:
    return 86400.0


@pytest.fixture
def settings(api_settings, window_s):  # noqa: F811
    return api_settings.model_copy(update={"whatsapp_service_window_s": window_s,
                                           "service_tokens": f"{SERVICE_TOKEN}:revenue",
                                           "analyst_tokens": f"{AGENT_TOKEN}:Sita:agent",
                                           "notification_retry_s": 0.0})


@pytest.fixture
def app(services_factory, settings, catalog):  # noqa: F811
    from api.app import create_app
    from bot.engine import Bot

    services = services_factory()
    services._bot = Bot(catalog, None, services.session_factory, services.connector(), settings)
    with ThreadedServer(create_app(settings, services=services)) as server:
        server.services = services
        yield server


@pytest.fixture
def citizen(app, graph, session_factory):  # noqa: F811
    return WhatsAppCitizen(app.url, graph, session_factory)


def submit_application(services, citizen_db_id: int, name: str = "Ravi Kumar", mobile: str = "9848012345") -> str:
    """An application as the dialogue submits one (the connector's own submit), for `citizen_db_id`."""
    from applications.connectors import ApplicationRequest
    from core.db import utcnow

    service = services.catalog.services[SERVICE]
    fields = {"applicant_name": name, "mobile": mobile}
    request = ApplicationRequest(
        service_id=SERVICE, department_code=services.catalog.department_of(service).code, citizen_db_id=citizen_db_id, fields=fields,
        masked_fields={"applicant_name": name, "mobile": "******" + mobile[-4:]},
        sealed_fields=services.vault.seal_json(fields), fee=service.fee, sla_days=service.sla_days,
        language="en", idempotency_key=f"test-{citizen_db_id}-{uuid.uuid4().hex}",
        submitted_at=utcnow().replace(microsecond=0) - timedelta(minutes=1))
    return services.connector().submit(request)


def citizen_db_id(services, wa_id: str) -> int:
    from sqlalchemy import select

    from core.db import Citizen

    with services.session_factory() as session:
        return session.scalar(select(Citizen.id).where(Citizen.lookup_hash == services.vault.lookup_hash(wa_id)))


def callback(app_url: str, reference: str, status: str, token: str | None = SERVICE_TOKEN, note: str = ""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{app_url}/v1/departments/applications/{reference}/status",
                      json={"status": status, "note": note}, headers=headers, timeout=30)

"""REST endpoints: catalog, health, and text routing (with the real routing model)."""
from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from tests.fakes.http_server import ThreadedServer


@pytest.fixture
def api(services_factory, settings):
    services = services_factory()
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server:
        server.services = services
        yield server


def test_health_and_readiness(api):
    assert httpx.get(f"{api.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{api.url}/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["database"] == "ok"


def test_readiness_fails_when_the_database_is_unreachable(api, tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    api.services.session_factory = sessionmaker(bind=create_engine(f"sqlite:///{tmp_path}/missing/dir/x.db"))
    response = httpx.get(f"{api.url}/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"].startswith("error")


def test_catalog_endpoints(api, catalog):
    departments = httpx.get(f"{api.url}/v1/catalog/departments").json()
    assert [d["id"] for d in departments] == [d.id for d in catalog.departments_in_menu_order()]
    every = httpx.get(f"{api.url}/v1/catalog/services").json()
    assert len(every) == len(catalog.services)
    revenue = httpx.get(f"{api.url}/v1/catalog/services", params={"department": "revenue"}).json()
    assert {s["id"] for s in revenue} == {s.id for s in catalog.by_department("revenue")}
    one = httpx.get(f"{api.url}/v1/catalog/services/revenue.caste_certificate").json()
    assert one["name"]["te"] == catalog.services["revenue.caste_certificate"].name.te and one["fields"]
    unknown = httpx.get(f"{api.url}/v1/catalog/services", params={"department": "nope"})
    assert unknown.status_code == 404 and "revenue" in unknown.json()["detail"]
    assert httpx.get(f"{api.url}/v1/catalog/services/nope.nothing").status_code == 404


def test_chat_endpoint_validates_input(api):
    assert httpx.post(f"{api.url}/v1/chat/messages", json={}).status_code == 422
    assert httpx.post(f"{api.url}/v1/chat/messages", json={"text": "x" * 5000}).status_code == 413
    assert httpx.post(f"{api.url}/v1/chat/messages", content=b"not json",
                      headers={"Content-Type": "application/json"}).status_code == 422


def test_verify_refuses_forged_tokens_without_revealing_anything(api):
    for token in ("abc.def", "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%3Cscript%3E"):
        response = httpx.get(f"{api.url}/verify/{token}")
        assert response.status_code == 400 and "INVALID" in response.text and "<script>" not in response.text


@pytest.mark.slow
def test_route_text(api, api_router):
    api.services._router = api_router
    result = httpx.post(f"{api.url}/v1/route", json={"text": "caste certificate kavali"}).json()
    assert result["service_id"] == "revenue.caste_certificate" and result["language"] == "te-latn"
    assert result["decision"] in ("route", "clarify") and result["alternatives"]
    telugu = httpx.post(f"{api.url}/v1/route", json={"text": "నాకు కుల ధృవీకరణ పత్రం కావాలి"}).json()
    assert telugu["service_id"] == "revenue.caste_certificate"


@pytest.mark.slow
@pytest.mark.parametrize("body,status", [({"text": ""}, 422), ({"text": "   \u200b "}, 422),
                                         ({"text": "\x00\x01\x02\x03" * 10}, 422), ({"text": "a " * 3000}, 413),
                                         ({"txt": "hi"}, 422), ({"text": 5}, 422)])
def test_route_refuses_bad_text_with_a_reason(api, api_router, body, status):
    api.services._router = api_router
    response = httpx.post(f"{api.url}/v1/route", json=body)
    assert response.status_code == status and response.json()["detail"]

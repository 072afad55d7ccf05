"""/v1/applications, the surface Rasa's actions use, over HTTP: tokens, answer checks, submission, status."""
from __future__ import annotations

import httpx
import pytest

TOKEN = "actions-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CASTE = "revenue.caste_certificate"
GOOD = {"applicant_name": "Ravi Kumar", "aadhaar": "2345 6789 0124", "caste_category": "bc_b", "district": "guntur",
        "mandal": "Tenali", "mobile": "9876543210"}


@pytest.fixture
def client(tmp_path, catalog, monkeypatch):
    """An HTTP client for the app served by uvicorn on a free loopback port."""
    from api.app import create_app
    from core.settings import Settings
    from tests.fakes.http_server import ThreadedServer

    monkeypatch.setenv("MITRA_SERVICE_TOKENS", f"other,{TOKEN}")
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="test")
    with ThreadedServer(create_app(settings, run_worker=False)) as server, \
            httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_tokens_are_required(client, monkeypatch):
    body = {"service_id": CASTE, "field": "mobile", "value": "9876543210"}
    assert client.post("/v1/applications/check", json=body).status_code == 401
    assert client.post("/v1/applications/check", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    monkeypatch.setenv("MITRA_SERVICE_TOKENS", "")
    assert client.post("/v1/applications/check", json=body, headers=AUTH).status_code == 503


def test_answers_are_checked_and_normalized_in_the_citizens_language(client):
    ok = client.post("/v1/applications/check", headers=AUTH,
                     json={"service_id": CASTE, "field": "district", "value": "Guntur"}).json()
    assert ok == {"ok": True, "value": "guntur", "message": ""}
    refused = client.post("/v1/applications/check", headers=AUTH,
                          json={"service_id": CASTE, "field": "aadhaar", "value": "1234", "language": "te"}).json()
    assert refused["ok"] is False and "ఆధార్" in refused["message"]
    assert client.post("/v1/applications/check", headers=AUTH,
                       json={"service_id": CASTE, "field": "shoe_size", "value": "9"}).status_code == 422
    assert client.post("/v1/applications/check", headers=AUTH,
                       json={"service_id": "revenue.nothing", "field": "x", "value": "9"}).status_code == 404


def test_submit_is_idempotent_and_status_can_be_looked_up(client):
    body = {"service_id": CASTE, "fields": GOOD, "citizen_id": "919800000001", "idempotency_key": "rasa:1:m1"}
    summary = client.post("/v1/applications/summary", headers=AUTH, json=body).json()["message"]
    assert "Ravi Kumar" in summary and "2345 6789 0124" not in summary
    first = client.post("/v1/applications", headers=AUTH, json=body)
    again = client.post("/v1/applications", headers=AUTH, json=body)
    assert first.status_code == 201 and first.json()["reference"] == again.json()["reference"]
    reference = first.json()["reference"]
    assert reference.startswith("AP-REV-") and reference in first.json()["message"]
    status = client.get(f"/v1/applications/{reference.lower()}", headers=AUTH, params={"language": "te"}).json()
    assert status["status"] == "submitted" and reference in status["message"]
    assert client.get("/v1/applications/AP-REV-2026-999999", headers=AUTH).status_code == 404


def test_submit_lists_every_problem(client):
    bad = {**GOOD, "aadhaar": "1234", "extra": "x"}
    bad.pop("mobile")
    response = client.post("/v1/applications", headers=AUTH, json={
        "service_id": CASTE, "fields": bad, "citizen_id": "919800000001", "idempotency_key": "k2"})
    assert response.status_code == 422
    problems = response.json()["detail"]["fields"]
    assert set(problems) == {"aadhaar", "mobile", "extra"}


def test_a_department_number_is_looked_up_at_the_department(client, catalog):
    """What Rasa's status action asks when the form holds the department's own number instead of a mitra
    reference: the department's record in the citizen's language, or a polite "no record"."""
    from catalog.formats import get_format

    service = catalog.services["cmrf.application_status"]
    example = get_format(service.fields[0].format).example  # the simulated department always knows its example

    def look_up(number: str, language: str = "en"):
        return client.post("/v1/applications/department-status", headers=AUTH, json={
            "service_id": service.id, "fields": {"cmrf_number": number}, "language": language})

    found = look_up(example, "te").json()
    assert found["found"] is True and service.name.te in found["message"]
    outcomes = {look_up(f"2026/CMRF/{n:05d}").json()["found"] for n in range(1, 200)}
    assert outcomes == {True, False}  # some numbers are not on record, and the answer says so
    refused = look_up("12")  # not a number of that kind: the reason comes back
    assert refused.status_code == 422 and "cmrf_number" in refused.json()["detail"]["fields"]


def test_a_department_that_does_not_answer_gets_a_polite_503(tmp_path, catalog, monkeypatch):
    from api.app import create_app
    from core.settings import Settings
    from tests.fakes.http_server import ThreadedServer
    from tests.utils.net import free_port

    monkeypatch.setenv("MITRA_SERVICE_TOKENS", TOKEN)
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="test", departments_timeout_s=2,
                        departments_url=f"http://127.0.0.1:{free_port()}")  # nobody listens there
    with ThreadedServer(create_app(settings, run_worker=False)) as server, \
            httpx.Client(base_url=server.url, timeout=60) as http:
        down = http.post("/v1/applications/department-status", headers=AUTH, json={
            "service_id": "cmrf.application_status", "fields": {"cmrf_number": "2026/SD/01234"}, "language": "te"})
    assert down.status_code == 503 and "శాఖ వ్యవస్థ" in down.json()["detail"]["message"]


def test_a_submit_with_a_fee_gives_its_payment_link_and_the_office_starts_when_paid(client):
    """Rasa's confirmation carries the fee's link (the same one when the submit is repeated); once paid on the
    pay page the department is told, and its history shows it."""
    import re

    body = {"service_id": CASTE, "fields": GOOD, "citizen_id": "919800000002", "idempotency_key": "rasa:2:m1"}
    first = client.post("/v1/applications", headers=AUTH, json=body).json()
    link = re.search(r"/pay/(\S+)", first["message"])
    assert link and "Pay ₹" in first["message"], first["message"]
    assert link.group(0) in client.post("/v1/applications", headers=AUTH, json=body).json()["message"]
    assert client.post(link.group(0), data={"action": "pay"}).status_code == 200
    history = client.get(f"/v1/applications/{first['reference']}", headers=AUTH).json()["history"]
    assert [h for h in history if h.get("fee_receipt")], history

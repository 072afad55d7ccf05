"""Analyst tokens guard the analyst API (and only it); the /analyst page works in headless Chromium."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from core.db.review_models import AuditEntry, ReviewItem
from tests.analyst.conftest import ADMIN_TOKEN, ANALYST_TOKEN
from tests.fakes.http_server import ThreadedServer
from tests.utils.browser import chromium, needs_chromium

HOSTILE = '<img src=x onerror="window.pwned=1">'


@pytest.fixture
def server(settings, sessions, catalog):
    """The app without a loaded router: the page and the queue need none."""
    from runtime.services import Services

    with sessions.begin() as session:
        session.add(ReviewItem(text=HOSTILE + " caste certificate", language="en", reasons=["low_confidence"],
                               decision="clarify", intent="revenue.caste_certificate", confidence=0.31,
                               alternatives=[{"intent": "revenue.caste_certificate", "score": 0.4},
                                             {"intent": "revenue.income_certificate", "score": 0.3}], status="open"))
    services = Services.start(settings, catalog=catalog, session_factory=sessions)
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as running:
        yield running


def test_analyst_endpoints_accept_only_analyst_tokens(server):
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/v1/analyst/queue").status_code == 401
        assert client.get("/v1/analyst/queue", headers={"Authorization": "Bearer wrong-token-000000000"}).status_code == 401
        assert client.get("/v1/analyst/queue", headers={"Authorization": f"Basic {ANALYST_TOKEN}"}).status_code == 401
        client.get("/chat")  # a citizen's chat cookie is no analyst credential
        assert client.cookies and client.get("/v1/analyst/queue").status_code == 401
        ok = client.get("/v1/analyst/queue", headers={"Authorization": f"Bearer {ANALYST_TOKEN}"})
        assert ok.status_code == 200 and ok.json()["total"] == 1
        me = client.get("/v1/analyst/me", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
        assert me == {"name": "kiran", "role": "admin"}


def test_bad_labels_formats_and_items_are_refused_clearly(server):
    headers = {"Authorization": f"Bearer {ANALYST_TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        assert client.post("/v1/analyst/queue/1/label", json={"label": "nope"}).status_code == 422
        assert client.post("/v1/analyst/queue/99/skip").status_code == 404
        assert client.get("/v1/analyst/export?format=xml").status_code == 422
        bad = client.post("/v1/analyst/import?format=csv", content=b"a,b\n1,2\n")
        assert bad.status_code == 422 and "header with 'text' and 'label'" in bad.json()["detail"]
        good = client.post("/v1/analyst/import?format=jsonl&filename=x.jsonl",
                           content=b'{"text": "call 9848012345", "label": "human_agent"}\n')
        assert good.json() == {"imported": 1, "duplicates": 0, "frozen_test": 0, "unknown_intents": {}}
        exported = client.get("/v1/analyst/export?format=rasa")
        assert "human_agent" in exported.text and "9848012345" not in exported.text


def test_misconfigured_tokens_close_the_analyst_api(settings, sessions, catalog):
    from runtime.services import Services

    weak = settings.model_copy(update={"analyst_tokens": "short:asha:analyst"})
    services = Services.start(weak, catalog=catalog, session_factory=sessions)
    with ThreadedServer(create_app(weak, services=services, run_worker=False)) as running:
        response = httpx.get(f"{running.url}/v1/analyst/queue", headers={"Authorization": "Bearer short"})
    assert response.status_code == 503 and "shorter than" in response.json()["detail"]
    assert "short:" not in response.text


@needs_chromium
def test_page_login_queue_one_click_label_and_versions(server, sessions, models_root):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server.url}/analyst")
        page.fill("#token", "not-a-token-at-all")
        page.click("#login-button")
        page.wait_for_function("document.querySelector('#login-error').textContent.length > 0")
        assert page.is_hidden("#app")

        page.fill("#token", ANALYST_TOKEN)
        page.click("#login-button")
        page.wait_for_selector("tr[data-item]")
        assert "asha (analyst)" in page.inner_text("#who")
        row = page.locator("tr[data-item]").first
        assert HOSTILE in row.inner_text()  # shown as text, never run
        assert page.evaluate("window.pwned") is None
        page.wait_for_selector("tr[data-version]")
        assert page.locator("tr[data-version]").count() == 1
        assert "★" in page.locator("tr[data-version]").first.inner_text()

        row.locator("button[data-label='revenue.income_certificate']").click()  # one click
        page.wait_for_function("document.querySelectorAll('tr[data-item]').length === 0")
        assert "labelled revenue.income_certificate" in page.inner_text("#status")
        page.wait_for_function("document.querySelector('#audit').textContent.includes('label')")
    with sessions() as session:
        item = session.scalar(select(ReviewItem))
        assert (item.status, item.label, item.labelled_by) == ("labelled", "revenue.income_certificate", "asha")
        assert session.scalar(select(AuditEntry.action)) == "label"

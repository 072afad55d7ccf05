"""The dashboard's figures over HTTP, from messages stored the way the bot stores them."""
from __future__ import annotations

import os
from datetime import datetime

import httpx
import pytest

from api.app import create_app
from core.db.models import Citizen, Message
from tests.analyst.conftest import ANALYST_TOKEN
from tests.fakes.http_server import ThreadedServer
from tests.utils.browser import chromium, needs_chromium


def _route(decision: str, service: str | None, language: str, confidence: float) -> dict:
    return {"decision": decision, "service_id": service, "language": language, "confidence": confidence}


SEED = [  # (day, channel, kind, route)
    ("2026-11-29", "whatsapp", "text", _route("route", "revenue.caste_certificate", "en", 0.9)),
    ("2026-11-29", "whatsapp", "voice", _route("route", "revenue.caste_certificate", "te", 0.6)),
    ("2026-11-30", "web", "text", _route("clarify", None, "te", 0.4)),
    ("2026-11-30", "whatsapp", "voice", _route("out_of_scope", None, "te", 0.2)),
    ("2026-11-30", "whatsapp", "choice", None),
]


@pytest.fixture
def server(settings, sessions, catalog):
    from api.deps import Services

    with sessions.begin() as session:
        people = {ch: Citizen(lookup_hash=ch * 4, number_sealed="x", number_masked="98xxxxxx12", channel=ch)
                  for ch in ("whatsapp", "web")}
        session.add_all(people.values())
        session.flush()
        for n, (day, channel, kind, route) in enumerate(SEED):
            session.add(Message(citizen_id=people[channel].id, direction="in", kind=kind, text=f"m{n}",
                                route=route, created_at=datetime.fromisoformat(day + "T10:00:00")))
            session.add(Message(citizen_id=people[channel].id, direction="out", kind="text", text="reply",
                                created_at=datetime.fromisoformat(day + "T10:00:01")))
    services = Services.start(settings, catalog=catalog, session_factory=sessions)
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as running:
        yield running


def test_dashboard_counts_what_citizens_sent(server):
    assert httpx.get(f"{server.url}/v1/analyst/dashboard").status_code == 401
    figures = httpx.get(f"{server.url}/v1/analyst/dashboard",
                        headers={"Authorization": f"Bearer {ANALYST_TOKEN}"}).json()
    per_day = {(d["day"], d["channel"], d["kind"], d["language"]): d["messages"] for d in figures["per_day"]}
    assert per_day == {("2026-11-29", "whatsapp", "text", "en"): 1, ("2026-11-29", "whatsapp", "voice", "te"): 1,
                       ("2026-11-30", "web", "text", "te"): 1, ("2026-11-30", "whatsapp", "voice", "te"): 1,
                       ("2026-11-30", "whatsapp", "choice", "unknown"): 1}
    assert figures["decisions"] == {"route": 2, "clarify": 1, "out_of_scope": 1}
    assert figures["decision_rates"]["route"] == pytest.approx(0.5)
    assert figures["top_services"] == [["revenue.caste_certificate", 2]]
    assert figures["top_departments"][0][1] == 2
    assert figures["voice_share"] == pytest.approx(2 / 5)
    assert figures["voice_confidence_mean"] == pytest.approx(0.4)


@needs_chromium
def test_the_page_draws_the_charts_in_chromium_offline(server, tmp_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
        page.goto(f"{server.url}/analyst")
        page.fill("#token", ANALYST_TOKEN)
        page.click("#login-button")
        for chart in ("per-day", "decisions", "services", "voice"):
            page.wait_for_selector(f"#chart-{chart} .main-svg")
        bars = page.locator("#chart-per-day .trace.bars").count()
        assert bars == 4  # whatsapp·text, whatsapp·voice, web·text, whatsapp·choice
        legend = page.inner_text("#chart-decisions")
        assert "route" in legend and "clarify" in legend and "out_of_scope" in legend
        assert "revenue.caste_certificate" in page.inner_text("#chart-services")
        page.locator("#dashboard").screenshot(path=os.environ.get("MITRA_DASHBOARD_SHOT", str(tmp_path / "dashboard.png")))
    assert outside == []  # the charting library comes from mitra, not a CDN

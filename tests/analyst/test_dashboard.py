"""The dashboard's figures over HTTP, from messages stored the way the bot stores them."""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta

import httpx
import pytest

from api.app import create_app
from core.db.models import Application, Citizen, Conversation, Message, utcnow
from core.db.review_models import ReviewItem
from core.security import Vault
from tests.analyst.conftest import ANALYST_TOKEN
from tests.fakes.http_server import ThreadedServer
from tests.utils.browser import chromium, needs_chromium

CHARTS = ("per-day", "languages", "decisions", "rates", "services", "departments", "voice", "misroutes",
          "abandoned", "model-accuracy")


def _route(decision: str, service: str | None, language: str, confidence: float) -> dict:
    return {"decision": decision, "service_id": service, "language": language, "confidence": confidence}


SEED = [  # (day, channel, kind, route)
    ("2026-11-29", "whatsapp", "text", _route("route", "revenue.caste_certificate", "en", 0.9)),
    ("2026-11-29", "whatsapp", "voice", _route("route", "revenue.caste_certificate", "te", 0.6)),
    ("2026-11-30", "web", "text", _route("clarify", None, "te", 0.4)),
    ("2026-11-30", "whatsapp", "voice", _route("out_of_scope", None, "te", 0.2)),
    ("2026-11-30", "whatsapp", "choice", None),
    ("2026-11-30", "whatsapp", "text", {**_route("meta", None, "te-latn", 0.9), "intent": "human_agent"}),
]
# (routed to, labelled as) by analysts: two of one misroute, one of another, one the router got right
LABELS = [("municipal.property_tax", "panchayat_raj.house_tax"), ("municipal.property_tax", "panchayat_raj.house_tax"),
          ("grievance.register", "grievance.status"), ("revenue.caste_certificate", "revenue.caste_certificate")]


def _conversation(citizen, vault, updated, step, service, drafts):
    state = {"step": step, "service_id": service, "slots": "", "drafts": vault.seal_json(drafts) if drafts else {}}
    return Conversation(citizen_id=citizen.id, state=state, updated_at=updated)


def _application(citizen, service, n):
    return Application(reference=f"AP-REV-2026-00000{n}", service_id=service, department_code="REV",
                       citizen_id=citizen.id, expected_by=utcnow(), idempotency_key=f"k{n}")


@pytest.fixture(scope="module")
def measured(tmp_path_factory, router, catalog, encoder):
    """A copy of the router's version measured on the frozen split once, as the analyst page's training job
    does; each test's store gets the kept result."""
    from analysts.model_scores import measure_frozen
    from nlu.model_store import ModelStore

    store = ModelStore(tmp_path_factory.mktemp("measured"))
    shutil.copytree(router.store.path_of(router.version), store.versions_dir / router.version)
    return measure_frozen(store, router.version, catalog, encoder), store.path_of(router.version)


@pytest.fixture
def kept_scores(measured, models_root, router):
    from analysts.model_scores import RESULT_FILE

    shutil.copy(measured[1] / RESULT_FILE, models_root / "versions" / router.version / RESULT_FILE)
    return measured[0]


@pytest.fixture
def server(settings, sessions, catalog, kept_scores):
    from api.deps import Services

    vault = Vault(settings.secret_key)
    with sessions.begin() as session:
        people = {ch: Citizen(lookup_hash=ch * 4, number_sealed="x", number_masked="98xxxxxx12", channel=ch)
                  for ch in ("whatsapp", "web", "idle", "busy")}
        session.add_all(people.values())
        session.flush()
        long_ago, just_now = utcnow() - timedelta(days=3), utcnow()
        session.add_all([  # left three days ago: an open form and a paused one; a form in use now does not count
            _conversation(people["idle"], vault, long_ago, "filling", "municipal.property_tax",
                          {"revenue.caste_certificate": {"slots": {}, "order": 1}}),
            _conversation(people["busy"], vault, just_now, "filling", "revenue.income_certificate", {}),
            _application(people["web"], "revenue.caste_certificate", 1)])
        session.add_all(ReviewItem(text=f"t{n}", status="labelled", intent=routed, label=label)
                        for n, (routed, label) in enumerate(LABELS))
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
                       ("2026-11-30", "whatsapp", "choice", "unknown"): 1,
                       ("2026-11-30", "whatsapp", "text", "te-latn"): 1}
    assert figures["decisions"] == {"route": 2, "clarify": 1, "out_of_scope": 1, "handoff": 1}
    assert figures["decision_rates"]["route"] == pytest.approx(0.4)
    assert figures["top_services"] == [["revenue.caste_certificate", 2]]
    assert figures["top_departments"][0][1] == 2
    assert figures["voice_share"] == pytest.approx(2 / 6)
    assert figures["voice_confidence_mean"] == pytest.approx(0.4)
    assert dict(figures["voice_confidence_histogram"]) == {"0.0–0.2": 1, "0.2–0.4": 0, "0.4–0.6": 1,
                                                           "0.6–0.8": 0, "0.8–1.0": 0}
    assert figures["misroutes"] == [
        {"predicted": "municipal.property_tax", "label": "panchayat_raj.house_tax", "count": 2},
        {"predicted": "grievance.register", "label": "grievance.status", "count": 1}]
    assert figures["abandoned"] == [
        {"service_id": "municipal.property_tax", "abandoned": 1, "submitted": 0, "rate": 1.0},
        {"service_id": "revenue.caste_certificate", "abandoned": 1, "submitted": 1, "rate": 0.5}]


def test_each_model_version_is_shown_per_language_on_the_frozen_split(server, kept_scores, router):
    figures = httpx.get(f"{server.url}/v1/analyst/dashboard",
                        headers={"Authorization": f"Bearer {ANALYST_TOKEN}"}).json()
    (shown,) = figures["model_accuracy"]
    assert shown["version"] == router.version and shown["promoted"]
    assert set(shown["per_language"]) == {"en", "te", "te-latn"}
    assert shown["n"] == kept_scores["n"] > 300
    assert all(0.5 < top1 <= 1.0 for top1 in shown["per_language"].values())


@needs_chromium
def test_the_page_draws_the_charts_in_chromium_offline(server, tmp_path):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
        page.goto(f"{server.url}/analyst")
        page.fill("#token", ANALYST_TOKEN)
        page.click("#login-button")
        for chart in CHARTS:
            page.wait_for_selector(f"#chart-{chart} .main-svg")
        bars = page.locator("#chart-per-day .trace.bars").count()
        assert bars == 4  # whatsapp·text, whatsapp·voice, web·text, whatsapp·choice
        assert page.locator("#chart-languages .trace.bars").count() == 4  # en, te, te-latn, unknown
        legend = page.inner_text("#chart-decisions")
        assert "route" in legend and "clarify" in legend and "out_of_scope" in legend and "handoff" in legend
        assert "40.0%" in page.inner_text("#chart-rates")
        assert "revenue.caste_certificate" in page.inner_text("#chart-services")
        assert "revenue" in page.inner_text("#chart-departments")
        assert "0.4–0.6" in page.inner_text("#chart-voice") and "33%" in page.inner_text("#chart-voice")
        assert "municipal.property_tax → panchayat_raj.house_tax" in page.inner_text("#chart-misroutes")
        assert "50% of started" in page.inner_text("#chart-abandoned")
        accuracy = page.inner_text("#chart-model-accuracy")
        assert "(promoted)" in accuracy and "te-latn" in accuracy
        assert page.locator("#chart-model-accuracy .trace.bars").count() == 3
        page.locator("#dashboard").screenshot(path=os.environ.get("MITRA_DASHBOARD_SHOT", str(tmp_path / "dashboard.png")))
    assert outside == []  # the charting library comes from mitra, not a CDN

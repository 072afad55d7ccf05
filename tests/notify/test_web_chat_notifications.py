"""`mitra serve` without WhatsApp (the web chat only): the scheduled jobs still run, and a web-chat citizen hears
about a status change, the certificate (with the document) and an unfinished request through the chat's updates
feed (GET /v1/chat/updates), in their language; after STOP, nothing.

The real app over HTTP, started with no WhatsApp settings; its worker ticks every 0.05 s. Time is moved by setting
an application's submission (or a draft's last change) back by days, never by sleeping."""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from catalog.schema import FieldType
from core.db import Application, Conversation, Notification, utcnow
from core.settings import Settings
from tests.fakes.http_server import ThreadedServer
from tests.utils.browser import chromium, needs_chromium
from tests.utils.chat import answers_for

SERVICE = "revenue.income_certificate"


@pytest.fixture
def app(tmp_path, catalog):
    from api.app import create_app
    from runtime.services import Services

    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="test-secret-key",
                        public_base_url="http://127.0.0.1:8000", inbox_advance_interval_s=0.05,
                        inbox_poll_interval_s=0.05)
    assert not settings.whatsapp_phone_number_id  # chat only, as `make run` starts by default
    services = Services.start(settings, catalog=catalog)
    services._bot = services._mitra_bot(catalog, None, services.connector(), services.matcher())  # menus: no model
    with ThreadedServer(create_app(settings, services=services)) as server:
        server.services = services
        yield server


class WebCitizen:
    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=30)
        self.cursor = self.http.get("/v1/chat/updates").json()["cursor"]

    def say(self, text: str | None = None, choice: str | None = None) -> list[dict]:
        response = self.http.post("/v1/chat/messages", json={"text": text, "choice_id": choice})
        assert response.status_code == 200, response.text
        return response.json()["replies"]

    def updates(self) -> list[dict]:
        data = self.http.get("/v1/chat/updates", params={"after": self.cursor}).json()
        self.cursor = data["cursor"]
        return data["replies"]

    def wait_for_updates(self, enough, tries: int = 400) -> list[dict]:
        """Poll as the page does until `enough(replies so far)`; a bounded wait, no time asserted."""
        seen: list[dict] = []
        for _ in range(tries):
            seen += self.updates()
            if enough(seen):
                return seen
            time.sleep(0.05)
        raise AssertionError(f"the updates feed never showed what was expected; it showed {seen}")


def _apply(citizen: WebCitizen, catalog, language: str) -> str:
    service = catalog.services[SERVICE]
    citizen.say(choice=f"lang:{language}")
    citizen.say("menu")
    citizen.say(str(service.menu_path[0]))
    replies = citizen.say(str(service.menu_path[1]))
    for spec in service.fields:
        replies = citizen.say(answers_for(spec, catalog, utcnow().date(), language)[0])
    assert replies[-1].get("buttons", [{}])[0].get("id") == "submit", replies
    text = " ".join(r["text"] for r in citizen.say(choice="submit"))
    reference = re.search(r"AP-[A-Z]{3}-\d{4}-\d{6}", text).group(0)
    # the fee, paid on the payment page (the office starts once it is paid); its receipt comes first
    link = re.search(r"/pay/\S+", " ".join(r["text"] for r in citizen.say(choice="pay"))).group(0)
    assert citizen.http.post(link, data={"action": "pay"}).status_code == 200
    citizen.wait_for_updates(lambda seen: any(r.get("document") for r in seen))
    return reference


def _days_pass(app, reference: str, days: int = 30) -> None:
    """The application was submitted and its fee paid `days` ago (its expected date too has passed)."""
    with app.services.session_factory.begin() as session:
        application = session.scalar(select(Application).where(Application.reference == reference))
        application.submitted_at -= timedelta(days=days)
        application.expected_by -= timedelta(days=days)
        application.status_history = [{**entry, "at": (datetime.fromisoformat(entry["at"]) - timedelta(days=days))
                                       .isoformat()} for entry in application.status_history]


def test_status_progress_and_the_certificate_reach_a_web_chat_citizen_in_telugu(app, catalog):
    assert app.services.whatsapp is None
    citizen = WebCitizen(app.url)
    reference = _apply(citizen, catalog, "te")
    assert citizen.updates() == []  # nothing moves before its time
    _days_pass(app, reference)
    pushed = citizen.wait_for_updates(lambda seen: any(r.get("document") for r in seen))
    texts = "\n".join(r["text"] for r in pushed)
    assert reference in texts and "ఆమోదించబడింది" in texts  # "approved", in Telugu
    document = next(r["document"] for r in pushed if r.get("document"))
    assert document["filename"] == f"{reference}.pdf"
    pdf = citizen.http.get(document["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
    with app.services.session_factory() as session:
        assert session.scalar(select(Application.status).where(Application.reference == reference)) == "issued"
    assert citizen.updates() == []  # each change told once


def test_after_stop_a_web_chat_citizen_hears_nothing(app, catalog):
    citizen = WebCitizen(app.url)
    reference = _apply(citizen, catalog, "en")
    assert "no more updates" in " ".join(r["text"] for r in citizen.say("STOP"))
    _days_pass(app, reference)
    for _ in range(400):  # until the scheduled job has moved it all the way
        with app.services.session_factory() as session:
            skipped = session.scalars(select(Notification.status).join(Application, Application.reference ==
                                                                       Notification.reference)
                                      .where(Application.reference == reference)).all()
        if len(skipped) >= 3 and not {"pending", "sending"} & set(skipped):  # "sending": claimed, not yet settled
            break
        time.sleep(0.05)
    assert skipped and set(skipped) == {"skipped"}
    assert citizen.updates() == []


def test_an_unfinished_request_is_reminded_in_the_web_chat(app, catalog):
    service = catalog.services[SERVICE]
    citizen = WebCitizen(app.url)
    citizen.say(choice="lang:en")
    citizen.say("menu")
    citizen.say(str(service.menu_path[0]))
    citizen.say(str(service.menu_path[1]))
    first = service.fields[0]
    assert first.type == FieldType.name
    citizen.say("Ravi Kumar")  # then the citizen goes away
    hours = app.services.settings.draft_reminder_hours + 1
    with app.services.session_factory.begin() as session:
        session.execute(update(Conversation).values(updated_at=utcnow() - timedelta(hours=hours)))
    pushed = citizen.wait_for_updates(lambda seen: bool(seen))
    assert len(pushed) == 1 and service.name.en in pushed[0]["text"]


@needs_chromium
def test_the_chat_page_shows_the_status_change_without_the_citizen_asking(app, catalog):
    """The page's own polling draws the pushed status changes and the certificate's link (headless Chromium)."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{app.url}/chat")
        page.wait_for_selector(".choices button")
        citizen = WebCitizen(app.url)
        citizen.http.cookies.set("mitra_chat", next(c["value"] for c in page.context.cookies()
                                                    if c["name"] == "mitra_chat"))
        reference = _apply(citizen, catalog, "en")  # the same chat session, typed through its API
        _days_pass(app, reference)
        page.wait_for_selector(f".doc a:has-text('{reference}.pdf')", timeout=30000)  # after the fee's receipt
        shown = page.locator(".bubble.bot").all_inner_texts()
        assert any(reference in text and "approved" in text for text in shown), shown
        assert page.locator(".doc a").last.inner_text().startswith(f"📄 {reference}")


def test_a_booking_reminder_reaches_the_web_chat_in_telugu(app, catalog):
    from core.db.commerce_models import CitizenBooking

    service = catalog.services.get("gsws.secretariat_appointment")  # free: booked at once, with a slip
    if service is None:
        pytest.skip("this catalog has no secretariat appointment")
    citizen = WebCitizen(app.url)
    citizen.say(choice="lang:te")
    citizen.say("menu")
    citizen.say(str(service.menu_path[0]))
    citizen.say(str(service.menu_path[1]))
    for spec in service.fields:
        citizen.say(answers_for(spec, catalog, utcnow().date(), "te")[0])
    slots = citizen.say(choice="submit")[-1]["rows"]
    assert any(r.get("document") for r in citizen.say(choice=slots[0]["id"]))  # booked: the slip
    citizen.updates()
    with app.services.session_factory() as session:
        booking = session.scalar(select(CitizenBooking))
    app.services.notifier().clock = lambda: booking.starts_at - timedelta(hours=12)  # the evening before
    pushed = citizen.wait_for_updates(lambda seen: bool(seen))
    assert len(pushed) == 1 and booking.reference in pushed[0]["text"] and "మన మిత్ర" in pushed[0]["text"]


def test_the_updates_feed_names_the_chat_without_revealing_its_cookie(app):
    """The page keeps its cursor under `chat`: the same for one chat session, another for another session."""
    one, other = WebCitizen(app.url), WebCitizen(app.url)
    session = one.http.cookies["mitra_chat"]
    tag = one.http.get("/v1/chat/updates").json()["chat"]
    assert tag == one.http.get("/v1/chat/updates", params={"after": 0}).json()["chat"]
    assert tag != other.http.get("/v1/chat/updates").json()["chat"] and session not in tag and len(tag) >= 16


@needs_chromium
def test_after_a_reload_the_chat_page_shows_what_came_while_it_was_closed(app, catalog):
    """The page keeps its last update per chat: a status change and the certificate pushed while the page was
    closed are drawn once it is opened again, and not twice after another reload (headless Chromium)."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{app.url}/chat")
        page.wait_for_selector(".choices button")
        page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('mitra-chat-cursor:'))")
        citizen = WebCitizen(app.url)
        citizen.http.cookies.set("mitra_chat", next(c["value"] for c in page.context.cookies()
                                                    if c["name"] == "mitra_chat"))
        reference = _apply(citizen, catalog, "en")  # the same chat session, typed through its API
        page.goto("about:blank")  # the citizen closes the chat
        _days_pass(app, reference)
        citizen.wait_for_updates(lambda seen: any(r.get("document") for r in seen))  # pushed meanwhile
        page.goto(f"{app.url}/chat")
        page.wait_for_selector(f".doc a:has-text('{reference}.pdf')", timeout=30000)  # after the fee's receipt
        shown = page.locator(".bubble.bot").all_inner_texts()
        assert any(reference in text and "approved" in text for text in shown), shown
        assert page.locator(".doc a").last.inner_text().startswith(f"📄 {reference}")
        page.reload()
        page.wait_for_selector(".choices button")  # the greeting after the reload
        page.evaluate("() => new Promise(done => setTimeout(done, 3500))")  # one more round of polling
        assert page.locator(".doc a").count() == 0

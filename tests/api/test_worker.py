"""The webhook and inbox worker over real HTTP, answered by the real Bot (real router, real SQLite file).

These tests are about delivery mechanics (signature, dedupe, order, retries, media, statuses); the whole
conversations are in test_conversations.py. Failures are the database's: the bot's store refuses a few times.
"""
from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from api.app import create_app
from core.db import Delivery, InboxItem, Message
from tests.fakes.http_server import ThreadedServer
from tests.utils.net import wait_for
from tests.utils.webhooks import (
    VERIFY_TOKEN,
    message_webhook,
    post_webhook,
    signed,
    status_webhook,
    text_webhook,
)

WA = "919876543210"


class UnavailableStore:
    """A session factory whose first `failures` sessions fail to open, as a database that is down does."""

    def __init__(self, sessions, failures: int):
        self.sessions, self.failures, self.lock = sessions, failures, threading.Lock()

    def __call__(self, *args, **kw):
        self._maybe_fail()
        return self.sessions(*args, **kw)

    def begin(self, *args, **kw):
        self._maybe_fail()
        return self.sessions.begin(*args, **kw)

    def _maybe_fail(self) -> None:
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise OperationalError("BEGIN", {}, ConnectionError("dialogue store unavailable"))


@pytest.fixture
def running(services_factory, api_router, catalog, settings, session_factory):
    """Start the app (with its worker and the real Bot) on a loopback port; yields (base_url, services).

    `running(store_failures=N)`: the bot's database refuses its first N sessions.
    """
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot

    def start(store_failures: int = 0):
        given = {"_router": api_router}
        if store_failures:
            store = UnavailableStore(session_factory, 0)
            connector = EmbeddedConnector.for_catalog(session_factory, catalog, settings)
            given["_bot"] = Bot(catalog, api_router, store, connector, settings)
            store.failures = store_failures  # from the first message on
        services = services_factory(**given)
        server = ThreadedServer(create_app(services.settings, services=services)).start()
        started.append(server)
        return server.url, services
    started = []
    yield start
    for server in started:
        server.stop()


def received(session_factory) -> list[str]:
    """The WhatsApp ids of the messages the bot took in, in the order it handled them."""
    with session_factory() as session:
        return list(session.scalars(select(Message.wa_message_id).where(Message.direction == "in")
                                    .order_by(Message.id)))


def choice_ids(sent: dict) -> list[str]:
    action = sent["interactive"]["action"]
    return [b["reply"]["id"] for b in action.get("buttons", [])] or \
        [r["id"] for section in action.get("sections", []) for r in section["rows"]]


def test_subscription_check(running):
    url, _ = running()
    ok = httpx.get(f"{url}/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                              "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}, {}):
        assert httpx.get(f"{url}/webhook", params=params).status_code == 403


def test_text_message_is_answered_through_the_graph_api(running, graph, catalog, session_factory):
    url, _ = running()
    response = post_webhook(url, text_webhook(WA, "wamid.T1", "naaku caste certificate kaavali andi"))
    assert response.status_code == 200 and response.json()["stored"] == 1
    sent = wait_for(lambda: graph.sent_to(WA))
    offer = sent[-1]
    assert offer["type"] == "interactive" and choice_ids(offer) == ["yes", "no", "menu"], sent
    caste = catalog.services["revenue.caste_certificate"].name
    assert caste.te in offer["interactive"]["body"]["text"] or caste.en in offer["interactive"]["body"]["text"]
    assert received(session_factory) == ["wamid.T1"]


def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(running, graph, session_factory):
    url, _ = running()
    body, headers = signed(text_webhook(WA, "wamid.BAD", "hi"), secret="not-the-app-secret")
    assert httpx.post(f"{url}/webhook", content=body, headers=headers).status_code == 401
    assert httpx.post(f"{url}/webhook", content=body, headers={"Content-Type": "application/json"}).status_code == 401
    tampered = body.replace(b'"hi"', b'"HI"')
    _, good_headers = signed(text_webhook(WA, "wamid.BAD", "hi"))
    assert httpx.post(f"{url}/webhook", content=tampered, headers=good_headers).status_code == 401
    with session_factory() as session:
        assert session.scalars(select(InboxItem)).all() == []


def test_signed_garbage_is_a_400_with_a_reason(running):
    url, _ = running()
    from tests.utils.webhooks import APP_SECRET
    from whatsapp.signature import sign
    body = b"{not json"
    response = httpx.post(f"{url}/webhook", content=body, headers={"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert response.status_code == 400 and "not a WhatsApp webhook payload" in response.json()["detail"]


def test_redelivered_and_replayed_messages_are_processed_once(running, graph, session_factory):
    url, _ = running()
    payload = text_webhook(WA, "wamid.DUP", "hello", timestamp=1600000000)  # an old message replayed later
    for _ in range(3):
        assert post_webhook(url, payload).status_code == 200
    wait_for(lambda: graph.sent_to(WA))
    post_webhook(url, text_webhook(WA, "wamid.AFTER", "menu"))
    wait_for(lambda: _finished(session_factory, "wamid.AFTER"))
    assert received(session_factory) == ["wamid.DUP", "wamid.AFTER"]
    assert len(graph.sent_to(WA)) == 2  # one answer each


def test_button_list_and_unsupported_messages(running, graph, catalog):
    url, _ = running()
    service = catalog.services["revenue.caste_certificate"]
    post_webhook(url, message_webhook(WA, {"id": "wamid.I1", "type": "interactive", "interactive": {
        "type": "list_reply", "list_reply": {"id": f"svc:{service.id}", "title": service.name.en}}}))
    first = wait_for(lambda: graph.sent_to(WA))
    post_webhook(url, message_webhook(WA, {"id": "wamid.I2", "type": "sticker", "sticker": {"id": "S1"}}))
    sent = wait_for(lambda: len(graph.sent_to(WA)) > len(first) and graph.sent_to(WA))
    asked = " ".join(_text(m) for m in first)
    assert service.name.en in asked and service.name.te in asked, asked  # the tapped row was understood
    assert "sticker" in _text(sent[-1])


def test_a_citizens_messages_are_handled_in_order(running, graph, session_factory):
    url, _ = running()
    words = ["hello", "menu", "1", "back", "help", "language"]
    for n, text in enumerate(words):
        post_webhook(url, text_webhook(WA, f"wamid.O{n}", text))
    wait_for(lambda: len(received(session_factory)) == len(words), timeout=120)
    assert received(session_factory) == [f"wamid.O{n}" for n in range(len(words))]


def test_a_failing_bot_is_retried_then_answers(running, graph, session_factory):
    url, _ = running(store_failures=2)
    post_webhook(url, text_webhook(WA, "wamid.R1", "hello"))
    wait_for(lambda: graph.sent_to(WA))
    row = wait_for(lambda: _finished(session_factory, "wamid.R1"))
    assert (row.status, row.attempts) == ("done", 3)
    assert received(session_factory) == ["wamid.R1"]


def test_after_max_attempts_the_citizen_gets_an_apology(running, graph, session_factory):
    url, _ = running(store_failures=1000)
    post_webhook(url, text_webhook(WA, "wamid.F1", "always fails"))
    sent = wait_for(lambda: graph.sent_to(WA), timeout=60)
    assert "Sorry" in sent[0]["text"]["body"] and "క్షమించండి" in sent[0]["text"]["body"]
    row = wait_for(lambda: _finished(session_factory, "wamid.F1"))
    assert row.status == "failed" and "dialogue store unavailable" in row.error


def test_graph_outage_is_ridden_out(running, graph):
    url, _ = running()
    graph.fail_next(503, times=3)
    post_webhook(url, text_webhook(WA, "wamid.G1", "Hi"))
    welcome = wait_for(lambda: graph.sent_to(WA))[0]
    assert set(choice_ids(welcome)) == {"menu", "lang:en", "lang:te"}


def test_status_webhooks_are_recorded(running, graph, session_factory):
    url, _ = running()
    post_webhook(url, text_webhook(WA, "wamid.S1", "Hi"))
    wamid = wait_for(lambda: graph.sent_to(WA))[0]["id"]
    wait_for(lambda: _delivery(session_factory, wamid))
    for status in ("delivered", "read"):
        assert post_webhook(url, status_webhook(wamid, status, WA)).json()["statuses"] == 1
    delivery = _delivery(session_factory, wamid)
    assert (delivery.status, delivery.in_reply_to, delivery.kind) == ("read", "wamid.S1", "buttons")


def _text(sent: dict) -> str:
    if sent["type"] == "interactive":
        return sent["interactive"]["body"]["text"]
    return sent.get("text", {}).get("body", "")


def _finished(session_factory, wamid):
    with session_factory() as session:
        row = session.scalar(select(InboxItem).where(InboxItem.wa_message_id == wamid))
    return row if row is not None and row.status in ("done", "failed") else None


def _delivery(session_factory, wamid):
    with session_factory() as session:
        return session.scalar(select(Delivery).where(Delivery.wa_message_id == wamid))


def test_voice_note_too_large_gets_a_polite_reason(running, graph, settings, session_factory):
    url, _ = running()
    media_id = graph.add_media(b"\0" * (settings.max_audio_bytes + 1), "audio/ogg")
    post_webhook(url, message_webhook(WA, {"id": "wamid.V1", "type": "audio", "audio": {
        "id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}}))
    body = wait_for(lambda: graph.sent_to(WA))[0]["text"]["body"]
    assert "too large" in body and received(session_factory) == []


def test_voice_note_that_is_not_audio_gets_a_polite_reason(running, graph, session_factory):
    url, _ = running()
    media_id = graph.add_media(b"this is not audio at all" * 10, "audio/ogg")
    post_webhook(url, message_webhook(WA, {"id": "wamid.V2", "type": "audio", "audio": {
        "id": media_id, "mime_type": "audio/ogg", "voice": True}}))
    body = wait_for(lambda: graph.sent_to(WA))[0]["text"]["body"]
    assert "voice note" in body and received(session_factory) == []

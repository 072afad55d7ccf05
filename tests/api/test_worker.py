"""The webhook and inbox worker over real HTTP, with a recording bot standing in for the dialogue.

These tests are about delivery mechanics (signature, dedupe, order, retries, media, statuses), so the
bot here just echoes; the full conversations with the real bot are in test_conversations.py.
"""
from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from bot.replies import Button, Reply
from core.db import Delivery, InboxItem
from tests.fakes.http_server import ThreadedServer
from tests.utils.net import wait_for
from tests.utils.webhooks import VERIFY_TOKEN, message_webhook, signed, status_webhook, text_webhook

WA = "919876543210"


class RecordingBot:
    """Answers every message with one text naming what it got; can be told to fail."""

    def __init__(self, failures: int = 0):
        self.received = []
        self.failures = failures
        self.lock = threading.Lock()

    def handle(self, message):
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise RuntimeError("dialogue store unavailable")
            self.received.append(message)
        if message.unsupported_type:
            return [Reply(kind="text", text=f"Sorry, I cannot read {message.unsupported_type} messages")]
        if message.choice_id:
            return [Reply(kind="text", text=f"chose {message.choice_id}")]
        return [Reply(kind="buttons", text=f"echo {message.text}", buttons=[Button("yes", "Yes"), Button("no", "No")])]


@pytest.fixture
def running(services_factory):
    """Start the app (with its worker) on a loopback port; yields (base_url, bot, services)."""
    def start(bot=None, **given):
        bot = bot or RecordingBot()
        services = services_factory(_bot=bot, **given)
        server = ThreadedServer(create_app(services.settings, services=services)).start()
        started.append(server)
        return server.url, bot, services
    started = []
    yield start
    for server in started:
        server.stop()


def post(url: str, payload: dict, **kw) -> httpx.Response:
    body, headers = signed(payload, **kw)
    return httpx.post(f"{url}/webhook", content=body, headers=headers)


def test_subscription_check(running):
    url, _, _ = running()
    ok = httpx.get(f"{url}/webhook", params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                              "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}, {}):
        assert httpx.get(f"{url}/webhook", params=params).status_code == 403


def test_text_message_is_answered_through_the_graph_api(running, graph):
    url, bot, _ = running()
    response = post(url, text_webhook(WA, "wamid.T1", "caste certificate kavali"))
    assert response.status_code == 200 and response.json()["stored"] == 1
    sent = wait_for(lambda: graph.sent_to(WA))
    assert sent[0]["interactive"]["body"]["text"] == "echo caste certificate kavali"
    assert bot.received[0].citizen_id == WA and bot.received[0].channel == "whatsapp"


def test_bad_or_missing_signature_is_refused_and_nothing_is_stored(running, graph, session_factory):
    url, _, _ = running()
    body, headers = signed(text_webhook(WA, "wamid.BAD", "hi"), secret="not-the-app-secret")
    assert httpx.post(f"{url}/webhook", content=body, headers=headers).status_code == 401
    assert httpx.post(f"{url}/webhook", content=body, headers={"Content-Type": "application/json"}).status_code == 401
    tampered = body.replace(b'"hi"', b'"HI"')
    _, good_headers = signed(text_webhook(WA, "wamid.BAD", "hi"))
    assert httpx.post(f"{url}/webhook", content=tampered, headers=good_headers).status_code == 401
    with session_factory() as session:
        assert session.scalars(select(InboxItem)).all() == []


def test_signed_garbage_is_a_400_with_a_reason(running):
    url, _, _ = running()
    from tests.utils.webhooks import APP_SECRET
    from whatsapp.signature import sign
    body = b"{not json"
    response = httpx.post(f"{url}/webhook", content=body, headers={"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert response.status_code == 400 and "not a WhatsApp webhook payload" in response.json()["detail"]


def test_redelivered_and_replayed_messages_are_processed_once(running, graph):
    url, bot, _ = running()
    payload = text_webhook(WA, "wamid.DUP", "hello", timestamp=1600000000)  # an old message replayed later
    for _ in range(3):
        assert post(url, payload).status_code == 200
    wait_for(lambda: graph.sent_to(WA))
    post(url, text_webhook(WA, "wamid.AFTER", "after"))
    wait_for(lambda: len(graph.sent_to(WA)) == 2)
    assert [m.message_id for m in bot.received] == ["wamid.DUP", "wamid.AFTER"]


def test_button_list_and_unsupported_messages(running, graph):
    url, _, _ = running()
    post(url, message_webhook(WA, {"id": "wamid.I1", "type": "interactive", "interactive": {
        "type": "list_reply", "list_reply": {"id": "revenue.caste_certificate", "title": "Caste certificate"}}}))
    wait_for(lambda: graph.sent_to(WA))
    post(url, message_webhook(WA, {"id": "wamid.I2", "type": "sticker", "sticker": {"id": "S1"}}))
    sent = wait_for(lambda: len(graph.sent_to(WA)) == 2 and graph.sent_to(WA))
    assert sent[0]["text"]["body"] == "chose revenue.caste_certificate"
    assert "sticker" in sent[1]["text"]["body"]


def test_a_citizens_messages_are_handled_in_order(running, graph):
    url, bot, _ = running()
    for n in range(6):
        post(url, text_webhook(WA, f"wamid.O{n}", f"message {n}"))
    wait_for(lambda: len(bot.received) == 6)
    assert [m.text for m in bot.received] == [f"message {n}" for n in range(6)]


def test_a_failing_bot_is_retried_then_answers(running, graph, session_factory):
    url, _, _ = running(bot=RecordingBot(failures=2))
    post(url, text_webhook(WA, "wamid.R1", "retry me"))
    wait_for(lambda: graph.sent_to(WA))
    row = wait_for(lambda: _finished(session_factory, "wamid.R1"))
    assert (row.status, row.attempts) == ("done", 3)


def test_after_max_attempts_the_citizen_gets_an_apology(running, graph, session_factory):
    url, _, _ = running(bot=RecordingBot(failures=100))
    post(url, text_webhook(WA, "wamid.F1", "always fails"))
    sent = wait_for(lambda: graph.sent_to(WA), timeout=60)
    assert "Sorry" in sent[0]["text"]["body"] and "క్షమించండి" in sent[0]["text"]["body"]
    row = wait_for(lambda: _finished(session_factory, "wamid.F1"))
    assert row.status == "failed" and "dialogue store unavailable" in row.error


def test_graph_outage_is_ridden_out(running, graph):
    url, _, _ = running()
    graph.fail_next(503, times=3)
    post(url, text_webhook(WA, "wamid.G1", "during an outage"))
    assert wait_for(lambda: graph.sent_to(WA))[0]["interactive"]["body"]["text"] == "echo during an outage"


def test_status_webhooks_are_recorded(running, graph, session_factory):
    url, _, _ = running()
    post(url, text_webhook(WA, "wamid.S1", "hi"))
    wamid = wait_for(lambda: graph.sent_to(WA))[0]["id"]
    wait_for(lambda: _delivery(session_factory, wamid))
    for status in ("delivered", "read"):
        assert post(url, status_webhook(wamid, status, WA)).json()["statuses"] == 1
    delivery = _delivery(session_factory, wamid)
    assert (delivery.status, delivery.in_reply_to, delivery.kind) == ("read", "wamid.S1", "buttons")


def _finished(session_factory, wamid):
    with session_factory() as session:
        row = session.scalar(select(InboxItem).where(InboxItem.wa_message_id == wamid))
    return row if row is not None and row.status in ("done", "failed") else None


def _delivery(session_factory, wamid):
    with session_factory() as session:
        return session.scalar(select(Delivery).where(Delivery.wa_message_id == wamid))


def test_voice_note_too_large_gets_a_polite_reason(running, graph, settings):
    url, bot, _ = running()
    media_id = graph.add_media(b"\0" * (settings.max_audio_bytes + 1), "audio/ogg")
    post(url, message_webhook(WA, {"id": "wamid.V1", "type": "audio", "audio": {
        "id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": True}}))
    body = wait_for(lambda: graph.sent_to(WA))[0]["text"]["body"]
    assert "too large" in body and bot.received == []


def test_voice_note_that_is_not_audio_gets_a_polite_reason(running, graph):
    url, bot, _ = running()
    media_id = graph.add_media(b"this is not audio at all" * 10, "audio/ogg")
    post(url, message_webhook(WA, {"id": "wamid.V2", "type": "audio", "audio": {
        "id": media_id, "mime_type": "audio/ogg", "voice": True}}))
    body = wait_for(lambda: graph.sent_to(WA))[0]["text"]["body"]
    assert "voice note" in body and bot.received == []

"""The durable inbox on a real SQLite file: stored once, claimed once, in order per citizen."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from core.db import Delivery, InboxItem, Vault
from runtime.inbox import Inbox
from whatsapp.webhook_payload import InboundMessage, StatusUpdate


@pytest.fixture
def inbox(session_factory):
    return Inbox(session_factory, Vault("test-secret-key"))


def message(wa_id: str, n: int, text: str = "hi") -> InboundMessage:
    return InboundMessage(message_id=f"wamid.{wa_id}.{n}", wa_id=wa_id, timestamp=1700000000 + n, type="text",
                          text=text)


def test_a_message_is_stored_once(inbox, session_factory):
    assert inbox.store(message("911", 1)) is True
    assert inbox.store(message("911", 1)) is False
    with session_factory() as session:
        rows = session.scalars(select(InboxItem)).all()
    assert len(rows) == 1 and rows[0].status == "pending"


def test_stored_rows_keep_no_number_or_text_in_clear(inbox, session_factory):
    inbox.store(message("919876543210", 1, text="my aadhaar is 234567890124"))
    with session_factory() as session:
        row = session.scalars(select(InboxItem)).one()
    assert "919876543210" not in row.payload + row.citizen_hash
    assert "234567890124" not in row.payload


def test_claim_returns_the_message_as_stored(inbox):
    original = message("911", 1, text="కుల ధృవీకరణ పత్రం")
    inbox.store(original)
    claimed = inbox.claim_next(lock_seconds=60)
    assert claimed.message == original and claimed.attempts == 1
    assert inbox.claim_next(lock_seconds=60) is None  # locked


def test_a_citizens_second_message_waits_for_the_first(inbox):
    for m in (message("A", 1), message("A", 2), message("B", 1)):
        inbox.store(m)
    first = inbox.claim_next(60)
    second = inbox.claim_next(60)
    assert (first.message.message_id, second.message.message_id) == ("wamid.A.1", "wamid.B.1")
    assert inbox.claim_next(60) is None  # A.2 waits while A.1 is in progress
    inbox.mark_done(first.row_id)
    assert inbox.claim_next(60).message.message_id == "wamid.A.2"


def test_an_expired_lock_lets_another_worker_retry(inbox):
    inbox.store(message("A", 1))
    crashed = inbox.claim_next(lock_seconds=0)  # the worker died holding it; the lock has run out
    retried = inbox.claim_next(lock_seconds=60)
    assert retried.row_id == crashed.row_id and retried.attempts == 2


def test_retry_later_keeps_order_and_counts(inbox):
    inbox.store(message("A", 1))
    inbox.store(message("A", 2))
    claimed = inbox.claim_next(60)
    inbox.retry_later(claimed.row_id, "graph down", delay_s=3600)
    assert inbox.claim_next(60) is None  # A.2 must not overtake A.1
    assert inbox.counts() == {"pending": 2}


def test_concurrent_workers_never_share_a_row(inbox):
    for citizen in range(8):
        for n in range(5):
            inbox.store(message(f"C{citizen}", n))
    seen: list[str] = []
    lock = threading.Lock()

    def work():
        while True:
            claimed = inbox.claim_next(60)
            if claimed is None:
                with lock:
                    if len(seen) == 40:
                        return
                continue
            with lock:
                seen.append(claimed.message.message_id)
            inbox.mark_done(claimed.row_id)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 40
    for citizen in range(8):  # and each citizen's messages were taken in the order they came
        ids = [s for s in seen if s.startswith(f"wamid.C{citizen}.")]
        assert ids == [f"wamid.C{citizen}.{n}" for n in range(5)]


def test_delivery_status_never_goes_backwards(inbox, session_factory):
    inbox.record_sent("911", "wamid.OUT1", "wamid.IN1", "text")
    for status in ("delivered", "read", "delivered"):
        inbox.record_status(StatusUpdate("wamid.OUT1", status, "911", 1700000000))
    inbox.record_status(StatusUpdate("wamid.EARLY", "delivered", "911", 1700000000))  # before we recorded it
    inbox.record_sent("911", "wamid.EARLY", "wamid.IN2", "buttons")
    with session_factory() as session:
        first = session.scalar(select(Delivery).where(Delivery.wa_message_id == "wamid.OUT1"))
        early = session.scalar(select(Delivery).where(Delivery.wa_message_id == "wamid.EARLY"))
    assert first.status == "read"
    assert [h["status"] for h in first.status_history] == ["sent", "delivered", "read", "delivered"]
    assert (early.status, early.kind, early.in_reply_to) == ("delivered", "buttons", "wamid.IN2")


def test_failed_status_keeps_the_error(inbox, session_factory):
    inbox.record_sent("911", "wamid.OUT2", "wamid.IN1", "text")
    inbox.record_status(StatusUpdate("wamid.OUT2", "failed", "911", 1, errors=[{"code": 131047,
                                                                              "title": "Re-engagement message"}]))
    with session_factory() as session:
        row = session.scalar(select(Delivery).where(Delivery.wa_message_id == "wamid.OUT2"))
    assert row.status == "failed" and "Re-engagement" in row.error

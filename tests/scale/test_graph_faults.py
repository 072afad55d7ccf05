"""The Graph API failing under the worker (429 with Retry-After, 500, 503 past every retry, timeouts) and a
worker dying between sending a reply and marking the message done: on SQLite and PostgreSQL, the citizen
still gets every answer exactly once, in order, with the shared (Redis) outbound rate limit in the path."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import Application, Delivery, InboxItem, init_db, make_session_factory
from core.ratelimit import RedisTokenBucket
from core.settings import InboxSettings, Settings
from runtime.services import Services
from runtime.worker import InboxWorker
from tests.scale.journeys import received_texts
from whatsapp.client import RetryPolicy, WhatsAppClient
from whatsapp.webhook_payload import parse_webhook

pytestmark = pytest.mark.slow

WA = "919700022222"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'core.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def worker(tmp_path, database_url, graph_server, redis_server, catalog, router):
    graph = graph_server.graph
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=database_url, secret_key="test-secret-key",
                        whatsapp_access_token=graph.token, whatsapp_phone_number_id=graph.phone_number_id,
                        graph_base_url=graph_server.url, redis_url=redis_server.url)
    client = WhatsAppClient.from_settings(settings, timeout_s=0.5,
                                          retry=RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05))
    assert isinstance(client.bucket, RedisTokenBucket)
    services = Services.start(settings, catalog=catalog, _router=router, whatsapp=client,
                              session_factory=make_session_factory(init_db(database_url)),
                              worker_settings=InboxSettings(retry_delay_s=0.05, lock_seconds=0.3,
                                                             max_attempts=10))
    yield InboxWorker(services)
    services.close()


def store(worker, script, i: int) -> None:
    for message in parse_webhook(script.steps[i].webhook(WA, f"wamid.GF.{i:03d}")).messages:
        assert worker.services.inbox.store(message)


def work_until_done(worker, count: int) -> None:
    """What a worker's loop does, crashes included (an exception escaping run_once is a crashed worker)."""
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if not worker.run_once():
                time.sleep(0.02)
        except RuntimeError:
            time.sleep(0.02)
        counts = worker.services.inbox.counts()
        if counts.get("done", 0) + counts.get("failed", 0) == count:
            return
    raise AssertionError(f"not all handled: {worker.services.inbox.counts()}")


FAULTS = [
    {"status": 429, "times": 2, "retry_after": "0"},  # throttled twice, then accepted
    {"status": 500, "times": 1},
    {"status": 504, "times": 1, "delay_s": 1.5},  # no answer within the client's 0.5 s: a timeout
    {"status": 503, "times": 3},  # every retry of the first attempt fails: the message is retried later
]


def test_graph_errors_and_timeouts_still_answer_each_message_once(worker, graph_server, reference_script):
    graph = graph_server.graph
    for i in range(len(reference_script.steps)):
        graph.fail_next(**FAULTS[i % len(FAULTS)])
        store(worker, reference_script, i)
        work_until_done(worker, i + 1)
    expected = [t for texts in reference_script.expected for t in texts]
    assert received_texts(graph, WA) == expected
    with worker.services.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Application)) == 1
        assert s.scalar(select(func.count()).where(InboxItem.status != "done")) == 0
        assert s.scalar(select(func.max(InboxItem.attempts))) == 2  # the 503 steps needed a second attempt


def test_crash_after_sending_does_not_send_twice(worker, graph_server, reference_script, monkeypatch):
    """The reply went out, then the worker died before marking the message done: the retry (after the lock
    expires) finds the stored reply already delivered and sends nothing again."""
    inbox = worker.services.inbox
    real_mark_done, crashes = inbox.mark_done, []

    def crash_once(row_id: int) -> None:
        if not crashes:
            crashes.append(row_id)
            raise RuntimeError("worker died after sending")
        real_mark_done(row_id)
    monkeypatch.setattr(inbox, "mark_done", crash_once)

    for i in range(3):
        store(worker, reference_script, i)
        work_until_done(worker, i + 1)
    assert crashes
    assert received_texts(graph_server.graph, WA) == [t for texts in reference_script.expected[:3] for t in texts]
    with worker.services.session_factory() as s:
        assert s.scalar(select(InboxItem.attempts).where(InboxItem.id == crashes[0])) == 2
        assert s.scalar(select(func.count()).select_from(Delivery)) == len(graph_server.graph.sent)

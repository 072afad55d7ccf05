"""Shared rate limits: outbound messages per second per business number and inbound messages per citizen
per minute, held in Redis so every API and worker process counts against the same allowance."""
from __future__ import annotations

import pytest

from core.ratelimit import MemoryInboundLimit, RedisInboundLimit, RedisTokenBucket, redis_client
from core.settings import InboxSettings
from runtime.worker import WORKER_TEXTS, InboxWorker
from tests.utils.net import free_port
from tests.utils.webhooks import text_webhook
from whatsapp.client import RetryPolicy, WhatsAppClient
from whatsapp.webhook_payload import parse_webhook


def no_sleep(_seconds: float) -> None:
    pass


def test_two_processes_share_one_outbound_bucket(redis_server):
    # a slow rate (one token per 10 s) so the refill during the test is negligible
    first = RedisTokenBucket(redis_client(redis_server.url), "mitra:outbound:T", rate=0.1, burst=3, sleep=no_sleep)
    second = RedisTokenBucket(redis_client(redis_server.url), "mitra:outbound:T", rate=0.1, burst=3, sleep=no_sleep)
    other_number = RedisTokenBucket(redis_client(redis_server.url), "mitra:outbound:U", rate=0.1, burst=3,
                                    sleep=no_sleep)
    assert [first.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert second.acquire() > 5  # the burst was used by the other process: wait about one token's time
    assert second.acquire() > first.acquire() - 10.5 > 5  # each further send waits one more token
    assert other_number.acquire() == 0.0


def test_outbound_bucket_keeps_pace_locally_when_redis_is_down():
    bucket = RedisTokenBucket(redis_client(f"redis://127.0.0.1:{free_port()}/0"), "k", rate=0.1, burst=2,
                              sleep=no_sleep)
    assert bucket.acquire() == 0.0 and bucket.acquire() == 0.0
    assert bucket.acquire() > 5


@pytest.fixture(params=["redis", "memory"])
def make_limit(request):
    if request.param == "memory":
        return lambda limit: MemoryInboundLimit(limit)
    server = request.getfixturevalue("redis_server")
    return lambda limit: RedisInboundLimit(redis_client(server.url), limit)


def test_inbound_limit_counts_each_message_once_per_window(make_limit):
    limit = make_limit(3)
    at = 1_760_000_000
    assert limit.check("c1", "m1", at).count == 1
    assert limit.check("c1", "m1", at).count == 1  # a retry or redelivery does not count again
    verdicts = [limit.check("c1", f"m{n}", at + n) for n in range(2, 6)]
    assert [v.allowed for v in verdicts] == [True, True, False, False]
    assert [v.tell_citizen for v in verdicts] == [False, False, True, False]  # one notice, not one per message
    assert limit.check("c2", "m1", at).allowed  # another citizen has their own allowance
    assert limit.check("c1", "m9", at + 64).allowed  # a minute after the first ones: allowed again


def test_inbound_limit_is_shared_between_processes(redis_server):
    first, second = (RedisInboundLimit(redis_client(redis_server.url), 2) for _ in range(2))
    assert first.check("c", "a", 100).allowed and second.check("c", "b", 101).allowed
    assert not first.check("c", "c", 102).allowed


def test_inbound_limit_lets_messages_through_when_redis_is_down():
    limit = RedisInboundLimit(redis_client(f"redis://127.0.0.1:{free_port()}/0"), 1)
    assert all(limit.check("c", f"m{n}", 100).allowed for n in range(3))


def test_citizen_over_the_limit_gets_one_polite_notice(services_factory_scale, graph_server):
    worker = InboxWorker(services_factory_scale(per_citizen_per_minute=2))
    wa = "919700033333"
    for n in range(4):
        for message in parse_webhook(text_webhook(wa, f"wamid.RL{n}", "Hi")).messages:
            worker.services.inbox.store(message)
    assert worker.drain() == 4
    sent = graph_server.graph.sent_to(wa)
    assert len(sent) == 3  # two answers, then the notice; the fourth message gets nothing
    assert sent[-1]["text"]["body"] == WORKER_TEXTS.say("slow_down")
    assert worker.services.inbox.counts() == {"done": 4}


@pytest.fixture
def services_factory_scale(tmp_path, graph_server, redis_server, catalog, router):
    from core.db import init_db, make_session_factory
    from core.settings import Settings
    from runtime.services import Services

    made = []

    def make(**worker_settings):
        graph = graph_server.graph
        settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="test-secret-key",
                            whatsapp_access_token=graph.token, whatsapp_phone_number_id=graph.phone_number_id,
                            graph_base_url=graph_server.url, redis_url=redis_server.url)
        client = WhatsAppClient.from_settings(settings, retry=RetryPolicy(attempts=2, base_delay_s=0.01))
        services = Services.start(settings, catalog=catalog, _router=router, whatsapp=client,
                                  session_factory=make_session_factory(init_db(settings.sqlalchemy_url)),
                                  worker_settings=InboxSettings(**worker_settings))
        made.append(services)
        return services
    yield make
    for services in made:
        services.close()

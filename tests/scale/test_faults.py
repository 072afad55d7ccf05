"""Faults: a worker killed mid-message, the broker restarted, database connections cut, the Graph API
answering 429/500/503 or timing out. After each, every message is answered exactly once (the citizen gets
exactly what the in-process bot answers to the same script), one application, and no manual step."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import Application, InboxItem
from tests.scale.cluster import Cluster
from tests.scale.journeys import received_texts
from tests.scale.services import terminate_connections
from tests.utils.net import wait_for
from tests.utils.webhooks import post_webhook

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

WA = "919700011111"


def message_id(i: int) -> str:
    return f"wamid.FAULT.{i:03d}"


def deliver(api_url: str, script, steps: range) -> list[dict]:
    answers = []
    for i in steps:
        response = post_webhook(api_url, script.steps[i].webhook(WA, message_id(i)))
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


def wait_done(sessions, count: int, timeout: float = 120) -> None:
    def done():
        with sessions() as s:
            return s.scalar(select(func.count()).where(InboxItem.status == "done")) == count
    wait_for(done, timeout=timeout, interval=0.1)


def row(sessions, i: int) -> InboxItem:
    with sessions() as s:
        return s.scalar(select(InboxItem).where(InboxItem.wa_message_id == message_id(i)))


def expected_until(script, steps: int) -> list[str]:
    return [t for texts in script.expected[:steps] for t in texts]


def assert_whole_journey(graph, sessions, script) -> None:
    assert received_texts(graph, WA) == expected_until(script, len(script.steps))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Application)) == 1
        assert s.scalar(select(func.count()).where(InboxItem.status != "done")) == 0


@pytest.fixture
def cluster(tmp_path, graph_server, pg_url, redis_server, router_models_root):
    cluster = Cluster(tmp_path, graph_server, pg_url, redis_server.url, router_models_root,
                      redis_url=redis_server.url)
    yield cluster
    cluster.stop()


def test_worker_killed_while_sending_is_replaced_and_the_reply_goes_once(cluster, graph_server, pg_sessions,
                                                                         reference_script):
    graph = graph_server.graph
    (api,), (first,) = cluster.start(apis=1, workers=1)
    deliver(api.url, reference_script, range(2))
    wait_done(pg_sessions, 2)
    requests_before = len(graph.requests)
    graph.fail_next(503, delay_s=60)  # the next send hangs: the worker is inside the Graph call
    deliver(api.url, reference_script, range(2, 3))
    wait_for(lambda: len(graph.requests) > requests_before, timeout=60)
    first.kill()
    assert row(pg_sessions, 2).status == "processing"
    assert received_texts(graph, WA) == expected_until(reference_script, 2)

    cluster.start_worker("replacement")  # its sweeper finds the expired claim
    wait_done(pg_sessions, 3)
    assert row(pg_sessions, 2).attempts == 2
    deliver(api.url, reference_script, range(3, len(reference_script.steps)))
    wait_done(pg_sessions, len(reference_script.steps))
    assert_whole_journey(graph, pg_sessions, reference_script)


def test_broker_restart_loses_nothing(cluster, graph_server, pg_sessions, redis_server, reference_script):
    (api,), _ = cluster.start(apis=1, workers=1)
    deliver(api.url, reference_script, range(2))
    wait_done(pg_sessions, 2)

    redis_server.stop()  # broker (and shared rate limits) gone, nothing persisted
    answers = deliver(api.url, reference_script, range(2, 4))
    assert [a["stored"] for a in answers] == [1, 1]  # acknowledged and stored while the broker is down
    redis_server.start()  # same port, empty: the queued tasks are lost; the sweeper re-enqueues

    wait_done(pg_sessions, 4)
    deliver(api.url, reference_script, range(4, len(reference_script.steps)))
    wait_done(pg_sessions, len(reference_script.steps))
    assert_whole_journey(graph_server.graph, pg_sessions, reference_script)


def test_database_connections_cut_mid_conversation(cluster, graph_server, pg_url, pg_sessions, reference_script):
    (api,), _ = cluster.start(apis=1, workers=1)
    deliver(api.url, reference_script, range(3))
    wait_done(pg_sessions, 3)
    assert terminate_connections(pg_url) > 0  # the API's, the worker's and the sweeper's connections
    deliver(api.url, reference_script, range(3, len(reference_script.steps)))
    wait_done(pg_sessions, len(reference_script.steps))
    assert_whole_journey(graph_server.graph, pg_sessions, reference_script)

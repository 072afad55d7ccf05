"""Logs are JSON lines with a request or message id and no Aadhaar or mobile number in clear; /metrics is
Prometheus text that moves when messages are processed."""
from __future__ import annotations

import io
import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from runtime.observability import configure_logging
from tests.utils.net import wait_for
from tests.utils.webhooks import post_webhook, text_webhook

AADHAAR = "2345 6789 0124"
MOBILE = "9848012345"
WA = "919848012345"  # a WhatsApp id is a mobile number too
CLEAR = ["234567890124", "2345 6789 0124", "2345-6789-0124", MOBILE, "98480 12345", WA]


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    handler = configure_logging("INFO", stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    for h in handlers:
        if h not in root.handlers:
            root.addHandler(h)


def worker_failed_for(message_id: str, logged: str) -> bool:
    """The worker has logged a failure (with its traceback) for this message."""
    lines = [json.loads(line) for line in logged.splitlines() if line.strip()]
    return any(line["logger"] == "runtime.worker" and line.get("message_id") == message_id and "error" in line
               for line in lines)


def test_logs_are_json_with_ids_and_no_personal_numbers(server, graph, json_logs):
    said = f"my aadhaar is {AADHAAR} and mobile {MOBILE}"
    post_webhook(server.url, text_webhook(WA, "wamid.LOG1", said))
    wait_for(lambda: graph.sent_to(WA))
    graph.fail_next(500, times=40)  # every send fails: the worker logs the failure, with its traceback
    post_webhook(server.url, text_webhook(WA, "wamid.LOG2", f"aadhaar {AADHAAR.replace(' ', '-')} call 98480 12345"))
    wait_for(lambda: worker_failed_for("wamid.LOG2", json_logs.getvalue()), timeout=90)
    with httpx.Client(base_url=server.url) as browser:
        browser.get("/chat")
        browser.post("/v1/chat/messages", json={"text": said}, headers={"X-Request-ID": "req-from-the-proxy"})
    probe = logging.getLogger("mitra.probe")  # what a careless line elsewhere would write
    probe.info("citizen %s sent %s", WA, said, extra={"aadhaar": AADHAAR, "numbers": [MOBILE]})
    try:
        raise ValueError(f"cannot parse {said}")
    except ValueError:
        probe.exception("failed for %s", WA)

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    assert lines and all({"ts", "level", "logger", "message"} <= set(line) for line in lines)
    text = json_logs.getvalue()
    for clear in CLEAR:
        assert clear not in text, clear
    assert "XXXX XXXX 0124" in text and "98XXXXXX45" in text  # masked, not dropped
    http = [line for line in lines if line["logger"] == "mitra.http"]
    assert http and all(line.get("request_id") for line in http)
    assert any(line["request_id"] == "req-from-the-proxy" and line["message"] == "POST /v1/chat/messages 200"
               for line in http)
    worker = [line for line in lines if line["logger"] == "runtime.worker"]
    assert worker and all(line.get("message_id") == "wamid.LOG2" for line in worker)
    assert any("Traceback" in line.get("error", "") for line in worker)
    assert any(line["logger"] == "mitra.probe" and "error" in line for line in lines)


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    response = httpx.get(f"{url}/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: dict, name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


def test_metrics_are_scrapable_and_move_with_messages(services_factory, api_router, api_transcriber, graph,
                                                      caste_voice_note):  # noqa: F811
    from api.app import create_app
    from tests.fakes.http_server import ThreadedServer

    services = services_factory(_router=api_router, _transcriber=api_transcriber)
    with ThreadedServer(create_app(services.settings, services=services)) as server:
        before = scrape(server.url)
        post_webhook(server.url, text_webhook(WA, "wamid.M1", "I need a caste certificate"))
        post_webhook(server.url, text_webhook(WA, "wamid.M1", "I need a caste certificate"))  # redelivered
        wait_for(lambda: graph.sent_to(WA))
        with httpx.Client(base_url=server.url, timeout=120) as browser:
            browser.get("/chat")
            browser.post("/v1/chat/messages", json={"text": "how do I get an income certificate"})
            browser.post("/v1/chat/audio", files={"file": ("note.ogg", caste_voice_note, "audio/ogg")})
        httpx.post(f"{server.url}/v1/route", content=b"[" * 1000, headers={"Content-Type": "application/json"})
        after = scrape(server.url)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("mitra_messages_received_total", channel="whatsapp", type="text") == 1
    assert moved("mitra_messages_received_total", channel="web", type="text") == 1
    assert moved("mitra_messages_received_total", channel="web", type="audio") == 1
    assert moved("mitra_webhook_messages_total", outcome="stored") == 1
    assert moved("mitra_webhook_messages_total", outcome="duplicate") == 1
    assert total(after, "mitra_messages_sent_total") - total(before, "mitra_messages_sent_total") >= 3
    assert total(after, "mitra_routes_total") - total(before, "mitra_routes_total") >= 3
    assert moved("mitra_recognition_seconds_count") == 1 and moved("mitra_recognition_seconds_sum") > 0
    assert value(after, "mitra_inbox_messages", status="done") == 1
    assert value(after, "mitra_inbox_messages", status="pending") == 0
    assert moved("mitra_http_requests_total", method="POST", route="/v1/chat/messages", status="200") == 1
    # refused by the guard before routing, so no route template: counted as "unmatched"
    assert moved("mitra_http_requests_total", method="POST", route="unmatched", status="400") == 1
    assert moved("mitra_http_request_seconds_count", method="POST", route="/webhook") == 2

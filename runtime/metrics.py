"""Prometheus metrics: messages in and out, routing decisions, recognition time, inbox depth, errors, HTTP.

Counters and histograms live in prometheus_client's default registry, so every part of a process adds to
the same numbers. With several processes (uvicorn workers, separate inbox workers) set
PROMETHEUS_MULTIPROC_DIR to an empty folder shared by them before they start: each process then writes its
values there and GET /metrics adds them up (prometheus_client's multiprocess mode). Without it, scrape each
process on its own. Inbox depth is read from the database at scrape time, so any process reports all of it.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

MESSAGES_IN = Counter("mitra_messages_received_total", "Citizen messages accepted for an answer",
                      ["channel", "type"])
MESSAGES_OUT = Counter("mitra_messages_sent_total", "Replies sent to citizens", ["channel", "kind"])
ROUTES = Counter("mitra_routes_total", "Routing decisions made on citizen text", ["decision"])
RECOGNITION_SECONDS = Histogram(
    "mitra_recognition_seconds", "Time to decode and transcribe one voice note",
    buckets=(0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60, 120))
ERRORS = Counter("mitra_errors_total", "Failures, by where they happened", ["where"])
WEBHOOK_MESSAGES = Counter("mitra_webhook_messages_total",
                           "Messages in signed webhooks, by what became of them", ["outcome"])
HTTP_REQUESTS = Counter("mitra_http_requests_total", "HTTP requests answered",
                        ["method", "route", "status"])
HTTP_SECONDS = Histogram("mitra_http_request_seconds", "Time to answer an HTTP request", ["method", "route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

class CountingRouter:
    """The router with every decision counted; everything else is the router's own."""

    def __init__(self, inner):
        self._inner = inner

    def route(self, text: str, *args, **kwargs):
        result = self._inner.route(text, *args, **kwargs)
        ROUTES.labels(result.decision).inc()
        return result

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


@contextmanager
def timed_recognition():
    started = time.perf_counter()
    try:
        yield
    finally:
        RECOGNITION_SECONDS.observe(time.perf_counter() - started)


def count_replies(channel: str, replies) -> None:
    for reply in replies:
        MESSAGES_OUT.labels(channel, reply.kind).inc()


class InboxDepth:
    """Rows in the durable inbox by status, read when scraped (pending is the queue depth)."""

    def __init__(self, services):
        self.services = services

    def collect(self):
        family = GaugeMetricFamily("mitra_inbox_messages", "Inbox rows by status (pending: waiting for a worker)",
                                   labels=["status"])
        counts = {"pending": 0, "processing": 0, "done": 0, "failed": 0}
        if self.services.inbox is not None:
            counts.update(self.services.inbox.counts())
        for status, count in sorted(counts.items()):
            family.add_metric([status], count)
        yield family


def _process_registry():
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir")
    if not folder:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=folder)
    return registry


def exposition(services) -> bytes:
    """Every counter, plus the inbox depth; without the inbox when the database cannot be read."""
    inbox = CollectorRegistry(auto_describe=False)
    inbox.register(InboxDepth(services))
    try:
        depth = generate_latest(inbox)
    except Exception:  # noqa: BLE001 - the database may be down; say so rather than fail the scrape badly
        ERRORS.labels("metrics").inc()
        depth = b""
    return generate_latest(_process_registry()) + depth

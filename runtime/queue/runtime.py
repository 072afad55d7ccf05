"""What a queue worker process keeps: the app's Services and an InboxWorker used one claim at a time,
made after fork (one per process), plus the sweeper thread in the worker's main process."""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.settings import get_settings
from runtime.services import Services
from runtime.worker import InboxWorker

log = logging.getLogger(__name__)

MAX_PER_TASK = 200  # then the task hands the rest of the citizen's messages to a fresh task


@dataclass
class WorkerRuntime:
    services: Services
    worker: InboxWorker
    pid: int

    @classmethod
    def start(cls) -> WorkerRuntime:
        services = Services.start(get_settings())
        return cls(services, InboxWorker(services), os.getpid())

    def drain_citizen(self, citizen_hash: str) -> int:
        handled = 0
        while handled < MAX_PER_TASK and self.worker.run_once(citizen_hash):
            handled += 1
        if handled == MAX_PER_TASK:
            from runtime.queue.celery_app import drain_citizen

            drain_citizen.apply_async(args=[citizen_hash])
        return handled


_runtime: WorkerRuntime | None = None
_lock = threading.Lock()


def current() -> WorkerRuntime:
    global _runtime
    with _lock:
        if _runtime is None or _runtime.pid != os.getpid():  # never use a connection pool made before fork
            _runtime = WorkerRuntime.start()
        return _runtime


def warm() -> None:
    """Load the dialogue and its models before the first task. A first message that loads them itself can
    outlast the inbox lock (MITRA_INBOX_LOCK_SECONDS): another worker then claims it again, and it is
    handled twice (answered once)."""
    current().services.bot()


class Sweeper:
    """Every `interval_s`: re-enqueue citizens whose messages no task is coming for; every
    `advance_interval_s`, the worker's scheduled work (`InboxWorker.periodic`: application statuses, expired
    seat holds, booking and draft reminders)."""

    def __init__(self, services: Services, enqueue: Callable[[str], object], interval_s: float,
                 waiting_s: float, advance_interval_s: float):
        self.services, self.enqueue = services, enqueue
        self.interval_s, self.waiting_s, self.advance_interval_s = interval_s, waiting_s, advance_interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mitra-sweeper", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def sweep_once(self) -> int:
        citizens = self.services.inbox.overlooked_citizens(self.waiting_s)
        for citizen_hash in citizens:
            self.enqueue(citizen_hash)
        if citizens:
            log.info("sweeper: re-enqueued %d citizens' messages", len(citizens))
        return len(citizens)

    def _run(self) -> None:
        advancer = InboxWorker(self.services)
        next_advance = 0.0
        while not self._stop.wait(self.interval_s):
            try:
                self.sweep_once()
            except Exception as exc:  # noqa: BLE001 - database or broker away for a moment: try next round
                log.warning("sweeper: %s", exc)
            if time.monotonic() >= next_advance:
                next_advance = time.monotonic() + self.advance_interval_s
                advancer.periodic()


_sweeper: Sweeper | None = None


def start_sweeper(enqueue: Callable[[str], object]) -> None:
    global _sweeper
    config = get_settings().inbox
    if config.sweep_interval_s <= 0:
        return
    _sweeper = Sweeper(Services.start(get_settings()), enqueue, config.sweep_interval_s,
                       config.sweep_waiting_s, config.advance_interval_s).start()


def stop_sweeper() -> None:
    if _sweeper is not None:
        _sweeper.stop()

"""The API side of the queue: announce stored messages as one task per citizen, never blocking for long."""
from __future__ import annotations

import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

DRAIN_TASK = "mitra.drain_citizen"
# A webhook must answer fast: try the broker twice, then leave the message to the workers' sweeper.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


class CeleryDispatcher:
    def __init__(self, celery_app):
        self.celery = celery_app

    def announce(self, citizen_hashes: Iterable[str]) -> int:
        """Enqueue one drain task per citizen; returns how many were enqueued (the rest are swept later)."""
        sent = 0
        for citizen_hash in dict.fromkeys(citizen_hashes):  # once per citizen, in arrival order
            try:
                self.celery.send_task(DRAIN_TASK, args=[citizen_hash], retry=True, retry_policy=PUBLISH_RETRY)
                sent += 1
            except Exception as exc:  # noqa: BLE001 - the message is stored; a sweeper will find it
                log.warning("broker unavailable (%s): message left for the sweeper", type(exc).__name__)
        return sent

    def close(self) -> None:
        self.celery.close()


def dispatcher_for(settings) -> CeleryDispatcher | None:
    """None for the embedded default (the worker inside `mitra serve` polls the inbox)."""
    if settings.task_queue == "embedded":
        return None
    if settings.task_queue != "celery":
        raise ValueError(f"MITRA_TASK_QUEUE must be 'embedded' or 'celery', not {settings.task_queue!r}")
    from runtime.queue.celery_app import make_celery

    return CeleryDispatcher(make_celery(settings.broker_url, settings.queue_name))

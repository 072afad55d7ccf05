"""Inbound processing on a distributed task queue (Celery) instead of the worker inside `mitra serve`.

The webhook still stores every message in the durable inbox first; then it asks the queue to "drain this
citizen" (`mitra.drain_citizen`). Any `mitra worker` process takes the task and claims that citizen's
messages from the inbox one at a time, oldest first, so a citizen's second message is never handled before
their first, whichever worker gets which task. A sweeper in each worker re-enqueues what a lost task or a
dead worker left behind. Select with MITRA_TASK_QUEUE=celery and MITRA_BROKER_URL (Redis or RabbitMQ).
"""
from __future__ import annotations

from runtime.queue.dispatch import CeleryDispatcher, dispatcher_for

__all__ = ["CeleryDispatcher", "dispatcher_for"]

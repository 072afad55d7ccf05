"""The Celery application and its one task. `celery -A runtime.queue.celery_app worker` or `mitra worker`."""
from __future__ import annotations

import logging

from celery import Celery, signals

from core.settings import get_settings

log = logging.getLogger(__name__)


def make_celery(broker_url: str, queue_name: str = "mitra") -> Celery:
    celery = Celery("mitra", broker=broker_url)
    celery.conf.update(
        task_acks_late=True,  # a task whose worker dies is delivered again (RabbitMQ: at once)
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # long voice notes must not sit behind a busy worker's prefetch
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2.0,
        broker_transport_options={"visibility_timeout": 3600, "socket_timeout": 5,
                                  "socket_connect_timeout": 2},
        worker_hijack_root_logger=False,
        worker_proc_alive_timeout=300,  # a prefork child loads the models (runtime.queue.runtime.warm) first
        task_default_queue=queue_name,
    )
    return celery


app = make_celery(get_settings().broker_url, get_settings().queue_name)


@app.task(name="mitra.drain_citizen")
def drain_citizen(citizen_hash: str) -> int:
    """Handle this citizen's waiting messages in order; returns how many were handled."""
    from runtime.queue.runtime import current

    return current().drain_citizen(citizen_hash)


@signals.worker_process_init.connect
def _warm_child(**_kwargs) -> None:
    """A prefork child loads the models before its first task."""
    from runtime.queue.runtime import warm

    warm()


@signals.worker_ready.connect
def _start_sweeper(sender=None, **_kwargs) -> None:
    from runtime.queue.runtime import start_sweeper, warm

    if "prefork" not in type(getattr(sender, "pool", None)).__module__:
        warm()  # a solo or thread pool works in this process: load before the loop takes a task
    start_sweeper(lambda citizen_hash: drain_citizen.apply_async(args=[citizen_hash]))


@signals.worker_shutdown.connect
def _stop_sweeper(sender=None, **_kwargs) -> None:
    from runtime.queue.runtime import stop_sweeper

    stop_sweeper()

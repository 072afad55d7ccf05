"""mitra worker: process inbound WhatsApp messages outside the API processes.

With MITRA_TASK_QUEUE=celery it runs a Celery worker on MITRA_BROKER_URL (any number of them, on any
machines, against one database). `--embedded` instead runs the inbox worker that `mitra serve` would run,
polling the database, for a deployment without a broker.
"""
from __future__ import annotations

import signal
import socket
import threading
import uuid

import typer


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(concurrency: int = typer.Option(1, help="messages handled at once (one process each)"),
               pool: str = typer.Option("prefork", help="Celery pool: prefork (CPU work), solo or threads"),
               name: str = typer.Option("", help="worker name (default: mitra-<host>-<random>)"),
               embedded: bool = typer.Option(False, help="poll the inbox without a broker"),
               log_level: str = typer.Option("info", help="log level")) -> None:
        """Handle inbound messages: speech recognition, routing, dialogue and replies."""
        from core.settings import get_settings
        from runtime.observability import configure_logging

        configure_logging(log_level.upper())  # JSON lines with personal numbers masked, as in `mitra serve`
        settings = get_settings()
        if embedded:
            _run_embedded(settings)
            return
        if settings.task_queue != "celery":
            raise typer.BadParameter("set MITRA_TASK_QUEUE=celery (and MITRA_BROKER_URL), or use --embedded")
        from runtime.queue.celery_app import app as celery_app

        celery_app.conf.worker_hijack_root_logger = False  # keep the masked JSON handler
        hostname = name or f"mitra-{socket.gethostname()}-{uuid.uuid4().hex[:6]}"
        celery_app.worker_main(["worker", f"--loglevel={log_level.upper()}", f"--concurrency={concurrency}",
                                f"--pool={pool}", f"--hostname={hostname}", f"--queues={settings.queue_name}",
                                "--without-gossip", "--without-mingle"])


def _run_embedded(settings) -> None:
    from runtime.services import Services
    from runtime.worker import InboxWorker

    services = Services.start(settings)
    if services.whatsapp is None:
        raise typer.BadParameter("WhatsApp is not configured (MITRA_WHATSAPP_PHONE_NUMBER_ID / ACCESS_TOKEN)")
    worker = InboxWorker(services)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    stop.wait()
    worker.stop()
    services.close()

"""The FastAPI application: WhatsApp webhook, REST endpoints, the chat and verify pages, and the worker."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.request_guard import BodyLimits, RequestGuard
from api.routers import (
    agent,
    analyst,
    applications,
    catalog,
    chat,
    departments,
    health,
    metrics,
    payments,
    privacy,
    route,
    transcribe,
    verify,
    webhook,
)
from core.settings import Settings, get_settings
from runtime.observability import RequestContext
from runtime.queue import dispatcher_for
from runtime.services import Services
from runtime.worker import InboxWorker

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None,
               run_worker: bool | None = None) -> FastAPI:
    """`settings` default to the environment; `services` lets a test hand in a prepared container.

    The embedded worker runs unless `run_worker` (or MITRA_INBOX_ENABLED=false) says otherwise: it reads the
    inbox when WhatsApp is configured; without WhatsApp (the web chat only) it still runs the scheduled work,
    so statuses move, reminders go and holds expire.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.services = services or Services.start(settings)
        app.state.worker = None
        app.state.task_queue = dispatcher_for(settings)  # None: the embedded worker below does the work
        wanted = app.state.services.worker_settings.enabled if run_worker is None else run_worker
        if app.state.task_queue is not None and run_worker is None:
            wanted = False  # `mitra worker` processes handle the messages
        if wanted:
            read_inbox = app.state.services.whatsapp is not None
            if not read_inbox:
                log.info("WhatsApp is not configured: the web chat works; the worker runs the scheduled jobs only")
            app.state.worker = InboxWorker(app.state.services, read_inbox=read_inbox).start()
        try:
            yield
        finally:
            if app.state.worker is not None:
                app.state.worker.stop()
            if app.state.task_queue is not None:
                app.state.task_queue.close()
            app.state.services.close()

    app = FastAPI(title="mitra", version="0.1.0", lifespan=lifespan,
                  description="Telugu/English citizen-services assistant: WhatsApp webhook, routing, chat.")
    app.dependency_overrides[get_settings] = lambda: settings
    for module in (health, webhook, route, transcribe, catalog, chat, verify, applications, payments, departments,
                   privacy, agent):
        app.include_router(module.router)
    app.include_router(analyst.router)  # analyst page and API; also switches to newly promoted models
    app.include_router(metrics.router)
    app.add_middleware(RequestGuard, limits=body_limits(settings))
    app.add_middleware(RequestContext)  # outermost: ids and counts cover the guard's refusals too
    return app


def body_limits(settings: Settings) -> BodyLimits:
    """The largest body each endpoint takes: uploads and the webhook their own, every other JSON 256 KB."""
    from api.uploads import MULTIPART_OVERHEAD

    audio = settings.max_audio_bytes + MULTIPART_OVERHEAD
    return BodyLimits(by_prefix={"/webhook": webhook.MAX_WEBHOOK_BYTES, "/v1/transcribe": audio,
                                 "/v1/route/audio": audio, "/v1/chat/audio": audio,
                                 "/v1/analyst/import": analyst.MAX_IMPORT_BYTES},
                      json_exempt=("/webhook",))

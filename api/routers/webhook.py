"""WhatsApp Cloud API webhook: subscription check (GET) and signed notifications (POST)."""
from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep, SettingsDep
from api.request_guard import loads_json
from core.security import same_secret
from runtime import metrics
from runtime.services import Services
from whatsapp import signature
from whatsapp.webhook_payload import PayloadError, parse_webhook

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

MAX_WEBHOOK_BYTES = 1024 * 1024


@router.get("/webhook", response_class=PlainTextResponse)
def verify_subscription(settings: SettingsDep, mode: str = Query("", alias="hub.mode"),
                        token: str = Query("", alias="hub.verify_token"),
                        challenge: str = Query("", alias="hub.challenge")) -> str:
    expected = settings.whatsapp_verify_token
    if mode != "subscribe" or not expected or not same_secret(token, expected):
        raise HTTPException(403, "verification token does not match")
    return challenge


@router.post("/webhook")
async def receive(request: Request, settings: SettingsDep,
                  services: ServicesDep) -> dict:
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BYTES:
        raise HTTPException(413, "webhook body too large")
    # The signature is checked on the raw bytes before anything is parsed.
    if not signature.is_valid(body, request.headers.get("x-hub-signature-256"), settings.whatsapp_app_secret):
        raise HTTPException(401, "missing or invalid X-Hub-Signature-256")
    try:
        batch = parse_webhook(loads_json(body))
    except (ValueError, PayloadError) as exc:
        raise HTTPException(400, f"not a WhatsApp webhook payload: {exc}") from None
    stored = await run_in_threadpool(_store, services, batch)
    worker = getattr(request.app.state, "worker", None)
    if stored and worker is not None:
        worker.wake.set()
    queue = getattr(request.app.state, "task_queue", None)
    if stored and queue is not None:  # workers elsewhere: one task per citizen (the inbox keeps their order)
        citizens = [services.vault.lookup_hash(m.wa_id) for m in batch.messages if m.message_id in stored]
        await run_in_threadpool(queue.announce, citizens)
    return {"received": len(batch.messages), "stored": len(stored), "statuses": len(batch.statuses)}


def _store(services: Services, batch) -> list[str]:
    """Store before answering: once this returns, a crash loses nothing."""
    stored = [m.message_id for m in batch.messages if services.inbox.store(m)]
    for status in batch.statuses:
        services.inbox.record_status(status)
        services.notifier().on_status(status.message_id, status.status, status.errors)  # 131047 -> template
    metrics.WEBHOOK_MESSAGES.labels("stored").inc(len(stored))
    metrics.WEBHOOK_MESSAGES.labels("duplicate").inc(len(batch.messages) - len(stored))  # redelivered/replayed
    return stored

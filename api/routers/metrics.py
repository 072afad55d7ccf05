"""GET /metrics: Prometheus exposition of runtime.metrics' counters plus the inbox depth."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from runtime.metrics import ERRORS, _process_registry, exposition

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}})
async def metrics(services: ServicesDep) -> Response:
    try:
        body = await run_in_threadpool(exposition, services)
    except Exception:  # noqa: BLE001 - the database may be down; say so rather than fail the scrape badly
        ERRORS.labels("metrics").inc()
        body = generate_latest(_process_registry())
    return Response(body, media_type=CONTENT_TYPE_LATEST)

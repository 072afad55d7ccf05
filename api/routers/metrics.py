"""GET /metrics: Prometheus exposition of runtime.metrics' counters plus the inbox depth."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from runtime.metrics import exposition

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}})
async def metrics(services: ServicesDep) -> Response:
    body = await run_in_threadpool(exposition, services)
    return Response(body, media_type=CONTENT_TYPE_LATEST)

"""GET /healthz (the process answers) and /readyz (the database and catalog are usable)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep):
    checks: dict[str, str] = {}
    try:
        with services.session_factory() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, don't crash: this is what a load balancer polls
        checks["database"] = f"error: {type(exc).__name__}"
    checks["catalog"] = f"ok ({len(services.catalog.services)} services)" if services.catalog.services else "empty"
    checks["whatsapp"] = "configured" if services.whatsapp is not None else "not configured (web chat only)"
    ready = checks["database"] == "ok" and checks["catalog"].startswith("ok")
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)

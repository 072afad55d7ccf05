"""POST /v1/route: which service (or meta intent) a citizen's text is about."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from api.deps import ServicesDep

router = APIRouter(prefix="/v1", tags=["routing"])

MAX_TEXT_CHARS = 4096  # WhatsApp's own limit for a text message


class RouteRequest(BaseModel):
    text: str


@router.post("/route")
def route_text(request: RouteRequest, services: ServicesDep) -> dict:
    from nlu.normalize import TextError

    if len(request.text) > MAX_TEXT_CHARS:
        raise HTTPException(413, f"text is {len(request.text)} characters; the limit is {MAX_TEXT_CHARS}")
    try:
        result = services.router().route(request.text)
    except TextError as exc:
        raise HTTPException(422, str(exc)) from None
    return asdict(result)

"""Department systems push status changes: POST /v1/departments/applications/{reference}/status.

Callers present `Authorization: Bearer <token>` from MITRA_SERVICE_TOKENS ("token:department,...").
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep, get_services
from applications.status import STATUSES, InvalidStatus, UnknownReference
from core.security import same_secret

router = APIRouter(tags=["departments"])


class StatusCallback(BaseModel):
    status: str = Field(description="one of: " + ", ".join(STATUSES))
    note: str = Field("", max_length=500)


class StatusCallbackResult(BaseModel):
    reference: str
    status: str
    changed: bool  # false: the application already had this status; nothing changed, nobody was told again
    notified: bool


def parse_service_tokens(spec: str) -> dict[str, str]:
    """"token:department,..." -> {token: department}; blank entries are ignored."""
    tokens = {}
    for entry in (part.strip() for part in (spec or "").split(",")):
        token, _, department = entry.partition(":")
        if token.strip():
            tokens[token.strip()] = department.strip() or "department"
    return tokens


def calling_department(request: Request) -> str:
    tokens = parse_service_tokens(get_services(request).settings.service_tokens)
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise HTTPException(401, "status callbacks need 'Authorization: Bearer <service token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    found = None
    for token, department in tokens.items():  # constant time against every token
        if same_secret(presented.strip(), token):
            found = department
    if found is None:
        raise HTTPException(403, "this service token is not allowed to report statuses")
    return found


Reference = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]


@router.post("/v1/departments/applications/{reference}/status", response_model=StatusCallbackResult)
async def report_status(reference: Reference, body: StatusCallback, services: ServicesDep,
                        department: Annotated[str, Depends(calling_department)]) -> StatusCallbackResult:
    book = services.status_book()
    note = f"{department}: {body.note}" if body.note else department
    try:
        change = await run_in_threadpool(book.change_status, reference, body.status, note)
    except InvalidStatus as exc:
        raise HTTPException(422, str(exc)) from None
    except UnknownReference:
        raise HTTPException(404, f"no application with reference {reference}") from None
    return StatusCallbackResult(reference=reference, status=body.status, changed=change.changed,
                                notified=change.notification_id is not None)

"""/v1/applications: check an answer, summarize, submit and look up applications for other dialogue engines.

Rasa's action server (bot/rasa/actions.py) calls these; mitra's own bot calls the connector directly.
Every endpoint needs a service token (MITRA_SERVICE_TOKENS, comma separated); with none set they answer 503.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.deps import ServicesDep
from core.india_time import india_today
from core.security import same_secret

router = APIRouter(prefix="/v1/applications", tags=["applications"])


class ServiceTokenSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MITRA_", env_file=".env", extra="ignore")

    service_tokens: str = ""  # tokens other services (Rasa's action server) present as "Bearer <token>"


def require_service_token(authorization: Annotated[str, Header()] = "") -> None:
    tokens = [t.strip() for t in ServiceTokenSettings().service_tokens.split(",") if t.strip()]
    if not tokens:
        raise HTTPException(503, "no service tokens are configured (MITRA_SERVICE_TOKENS)")
    given = authorization.removeprefix("Bearer ").strip()
    if not any(same_secret(given, token) for token in tokens):
        raise HTTPException(401, "a valid service token is required", headers={"WWW-Authenticate": "Bearer"})


Authorized = Depends(require_service_token)


class AnswerCheck(BaseModel):
    service_id: str
    field: str
    value: str = Field(max_length=1000)
    language: str = "en"


class Summary(BaseModel):
    service_id: str
    fields: dict[str, str]
    language: str = "en"


class Submission(Summary):
    citizen_id: str = Field(min_length=1, max_length=128)  # the channel's sender id (WhatsApp number)
    idempotency_key: str = Field(min_length=1, max_length=128)  # the same key gives back the same reference


def _service(services, service_id: str):
    service = services.catalog.services.get(service_id)
    if service is None:
        raise HTTPException(404, f"unknown service {service_id!r}")
    return service


def _spec(service, name: str):
    spec = next((f for f in service.fields if f.name == name), None)
    if spec is None:
        raise HTTPException(422, f"service {service.id} has no field {name!r}; "
                                 f"its fields are {[f.name for f in service.fields]}")
    return spec


def _check(services, spec, value: str, language: str) -> tuple[str | None, str | None]:
    """(normalized value, None) or (None, the citizen-readable reason in their language)."""
    from bot.fields import check_answer
    from bot.texts import Texts

    answer = check_answer(spec, value, services.catalog.gazetteer, india_today())
    if answer.ok:
        return answer.value, None
    return None, Texts(language).say(answer.error, **answer.error_values)


def _checked_fields(services, service, fields: dict[str, str], language: str) -> dict[str, str]:
    values, problems = {}, {}
    for spec in service.fields:
        if spec.name not in fields:
            if spec.required:
                problems[spec.name] = "missing"
            continue
        values[spec.name], problem = _check(services, spec, fields[spec.name], language)
        if problem:
            problems[spec.name] = problem
    unknown = set(fields) - {f.name for f in service.fields}
    problems.update({name: "not a field of this service" for name in sorted(unknown)})
    if problems:
        raise HTTPException(422, {"fields": problems})
    return values


@router.post("/check", dependencies=[Authorized])
def check_field(request: AnswerCheck, services: ServicesDep) -> dict:
    spec = _spec(_service(services, request.service_id), request.field)
    value, problem = _check(services, spec, request.value, request.language)
    return {"ok": problem is None, "value": value, "message": problem or ""}


def _desk(services):
    from bot.application_desk import ApplicationDesk

    return ApplicationDesk(services.catalog, services.connector(), services.vault)


@router.post("/summary", dependencies=[Authorized])
def summarize(request: Summary, services: ServicesDep) -> dict:
    service = _service(services, request.service_id)
    values = _checked_fields(services, service, request.fields, request.language)
    return {"message": _desk(services).summary(service, values, request.language)}


@router.post("", dependencies=[Authorized], status_code=201)
def submit(request: Submission, services: ServicesDep) -> dict:
    from bot.application_desk import SubmitFailed, citizen_id_for
    from bot.payment_flow import fee_link
    from core.db import utcnow

    service = _service(services, request.service_id)
    values = _checked_fields(services, service, request.fields, request.language)
    try:
        citizen = citizen_id_for(services.session_factory, services.vault, request.citizen_id, "rasa")
    except RuntimeError as exc:
        raise HTTPException(409, str(exc)) from None
    try:
        done = _desk(services).submit(service, values, citizen, request.language, request.idempotency_key,
                                      utcnow())
    except SubmitFailed as exc:
        raise HTTPException(503, f"the department system did not accept the application: {exc}") from None
    pay = fee_link(services.ledger(), service, done.reference, citizen, values, request.language)
    return {"reference": done.reference, "status": done.status, "expected_by": done.expected_by.isoformat(),
            "message": "\n".join(filter(None, [done.message, pay]))}


@router.post("/department-status", dependencies=[Authorized])
def department_status(request: Summary, services: ServicesDep) -> dict:
    """A status service's answer from the department, by the department's own number among the answers (a CMRF
    number, an FIR, a PNR): what mitra's own dialogue answers, for Rasa's actions."""
    from bot.application_desk import StatusUnavailable

    service = _service(services, request.service_id)
    values = _checked_fields(services, service, request.fields, request.language)
    try:
        report = _desk(services).department_status(service, values, request.language)
    except StatusUnavailable:
        raise _department_down(request.language) from None
    if report is None:
        raise HTTPException(422, f"the answers hold no number that {service.id} can be looked up by")
    return {"found": report.status is not None, "message": report.message}


def _department_down(language: str) -> HTTPException:
    from bot.texts import Texts

    return HTTPException(503, {"message": Texts(language).say("status_system_down")})


@router.get("/{reference}", dependencies=[Authorized])
def application_status(reference: str, services: ServicesDep, language: str = "en") -> dict:
    from bot.application_desk import StatusUnavailable

    try:
        report = _desk(services).status(reference.strip().upper(), language)
    except StatusUnavailable:
        raise _department_down(language) from None
    if report is None:
        raise HTTPException(404, f"no application with reference {reference!r}")
    status = report.status
    return {"reference": status.reference, "service_id": status.service_id, "status": status.status,
            "submitted_at": status.submitted_at.isoformat(), "expected_by": status.expected_by.isoformat(),
            "history": status.history, "message": report.message}

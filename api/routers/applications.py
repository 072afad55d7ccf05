"""/v1/applications: check an answer, summarize, submit and look up applications for other dialogue engines.

Rasa's action server (bot/rasa/actions.py) calls these; mitra's own bot calls the connector directly.
Every endpoint needs a service token (MITRA_SERVICE_TOKENS, comma separated); with none set they answer 503.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.deps import ServicesDep
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

    answer = check_answer(spec, value, services.catalog.gazetteer, date.today())
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


@router.post("/summary", dependencies=[Authorized])
def summarize(request: Summary, services: ServicesDep) -> dict:
    from bot.fields import display_value
    from bot.texts import Texts

    service = _service(services, request.service_id)
    values = _checked_fields(services, service, request.fields, request.language)
    t = Texts(request.language)
    lines = "\n".join(f"• {spec.name.replace('_', ' ').capitalize() if request.language != 'te' else spec.prompt.te}: "
                      f"{display_value(spec, values.get(spec.name, ''), services.catalog.gazetteer, request.language)}"
                      for spec in service.fields)
    documents = t.say("documents_needed", documents=", ".join(t.name(d) for d in service.documents)) \
        if service.documents else ""
    return {"message": t.say("summary", service=t.name(service.name), lines=lines, fee=f"{service.fee:g}",
                             days=service.sla_days, documents=documents)}


@router.post("", dependencies=[Authorized], status_code=201)
def submit(request: Submission, services: ServicesDep) -> dict:
    from applications.connectors import ApplicationRequest, ConnectorError
    from bot.fields import stored_value
    from bot.texts import Texts
    from core.db import utcnow

    service = _service(services, request.service_id)
    values = _checked_fields(services, service, request.fields, request.language)
    gazetteer = services.catalog.gazetteer
    application = ApplicationRequest(
        service_id=service.id, department_code=services.catalog.department_of(service).code,
        citizen_db_id=_citizen_id(services, request.citizen_id), fields=values,
        masked_fields={s.name: stored_value(s, values.get(s.name, ""), gazetteer) for s in service.fields},
        sealed_fields=services.vault.seal_json(values), fee=service.fee, sla_days=service.sla_days,
        language=request.language, idempotency_key=request.idempotency_key,
        submitted_at=utcnow().replace(microsecond=0))
    try:
        reference = services.connector().submit(application)
    except ConnectorError as exc:
        raise HTTPException(503, f"the department system did not accept the application: {exc}") from None
    status = services.connector().status(reference)
    expected = status.expected_by if status else application.submitted_at
    message = Texts(request.language).say("submitted", reference=reference, fee=f"{service.fee:g}",
                                          days=service.sla_days, expected=f"{expected:%d-%m-%Y}")
    return {"reference": reference, "status": status.status if status else "submitted",
            "expected_by": expected.isoformat(), "message": message}


@router.get("/{reference}", dependencies=[Authorized])
def application_status(reference: str, services: ServicesDep, language: str = "en") -> dict:
    from bot.texts import Texts

    status = services.connector().status(reference.strip().upper())
    if status is None:
        raise HTTPException(404, f"no application with reference {reference!r}")
    t = Texts(language)
    service = services.catalog.services.get(status.service_id)
    message = t.say("status_line", reference=status.reference,
                    service=t.name(service.name) if service else status.service_id,
                    status=t.title(f"status_{status.status}"), submitted=f"{status.submitted_at:%d-%m-%Y}",
                    expected=f"{status.expected_by:%d-%m-%Y}")
    return {"reference": status.reference, "service_id": status.service_id, "status": status.status,
            "submitted_at": status.submitted_at.isoformat(), "expected_by": status.expected_by.isoformat(),
            "history": status.history, "message": message}


def _citizen_id(services, sender_id: str) -> int:
    """The citizen row for a channel sender id, created on first use (numbers stored sealed, as the bot does)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from core.db.models import Citizen

    vault, key = services.vault, services.vault.lookup_hash(sender_id)
    for _ in range(2):
        try:
            with services.session_factory.begin() as session:
                citizen = session.scalar(select(Citizen).where(Citizen.lookup_hash == key))
                if citizen is None:
                    masked = sender_id if len(sender_id) <= 4 else "*" * (len(sender_id) - 4) + sender_id[-4:]
                    citizen = Citizen(lookup_hash=key, number_sealed=vault.seal(sender_id), number_masked=masked,
                                      channel="rasa")
                    session.add(citizen)
                    session.flush()
                return citizen.id
        except IntegrityError:
            continue  # created by a concurrent request: read it again
    raise HTTPException(409, "could not record the citizen; try again")

"""Where a collected form becomes an application: the summary the citizen confirms, the submission, the status.

One implementation for every dialogue engine: mitra's own dialogue (bot/dialogue.py) and the REST API that
Rasa's actions call (api/routers/applications.py) both come here, so the texts and rules cannot drift apart.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from applications.connectors import ApplicationRequest, ApplicationStatus, ConnectorError
from bot.fields import display_value, stored_value
from bot.texts import Texts
from catalog.schema import Service, ServiceField
from core.db.models import Citizen

log = logging.getLogger(__name__)


class SubmitFailed(RuntimeError):
    """The department system did not take the application; the draft stays with the citizen."""


@dataclass(frozen=True)
class Submitted:
    reference: str
    status: str
    expected_by: datetime
    message: str  # what the citizen is told, in their language


@dataclass(frozen=True)
class StatusReport:
    status: ApplicationStatus
    message: str


def field_label(spec: ServiceField, language: str) -> str:
    """How a field is named in a summary: the Telugu prompt without its question mark, or the English name."""
    if language == "te":
        return spec.prompt.te.rstrip("?.। ")
    return spec.name.replace("_", " ").capitalize()


class ApplicationDesk:
    def __init__(self, catalog, connector, vault):
        self.catalog = catalog
        self.connector = connector
        self.vault = vault

    def summary(self, service: Service, values: dict[str, str], language: str) -> str:
        t, gazetteer = Texts(language), self.catalog.gazetteer
        lines = "\n".join(f"• {field_label(spec, language)}: "
                          f"{display_value(spec, values.get(spec.name, ''), gazetteer, language)}"
                          for spec in service.fields)
        documents = t.say("documents_needed", documents=", ".join(t.name(d) for d in service.documents)) \
            if service.documents else ""
        return t.say("summary", service=t.name(service.name), lines=lines, fee=f"{service.fee:g}",
                     days=service.sla_days, documents=documents)

    def submit(self, service: Service, values: dict[str, str], citizen_db_id: int, language: str,
               idempotency_key: str, submitted_at: datetime) -> Submitted:
        """Hand the application to the department; the same idempotency key gives back the same reference."""
        gazetteer = self.catalog.gazetteer
        request = ApplicationRequest(
            service_id=service.id, department_code=self.catalog.department_of(service).code,
            citizen_db_id=citizen_db_id, fields=dict(values),
            masked_fields={spec.name: stored_value(spec, values.get(spec.name, ""), gazetteer)
                           for spec in service.fields},
            sealed_fields=self.vault.seal_json(values), fee=service.fee, sla_days=service.sla_days,
            language=language, idempotency_key=idempotency_key,
            submitted_at=submitted_at.replace(tzinfo=None, microsecond=0))
        try:
            reference = self.connector.submit(request)
        except ConnectorError as exc:
            log.warning("submit of %s failed: %s", service.id, exc)
            raise SubmitFailed(str(exc)) from exc
        status = self.connector.status(reference)
        expected = status.expected_by if status else request.submitted_at
        message = Texts(language).say("submitted", reference=reference, fee=f"{service.fee:g}",
                                      days=service.sla_days, expected=f"{expected:%d-%m-%Y}")
        return Submitted(reference, status.status if status else "submitted", expected, message)

    def status(self, reference: str, language: str) -> StatusReport | None:
        status = self.connector.status(reference)
        if status is None:
            return None
        t = Texts(language)
        service = self.catalog.services.get(status.service_id)
        message = t.say("status_line", reference=status.reference,
                        service=t.name(service.name) if service else status.service_id,
                        status=t.title(f"status_{status.status}"), submitted=f"{status.submitted_at:%d-%m-%Y}",
                        expected=f"{status.expected_by:%d-%m-%Y}")
        return StatusReport(status, message)


def citizen_for(session, vault, sender_id: str, channel: str) -> Citizen:
    """The citizen row for a channel sender id, created on first use (the number stored sealed and masked)."""
    key = vault.lookup_hash(sender_id)
    citizen = session.scalar(select(Citizen).where(Citizen.lookup_hash == key))
    if citizen is None:
        citizen = Citizen(lookup_hash=key, number_sealed=vault.seal(sender_id), number_masked=mask_number(sender_id),
                          channel=channel)
        session.add(citizen)
        session.flush()
    return citizen


def citizen_id_for(session_factory, vault, sender_id: str, channel: str) -> int:
    """`citizen_for` in its own transaction, retried once when a concurrent request created the row first."""
    for _ in range(2):
        try:
            with session_factory.begin() as session:
                return citizen_for(session, vault, sender_id, channel).id
        except IntegrityError:
            continue
    raise RuntimeError("could not record the citizen; try again")


def mask_number(number: str) -> str:
    number = number.strip()
    return number if len(number) <= 4 else "*" * (len(number) - 4) + number[-4:]

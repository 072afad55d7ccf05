"""Applications at the department: what is handed over, the reference it gets, and its status.

The simulated store keeps them in mitra's own database (`ApplicationBook`); a real department answers the same
two operations over HTTP (POST /applications, GET /applications/{reference} in departments/openapi.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.db.models import Application, ReferenceCounter, utcnow
from core.india_time import india_today
from departments.types import DepartmentUnavailable, UnknownIdentifier


@dataclass(frozen=True)
class ApplicationRequest:
    """What the bot hands a department: the service, the citizen and the checked answers."""

    service_id: str
    department_code: str
    citizen_db_id: int
    fields: dict[str, str]  # exact values
    masked_fields: dict[str, str]  # safe to store and show
    sealed_fields: str  # exact values, encrypted
    fee: float
    sla_days: int
    language: str
    idempotency_key: str  # the message that confirmed it: a replay gives back the same reference
    submitted_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class ApplicationStatus:
    reference: str
    service_id: str
    status: str
    submitted_at: datetime
    expected_by: datetime
    history: list[dict]
    citizen_db_id: int | None = None  # known when mitra's own database holds the application


class ApplicationBook:
    """The simulated department's register of applications (reference numbers per department and year)."""

    def __init__(self, session_factory: sessionmaker[Session]):
        self.sessions = session_factory

    def submit(self, request: ApplicationRequest) -> str:
        for _ in range(5):
            try:
                return self._submit_once(request)
            except IntegrityError:
                continue  # a concurrent submit took the number or the same key; look again
        raise DepartmentUnavailable("could not allocate a reference number")

    def _submit_once(self, request: ApplicationRequest) -> str:
        with self.sessions.begin() as session:
            existing = session.scalar(select(Application.reference)
                                      .where(Application.idempotency_key == request.idempotency_key))
            if existing:
                return existing
            reference = _next_reference(session, request.department_code, india_today(request.submitted_at).year)
            session.add(Application(
                reference=reference, service_id=request.service_id, department_code=request.department_code,
                citizen_id=request.citizen_db_id, fields=request.masked_fields,
                fields_sealed=request.sealed_fields, language=request.language, fee=request.fee,
                status="submitted", submitted_at=request.submitted_at,
                expected_by=request.submitted_at + timedelta(days=request.sla_days),
                status_history=[{"status": "submitted", "at": request.submitted_at.isoformat()}],
                idempotency_key=request.idempotency_key,
            ))
            return reference

    def fee_paid(self, reference: str, receipt: str, paid_at: datetime) -> ApplicationStatus:
        """The application's fee is paid: the office's time starts now, so the expected date moves with it.
        Told twice (a retried call), the first payment stands."""
        with self.sessions.begin() as session:
            app = session.scalar(select(Application).where(Application.reference == reference).with_for_update())
            if app is None:
                raise UnknownIdentifier(reference)
            if fee_paid_at(app.status_history) is None:
                app.expected_by += max(paid_at - app.submitted_at, timedelta(0))
                app.status_history = [*app.status_history, {"status": app.status, "at": paid_at.isoformat(),
                                                            "note": "fee paid", "fee_receipt": receipt}]
        return self.status(reference)

    def status(self, reference: str) -> ApplicationStatus | None:
        with self.sessions() as session:
            app = session.scalar(select(Application).where(Application.reference == reference))
            if app is None:
                return None
            return ApplicationStatus(app.reference, app.service_id, app.status, app.submitted_at,
                                     app.expected_by, list(app.status_history), app.citizen_id)


def fee_paid_at(history: list[dict]) -> datetime | None:
    """When the fee was paid, from an application's history (None: not paid, or none was due)."""
    paid = next((entry for entry in history if entry.get("fee_receipt")), None)
    return datetime.fromisoformat(paid["at"]) if paid else None


def _next_reference(session: Session, department_code: str, year: int) -> str:
    counter = session.scalar(select(ReferenceCounter).where(
        ReferenceCounter.department_code == department_code, ReferenceCounter.year == year))
    if counter is None:
        session.add(ReferenceCounter(department_code=department_code, year=year, last_number=1))
        session.flush()
        number = 1
    else:
        session.execute(update(ReferenceCounter).where(ReferenceCounter.id == counter.id)
                        .values(last_number=ReferenceCounter.last_number + 1))
        number = session.scalar(select(ReferenceCounter.last_number).where(ReferenceCounter.id == counter.id))
    return f"AP-{department_code}-{year}-{number:06d}"

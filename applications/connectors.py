"""Where applications go. Real department systems plug in behind `DepartmentConnector`;
`EmbeddedConnector` keeps them in mitra's own database and moves them along on a schedule."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.db.models import Application, ReferenceCounter, utcnow

# The order an application moves through; each step takes a share of the service's sla_days.
STATUS_FLOW = ("submitted", "under_review", "approved", "issued")
STEP_SHARE = {"under_review": 0.2, "approved": 0.8, "issued": 1.0}


@dataclass
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


@dataclass
class ApplicationStatus:
    reference: str
    service_id: str
    status: str
    submitted_at: datetime
    expected_by: datetime
    history: list[dict]
    citizen_db_id: int | None = None  # known when mitra's own database holds the application


class ConnectorError(RuntimeError):
    """The department system refused or could not be reached; nothing was submitted."""


class DepartmentConnector(Protocol):
    def submit(self, application: ApplicationRequest) -> str: ...

    def status(self, reference: str) -> ApplicationStatus | None: ...


class EmbeddedConnector:
    """Records applications in the database; `advance(now)` plays the department's part."""

    def __init__(self, session_factory: sessionmaker[Session], certificates=None,
                 certificate_services: set[str] | frozenset[str] = frozenset()):
        self.sessions = session_factory
        self.certificates = certificates  # a applications.certificates.CertificateRegistry
        self.certificate_services = set(certificate_services)

    @classmethod
    def for_catalog(cls, session_factory: sessionmaker[Session], catalog, settings) -> "EmbeddedConnector":
        """The default: services whose outcome is a certificate get one when they reach "issued"."""
        from applications.certificates import CertificateRegistry

        wanted = {s.id for s in catalog.services.values() if s.outcome.value == "certificate"}
        return cls(session_factory, CertificateRegistry(session_factory, settings, catalog), wanted)

    def submit(self, application: ApplicationRequest) -> str:
        for _ in range(5):
            try:
                return self._submit_once(application)
            except IntegrityError:
                continue  # a concurrent submit took the number or the same key; look again
        raise ConnectorError("could not allocate a reference number")

    def _submit_once(self, request: ApplicationRequest) -> str:
        with self.sessions.begin() as session:
            existing = session.scalar(select(Application.reference)
                                      .where(Application.idempotency_key == request.idempotency_key))
            if existing:
                return existing
            reference = _next_reference(session, request.department_code, request.submitted_at.year)
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

    def status(self, reference: str) -> ApplicationStatus | None:
        with self.sessions() as session:
            app = session.scalar(select(Application).where(Application.reference == reference))
            if app is None:
                return None
            return ApplicationStatus(app.reference, app.service_id, app.status, app.submitted_at,
                                     app.expected_by, list(app.status_history), app.citizen_id)

    def advance(self, now: datetime) -> list[tuple[str, str]]:
        """Move every application whose time has come to its next status(es); returns (reference, status)."""
        moved = []
        with self.sessions.begin() as session:
            for app in session.scalars(select(Application).where(Application.status.in_(STATUS_FLOW[:-1]))
                                       .order_by(Application.id)):
                for status in self._due_statuses(app, now):
                    app.status = status
                    app.status_history = [*app.status_history, {"status": status, "at": now.isoformat()}]
                    moved.append((app.reference, status))
                    if status == "issued" and self.certificates and \
                            app.service_id in self.certificate_services:
                        session.flush()
                        self.certificates.issue(session, app, now)
        return moved

    def _due_statuses(self, app: Application, now: datetime) -> list[str]:
        total = app.expected_by - app.submitted_at
        due = []
        for status in STATUS_FLOW[STATUS_FLOW.index(app.status) + 1:]:
            if now >= app.submitted_at + total * STEP_SHARE[status]:
                due.append(status)
        return due


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

"""Where applications go: through `departments.DepartmentSystem` (submit_application / application_status),
the same path as bills and bookings. `EmbeddedConnector` also plays the simulated department's part, moving
applications kept in mitra's own database along on a schedule."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.db.models import Application
from departments import (
    DepartmentError,
    DepartmentStatus,
    DepartmentSystem,
    DepartmentUnavailable,
    StatusQuery,
)
from departments.applications import ApplicationRequest, ApplicationStatus, fee_paid_at

__all__ = ["ApplicationRequest", "ApplicationStatus", "ConnectorError", "DepartmentConnector", "EmbeddedConnector"]

# The order an application moves through; each step takes a share of the service's sla_days.
STATUS_FLOW = ("submitted", "under_review", "approved", "issued")
STEP_SHARE = {"under_review": 0.2, "approved": 0.8, "issued": 1.0}


class ConnectorError(RuntimeError):
    """The department system refused or could not be reached; nothing was submitted."""


class DepartmentConnector(Protocol):
    def submit(self, application: ApplicationRequest) -> str: ...

    def status(self, reference: str) -> ApplicationStatus | None: ...

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus | None: ...


class EmbeddedConnector:
    """Records applications in the database; `advance(now)` plays the department's part."""

    def __init__(self, session_factory: sessionmaker[Session], certificates=None,
                 certificate_services: set[str] | frozenset[str] = frozenset(),
                 departments: DepartmentSystem | None = None, unscheduled: frozenset[str] = frozenset()):
        from applications.status import StatusBook
        from departments.simulated import SimulatedDepartments

        self.sessions = session_factory
        self.departments = departments or SimulatedDepartments(session_factory)
        self.certificates = certificates  # a applications.certificates.CertificateRegistry
        self.certificate_services = set(certificate_services)
        self.unscheduled = unscheduled  # bills, payments, bookings: their receipt or ticket is the outcome
        self.book = StatusBook(session_factory, certificates, self.certificate_services)

    @classmethod
    def for_catalog(cls, session_factory: sessionmaker[Session], catalog, settings,
                    departments: DepartmentSystem | None = None) -> EmbeddedConnector:
        """The default: services whose outcome is a certificate get one when they reach "issued"."""
        from applications.certificates import CertificateRegistry
        from departments import departments_from_settings

        wanted = {s.id for s in catalog.services.values() if s.outcome.value == "certificate"}
        settled = frozenset(s.id for s in catalog.services.values()
                            if s.outcome.value in ("payment_receipt", "booking"))
        departments = departments or departments_from_settings(settings, session_factory)
        return cls(session_factory, CertificateRegistry(session_factory, settings, catalog), wanted, departments,
                   settled)

    def submit(self, application: ApplicationRequest) -> str:
        try:
            return self.departments.submit_application(application)
        except DepartmentError as exc:
            raise ConnectorError(str(exc)) from exc

    def status(self, reference: str) -> ApplicationStatus | None:
        try:
            return self.departments.application_status(reference)
        except DepartmentError as exc:
            raise ConnectorError(str(exc)) from exc

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus | None:
        """A record by the department's own identifier; None when it has none (or refuses the number),
        ConnectorError when it cannot answer now."""
        try:
            return self.departments.lookup_status(query)
        except DepartmentUnavailable as exc:
            raise ConnectorError(str(exc)) from exc
        except (DepartmentError, ValueError):
            return None

    def advance(self, now: datetime) -> list[tuple[str, str]]:
        """Move every application whose time has come to its next status(es); returns (reference, status).

        Each move goes through applications.status (the same path as a department's callback)."""
        with self.sessions() as session:
            due = [(app.reference, status)
                   for app in session.scalars(select(Application).where(
                       Application.status.in_(STATUS_FLOW[:-1]), Application.service_id.not_in(self.unscheduled))
                                              .order_by(Application.id))
                   for status in self._due_statuses(app, now)]
        for reference, status in due:
            self.book.change_status(reference, status, "scheduled", at=now)
        return due

    def _due_statuses(self, app: Application, now: datetime) -> list[str]:
        if app.status not in STATUS_FLOW:  # a department moved it off the embedded schedule
            return []
        started = fee_paid_at(app.status_history) if app.fee else app.submitted_at
        if started is None:  # the office starts on an application once its fee is paid
            return []
        total = app.expected_by - started
        return [status for status in STATUS_FLOW[STATUS_FLOW.index(app.status) + 1:]
                if now >= started + total * STEP_SHARE[status]]


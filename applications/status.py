"""`change_status(reference, status, note)`: the one path by which an application's status moves.

Department callbacks (POST /v1/departments/applications/{reference}/status) and the embedded connector's
scheduled progress both come here. The change, the certificate (when one is due) and the citizen's
notification are recorded in one transaction; the same status reported twice changes nothing and notifies once.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.db import Application, utcnow

# submitted -> in_verification/under_review -> approved | rejected -> issued; departments may report any of them
STATUSES = ("submitted", "in_verification", "under_review", "approved", "rejected", "issued")


class UnknownReference(LookupError):
    pass


class InvalidStatus(ValueError):
    pass


@dataclass(frozen=True)
class StatusChange:
    reference: str
    status: str
    changed: bool  # False: the application already had this status (a repeated callback)
    notification_id: int | None = None


class StatusBook:
    def __init__(self, session_factory: sessionmaker[Session], certificates=None,
                 certificate_services: frozenset[str] | set[str] = frozenset(), notifier=None,
                 clock: Callable[[], datetime] = utcnow):
        self.sessions = session_factory
        self.certificates = certificates  # applications.certificates.CertificateRegistry
        self.certificate_services = set(certificate_services)
        self.notifier = notifier  # runtime.notifications.Notifier; None: nobody is told
        self.clock = clock

    def change_status(self, reference: str, status: str, note: str = "", at: datetime | None = None) -> StatusChange:
        if status not in STATUSES:
            raise InvalidStatus(f"status must be one of {', '.join(STATUSES)}")
        at = at or self.clock()
        with self.sessions.begin() as session:
            app = session.scalar(select(Application).where(Application.reference == reference))
            if app is None:
                raise UnknownReference(reference)
            if app.status == status:
                return StatusChange(reference, status, changed=False)
            app.status = status
            entry = {"status": status, "at": at.isoformat()}
            if note:
                entry["note"] = note[:500]
            app.status_history = [*app.status_history, entry]
            session.flush()
            notification = self._record_notification(session, app, status, at)
        if notification is not None and self.notifier is not None:
            self.notifier.deliver(notification)
        return StatusChange(reference, status, changed=True, notification_id=notification)

    def _record_notification(self, session: Session, app: Application, status: str, at: datetime) -> int | None:
        issued_certificate = status == "issued" and self.certificates is not None and \
            app.service_id in self.certificate_services
        if issued_certificate and app.certificate is None:
            self.certificates.issue(session, app, at)
        if self.notifier is None:
            return None
        if issued_certificate:
            row = self.notifier.enqueue(session, app.citizen_id, "certificate_issued", app.reference, {},
                                        dedupe_key=f"certificate_issued:{app.reference}")
        else:  # the status is put in the citizen's words when it is sent (runtime.notifications)
            row = self.notifier.enqueue(session, app.citizen_id, "application_status", app.reference,
                                        {"status": status}, dedupe_key=f"status:{app.reference}:{status}")
        return row.id if row else None

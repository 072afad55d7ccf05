"""Department systems behind one interface: bills, availability, holds and bookings, applications, statuses.

`SimulatedDepartments` (departments/simulated.py) is the embedded default with deterministic seeded data;
`HttpDepartments` (departments/http.py) speaks the REST contract in departments/openapi.yaml.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from departments import types as dept
from departments.applications import ApplicationRequest, ApplicationStatus
from departments.statuses import DepartmentStatus, StatusQuery  # noqa: F401 - part of the interface
from departments.types import *  # noqa: F403 - the department types are this package's interface


class DepartmentSystem(Protocol):
    def lookup_bill(self, kind: str, identifier: str) -> dept.Bill: ...

    def settle_bill(self, bill: dept.Bill, receipt: str) -> dept.Settlement: ...

    def search_buses(self, from_town: str, to_town: str, day: date) -> list[dept.Offer]: ...

    def search_slots(self, temple: str, day: date, kind: str, category: str) -> list[dept.Offer]: ...

    def search_rooms(self, temple: str, day: date, nights: int, room_type: str) -> list[dept.Offer]: ...

    def hold(self, resource_key: str, count: int, holder: str, minutes: int) -> dept.HoldResult: ...

    def confirm(self, reference: str) -> dept.Booking: ...

    def cancel(self, reference: str, now: datetime) -> dept.Booking: ...

    def booking(self, reference: str) -> dept.Booking | None: ...

    def release_expired(self, now: datetime) -> int: ...

    def submit_application(self, request: ApplicationRequest) -> str: ...

    def application_status(self, reference: str) -> ApplicationStatus | None: ...

    def fee_paid(self, reference: str, receipt: str, paid_at: datetime) -> ApplicationStatus: ...  # idempotent

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus: ...  # by the department's own identifier


def departments_from_settings(settings, session_factory) -> DepartmentSystem:
    """MITRA_DEPARTMENTS_URL: a system speaking departments/openapi.yaml; else the simulated store (seeded)."""
    if settings.departments_url:
        from departments.http import HttpDepartments

        return HttpDepartments(settings.departments_url, timeout_s=settings.departments_timeout_s)
    from departments.simulated import SimulatedDepartments

    return SimulatedDepartments(session_factory, seed=settings.departments_seed)

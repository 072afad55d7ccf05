"""Department systems behind one interface: bills, availability, holds and bookings, applications, statuses.

`SimulatedDepartments` (departments/simulated.py) is the embedded default with deterministic seeded data;
`HttpDepartments` (departments/http.py) speaks the REST contract in departments/openapi.yaml.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from departments.applications import ApplicationRequest, ApplicationStatus
from departments.statuses import DepartmentStatus, StatusQuery
from departments.types import (
    AlreadySettled,
    Bill,
    Booking,
    DepartmentError,
    DepartmentUnavailable,
    HoldExpired,
    HoldResult,
    Offer,
    Settlement,
    SoldOut,
    UnknownIdentifier,
)

__all__ = ["AlreadySettled", "ApplicationRequest", "ApplicationStatus", "Bill", "Booking", "DepartmentError", "DepartmentStatus",
           "DepartmentSystem", "DepartmentUnavailable", "HoldExpired", "HoldResult", "Offer", "Settlement", "SoldOut",
           "StatusQuery", "UnknownIdentifier"]


class DepartmentSystem(Protocol):
    def lookup_bill(self, kind: str, identifier: str) -> Bill: ...

    def settle_bill(self, bill: Bill, receipt: str) -> Settlement: ...

    def search_buses(self, from_town: str, to_town: str, day: date) -> list[Offer]: ...

    def search_slots(self, temple: str, day: date, kind: str, category: str) -> list[Offer]: ...

    def search_rooms(self, temple: str, day: date, nights: int, room_type: str) -> list[Offer]: ...

    def hold(self, resource_key: str, count: int, holder: str, minutes: int) -> HoldResult: ...

    def confirm(self, reference: str) -> Booking: ...

    def cancel(self, reference: str, now: datetime) -> Booking: ...

    def booking(self, reference: str) -> Booking | None: ...

    def release_expired(self, now: datetime) -> int: ...

    def submit_application(self, request: ApplicationRequest) -> str: ...

    def application_status(self, reference: str) -> ApplicationStatus | None: ...

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus: ...  # by the department's own identifier


def departments_from_settings(settings, session_factory) -> DepartmentSystem:
    """MITRA_DEPARTMENTS_URL: a system speaking departments/openapi.yaml; else the simulated store (seeded)."""
    if settings.departments_url:
        from departments.http import HttpDepartments

        return HttpDepartments(settings.departments_url, timeout_s=settings.departments_timeout_s)
    from departments.simulated import SimulatedDepartments

    return SimulatedDepartments(session_factory, seed=settings.departments_seed)

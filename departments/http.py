"""A department system over HTTP, speaking departments/openapi.yaml.

Each call has a timeout and is retried with exponential backoff (tenacity) when the system cannot be reached
or answers 5xx; a circuit breaker (pybreaker) stops calling a system that keeps failing and lets one call
through after `reset_s`. Whatever the cause, the caller sees DepartmentUnavailable and keeps the citizen's draft.
"""
from __future__ import annotations

from datetime import date, datetime

import httpx
import pybreaker
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from departments import types as dept
from departments import wire
from departments.applications import ApplicationRequest, ApplicationStatus
from departments.statuses import DepartmentStatus, StatusQuery


class _Retryable(Exception):
    """Worth trying again: the connection failed or the system answered 5xx."""


REFUSALS = {404: dept.UnknownIdentifier, 409: dept.SoldOut, 410: dept.HoldExpired, 422: dept.DepartmentError}


class HttpDepartments:
    def __init__(self, base_url: str, timeout_s: float = 5.0, attempts: int = 3, fail_max: int = 5,
                 reset_s: float = 30.0, backoff_s: float = 0.2):
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_s)
        self.breaker = pybreaker.CircuitBreaker(fail_max=fail_max, reset_timeout=reset_s,
                                                exclude=[dept.DepartmentError])
        self._send = retry(retry=retry_if_exception_type(_Retryable), stop=stop_after_attempt(attempts),
                           wait=wait_exponential(multiplier=backoff_s, max=backoff_s * 8), reraise=True)(self._once)

    # ---------------------------------------------------------------- transport
    def _call(self, method: str, path: str, **kwargs):
        try:
            return self.breaker.call(self._send, method, path, **kwargs)
        except pybreaker.CircuitBreakerError as exc:
            raise dept.DepartmentUnavailable(f"{self.client.base_url} is failing; not called for a while") from exc
        except _Retryable as exc:
            raise dept.DepartmentUnavailable(str(exc)) from exc

    def _once(self, method: str, path: str, **kwargs):
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise _Retryable(f"{method} {path}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise _Retryable(f"{method} {path}: {response.status_code}")
        if response.status_code >= 400:
            detail = _detail(response)
            if path.endswith("/settlements") and response.status_code == 409:
                raise dept.AlreadySettled(detail)
            raise REFUSALS.get(response.status_code, dept.DepartmentError)(detail)
        return response.json()

    # ---------------------------------------------------------------- the DepartmentSystem operations
    def lookup_bill(self, kind: str, identifier: str) -> dept.Bill:
        return wire.bill(self._call("GET", f"/bills/{kind}/{identifier}"))

    def settle_bill(self, bill: dept.Bill, receipt: str) -> dept.Settlement:
        return wire.settlement(self._call("POST", f"/bills/{bill.kind}/{bill.identifier}/settlements", json={
            "period": bill.period, "amount_paise": bill.amount_paise, "receipt": receipt}))

    def search_buses(self, from_town: str, to_town: str, day: date) -> list[dept.Offer]:
        found = self._call("GET", "/buses", params={"from": from_town, "to": to_town, "date": day.isoformat()})
        return [wire.offer(o) for o in found]

    def search_slots(self, temple: str, day: date, kind: str, category: str) -> list[dept.Offer]:
        found = self._call("GET", f"/temples/{temple}/slots",
                           params={"date": day.isoformat(), "kind": kind, "category": category})
        return [wire.offer(o) for o in found]

    def search_rooms(self, temple: str, day: date, nights: int, room_type: str) -> list[dept.Offer]:
        found = self._call("GET", f"/temples/{temple}/rooms",
                           params={"date": day.isoformat(), "nights": nights, "room_type": room_type})
        return [wire.offer(o) for o in found]

    def hold(self, resource_keys: list[str], count: int, holder: str, minutes: int) -> dept.HoldResult:
        return wire.hold(self._call("POST", "/holds", json={"resource_keys": resource_keys, "count": count,
                                                            "holder": holder, "minutes": minutes}))

    def confirm(self, reference: str) -> dept.Booking:
        return wire.booking(self._call("POST", f"/bookings/{reference}/confirm"))

    def cancel(self, reference: str, now: datetime) -> dept.Booking:
        return wire.booking(self._call("POST", f"/bookings/{reference}/cancel", json={"at": now.isoformat()}))

    def booking(self, reference: str) -> dept.Booking | None:
        return self._found(wire.booking, f"/bookings/{reference}")

    def release_expired(self, now: datetime) -> int:
        return int(self._call("POST", "/holds/release-expired", json={"at": now.isoformat()})["released"])

    def submit_application(self, request: ApplicationRequest) -> str:
        return str(self._call("POST", "/applications", json=wire.to_json(request))["reference"])

    def application_status(self, reference: str) -> ApplicationStatus | None:
        return self._found(wire.application_status, f"/applications/{reference}")

    def fee_paid(self, reference: str, receipt: str, paid_at: datetime) -> ApplicationStatus:
        return wire.application_status(self._call("POST", f"/applications/{reference}/fee",
                                                  json={"receipt": receipt, "paid_at": paid_at.isoformat()}))

    def _found(self, parse, path: str):
        """GET `path` parsed, or None where the department does not know it."""
        try:
            return parse(self._call("GET", path))
        except dept.UnknownIdentifier:
            return None

    def lookup_status(self, query: StatusQuery) -> DepartmentStatus:
        """404 is UnknownIdentifier, 422 a DepartmentError saying what a good identifier looks like."""
        return wire.department_status(self._call("POST", "/status-lookups", json=wire.to_json(query)))

    def free_seats(self, resource_key: str) -> int:
        return int(self._call("GET", f"/inventory/{resource_key}")["free"])

    def close(self) -> None:
        self.client.close()


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))[:300]
    except ValueError:
        return response.text[:300]

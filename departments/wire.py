"""The JSON shapes of departments/openapi.yaml, both ways (one place for the HTTP adapter and the test server)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from departments.applications import ApplicationRequest, ApplicationStatus
from departments.statuses import DepartmentStatus, StatusQuery
from departments.types import Bill, Booking, HoldResult, Offer, Settlement


def to_json(record) -> dict:
    data = asdict(record)
    for key, value in data.items():
        if isinstance(value, (date, datetime)):
            data[key] = value.isoformat()
        elif isinstance(value, tuple):
            data[key] = list(value)
    data.pop("offer", None)
    return data


def bill(data: dict) -> Bill:
    return Bill(data["kind"], data["identifier"], data["consumer_masked"], data["period"], int(data["amount_paise"]),
                date.fromisoformat(data["due_date"]), bool(data["paid"]), data.get("office", ""))


def offer(data: dict) -> Offer:
    return Offer(data["resource_key"], data["kind"], date.fromisoformat(data["day"]), data["title"], data["starts"],
                 data["category"], int(data["price_paise"]), int(data["capacity"]), int(data["free"]),
                 data.get("ends", ""))


def hold(data: dict) -> HoldResult:
    return HoldResult(data["reference"], data["resource_key"], int(data["count"]), tuple(data["seats"]),
                      int(data["amount_paise"]), datetime.fromisoformat(data["expires_at"]))


def booking(data: dict) -> Booking:
    return Booking(data["reference"], data["resource_key"], data["status"], int(data["count"]), tuple(data["seats"]),
                   int(data["amount_paise"]), int(data["refund_paise"]), datetime.fromisoformat(data["expires_at"]))


def settlement(data: dict) -> Settlement:
    return Settlement(data["bill_key"], data["receipt"], int(data["amount_paise"]))


def application_request(data: dict) -> ApplicationRequest:
    return ApplicationRequest(
        data["service_id"], data["department_code"], int(data["citizen_db_id"]), dict(data["fields"]),
        dict(data["masked_fields"]), data["sealed_fields"], float(data["fee"]), int(data["sla_days"]),
        data["language"], data["idempotency_key"], datetime.fromisoformat(data["submitted_at"]))


def application_status(data: dict) -> ApplicationStatus:
    return ApplicationStatus(data["reference"], data["service_id"], data["status"],
                             datetime.fromisoformat(data["submitted_at"]), datetime.fromisoformat(data["expected_by"]),
                             list(data["history"]), data.get("citizen_db_id"))


def status_query(data: dict) -> StatusQuery:
    return StatusQuery(str(data["service_id"]), str(data["department_code"]), str(data["identifier"]),
                       str(data["identifier_format"]), str(data.get("kind") or "application"),
                       {str(k): str(v) for k, v in (data.get("details") or {}).items()})


def department_status(data: dict) -> DepartmentStatus:
    amount, next_date = data.get("amount_paise"), data.get("next_date")
    return DepartmentStatus(data["service_id"], data["identifier"], data["kind"], data["stage"],
                            date.fromisoformat(data["stage_date"]), data.get("office") or "",
                            data.get("district") or "", data.get("holder_masked") or "",
                            None if amount is None else int(amount),
                            date.fromisoformat(next_date) if next_date else None)

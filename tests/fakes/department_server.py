"""A local department system implementing departments/openapi.yaml over the simulated store.

`DepartmentServer.down = True` answers 503 to everything (an outage); `slow_s` delays each answer.
"""
from __future__ import annotations

import time
from datetime import date, datetime

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from departments import AlreadySettled, Bill, HoldExpired, SoldOut, UnknownIdentifier
from departments.identifiers import IdentifierProblem
from departments.wire import application_request, status_query, to_json
from tests.fakes.http_server import ThreadedServer


class Settle(BaseModel):
    period: str
    amount_paise: int
    receipt: str


class HoldIn(BaseModel):
    resource_keys: list[str]
    count: int
    holder: str
    minutes: int


class FeePaid(BaseModel):
    receipt: str
    paid_at: datetime


class At(BaseModel):
    at: datetime


def create_department_app(store, server) -> FastAPI:
    app = FastAPI(title="department system (test)")

    @app.middleware("http")
    async def outage(request: Request, call_next):
        server.calls += 1
        if server.down:
            return JSONResponse({"detail": "service unavailable"}, status_code=503)
        if server.slow_s:
            time.sleep(server.slow_s)
        return await call_next(request)

    @app.get("/bills/{kind}/{identifier}")
    def bill(kind: str, identifier: str):
        if identifier in server.unknown_bills:
            raise HTTPException(404, detail=f"no {kind} dues for {identifier}")
        try:
            return to_json(store.lookup_bill(kind, identifier))
        except IdentifierProblem as exc:
            raise HTTPException(422, detail=exc.reason_en) from None
        except UnknownIdentifier as exc:
            raise HTTPException(404, detail=str(exc)) from None

    @app.post("/bills/{kind}/{identifier}/settlements", status_code=201)
    def settle(kind: str, identifier: str, body: Settle):
        current = store.lookup_bill(kind, identifier)
        if current.period != body.period or current.amount_paise != body.amount_paise:
            raise HTTPException(422, detail="period or amount does not match the bill")
        try:
            return to_json(store.settle_bill(Bill(kind, current.identifier, current.consumer_masked, body.period,
                                                  body.amount_paise, current.due_date, False), body.receipt))
        except AlreadySettled as exc:
            raise HTTPException(409, detail=str(exc)) from None

    @app.get("/buses")
    def buses(request: Request):
        q = request.query_params
        return [to_json(o) for o in store.search_buses(q["from"], q["to"], date.fromisoformat(q["date"]))]

    @app.get("/temples/{temple}/slots")
    def slots(temple: str, request: Request):
        q = request.query_params
        return [to_json(o) for o in store.search_slots(temple, date.fromisoformat(q["date"]), q["kind"],
                                                        q["category"])]

    @app.get("/temples/{temple}/rooms")
    def rooms(temple: str, request: Request):
        q = request.query_params
        return [to_json(o) for o in store.search_rooms(temple, date.fromisoformat(q["date"]), int(q["nights"]),
                                                        q["room_type"])]

    @app.post("/holds", status_code=201)
    def hold(body: HoldIn):
        try:
            return to_json(store.hold(body.resource_keys, body.count, body.holder, body.minutes))
        except SoldOut as exc:
            raise HTTPException(409, detail=str(exc)) from None

    @app.post("/holds/release-expired")
    def release(body: At):
        return {"released": store.release_expired(body.at.replace(tzinfo=None))}

    @app.get("/bookings/{reference}")
    def booking(reference: str):
        found = store.booking(reference)
        if found is None:
            raise HTTPException(404, detail=f"no booking {reference}")
        return to_json(found)

    @app.post("/bookings/{reference}/confirm")
    def confirm(reference: str):
        try:
            return to_json(store.confirm(reference))
        except UnknownIdentifier as exc:
            raise HTTPException(404, detail=str(exc)) from None
        except HoldExpired as exc:
            raise HTTPException(410, detail=str(exc)) from None

    @app.post("/bookings/{reference}/cancel")
    def cancel(reference: str, body: At):
        try:
            return to_json(store.cancel(reference, body.at.replace(tzinfo=None)))
        except UnknownIdentifier as exc:
            raise HTTPException(404, detail=str(exc)) from None

    @app.post("/applications", status_code=201)
    def submit_application(body: dict):
        try:
            request = application_request(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPException(422, detail=f"not an application: {exc}") from None
        _register_applicant(store, request.citizen_db_id)
        return {"reference": store.submit_application(request)}

    @app.get("/applications/{reference}")
    def application_status(reference: str):
        found = store.application_status(reference)
        if found is None:
            raise HTTPException(404, detail=f"no application {reference}")
        return to_json(found)

    @app.post("/applications/{reference}/fee")
    def fee_paid(reference: str, body: FeePaid):
        try:
            return to_json(store.fee_paid(reference, body.receipt, body.paid_at))
        except UnknownIdentifier as exc:
            raise HTTPException(404, detail=f"no application {exc}") from None

    @app.post("/status-lookups")
    def status_lookup(body: dict):
        try:
            query = status_query(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPException(422, detail=f"not a status lookup: {exc}") from None
        try:
            return to_json(store.lookup_status(query))
        except IdentifierProblem as exc:
            raise HTTPException(422, detail=exc.reason_en) from None
        except UnknownIdentifier as exc:
            raise HTTPException(404, detail=str(exc)) from None

    @app.get("/inventory/{resource_key}")
    def inventory(resource_key: str):
        return {"resource_key": resource_key, "free": store.free_seats(resource_key)}

    return app


def _register_applicant(store, citizen_db_id: int) -> None:
    """The department's own applicant register (its database is not mitra's, so the row may be missing)."""
    from core.db.models import Citizen

    with store.sessions.begin() as session:
        if session.get(Citizen, citizen_db_id) is None:
            session.add(Citizen(id=citizen_db_id, lookup_hash=f"applicant:{citizen_db_id}", number_sealed="",
                                number_masked="", channel="department"))


class DepartmentServer(ThreadedServer):
    def __init__(self, store):
        self.down = False
        self.slow_s = 0.0
        self.unknown_bills: set[str] = set()  # identifiers the department holds nothing for (404)
        self.calls = 0
        self.app_store = store
        super().__init__(create_department_app(store, self))

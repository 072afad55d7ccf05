"""Payment gateway callbacks and the simulated gateway's pay page.

POST /webhooks/razorpay — Razorpay's events, signature checked on the raw body before anything is parsed.
GET/POST /pay/{link_id} — the simulated gateway's page (Pay / Fail / Cancel), calling back like Razorpay.
"""
from __future__ import annotations

from html import escape
from typing import Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from api.deps import ServicesDep
from payments.ledger import BadEvent, BadSignature, EventResult, slip_kind
from payments.messages import rupees
from runtime.payment_notices import deliver

router = APIRouter(tags=["payments"])


class EventAnswer(BaseModel):
    outcome: Literal["recorded", "duplicate", "ignored", "refused"]
    reason: str = ""
    notices_sent: int = 0


def _answer(services, result: EventResult) -> EventAnswer:
    sent = deliver(services, result.notices) if result.notices else 0
    if result.outcome == "refused":
        raise HTTPException(422, detail=f"refused and flagged for staff: {result.reason}")
    return EventAnswer(outcome=result.outcome, reason=result.reason, notices_sent=sent)


@router.post("/webhooks/razorpay", response_model=EventAnswer)
async def razorpay_webhook(request: Request, services: ServicesDep) -> EventAnswer:
    raw = await request.body()
    try:
        result = services.ledger().handle_event(raw, request.headers.get("x-razorpay-signature"),
                                                request.headers.get("x-razorpay-event-id"))
    except BadSignature as exc:
        raise HTTPException(401, detail=str(exc)) from None
    except BadEvent as exc:
        raise HTTPException(400, detail=str(exc)) from None
    return _answer(services, result)


def _order_or_404(services, link_id: str):
    order = services.ledger().order_by_link(link_id)
    if order is None or services.ledger().gateway.name != "simulated":
        raise HTTPException(404, detail="no such payment link")
    return order


@router.get("/pay/{link_id}", response_class=HTMLResponse)
def pay_page(link_id: str, services: ServicesDep) -> HTMLResponse:
    order = _order_or_404(services, link_id)
    lines = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in order.details.get("lines", []))
    buttons = "".join(f"<button name='action' value='{a}' id='{a}'>{label}</button> "
                      for a, label in (("pay", "Pay"), ("fail", "Fail"), ("cancel", "Cancel")))
    payable = order.status in ("created", "failed")
    html = (f"<!doctype html><html><head><meta charset='utf-8'><title>Pay ₹{rupees(order.amount_paise)}</title>"
            f"</head><body><h1>mitra payment (simulated gateway)</h1><p>{escape(order.description)}</p>"
            f"<dl>{lines}<dt>Amount</dt><dd id='amount'>₹{rupees(order.amount_paise)}</dd>"
            f"<dt>Status</dt><dd id='status'>{escape(order.status)}</dd></dl>"
            + (f"<form method='post'>{buttons}</form>" if payable else "") + "</body></html>")
    return HTMLResponse(html)


DONE = {"pay": "Payment successful. Your receipt is in your chat. · చెల్లింపు విజయవంతం. రసీదు మీ చాట్‌లో ఉంది.",
        "pay_ticket": "Payment successful. Your ticket is in your chat. · చెల్లింపు విజయవంతం. టికెట్ మీ చాట్‌లో ఉంది.",
        "pay_appointment": "Payment successful. Your appointment slip is in your chat. · చెల్లింపు విజయవంతం. "
                           "అపాయింట్‌మెంట్ స్లిప్ మీ చాట్‌లో ఉంది.",
        "fail": "The payment did not go through. No money was taken. · చెల్లింపు జరగలేదు. డబ్బు తీసుకోలేదు.",
        "cancel": "Payment cancelled. Nothing was charged. · చెల్లింపు రద్దయింది. ఏమీ వసూలు చేయలేదు."}


@router.post("/pay/{link_id}", response_model=EventAnswer)
def pay_action(link_id: str, request: Request, services: ServicesDep,
               action: Literal["pay", "fail", "cancel"] = Form(...)):
    order = _order_or_404(services, link_id)
    if order.status not in ("created", "failed"):
        raise HTTPException(409, detail=f"this link is {order.status}")
    answer = _answer(services, services.ledger().simulate(link_id, action))
    if "text/html" in request.headers.get("accept", ""):  # a person pressed the button: a page, not JSON
        done = f"pay_{slip_kind(order.details)}" if action == "pay" and order.purpose == "booking" else action
        return HTMLResponse(f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(action)}</title></head>"
                            f"<body><h1 id='result'>{escape(DONE[done])}</h1>"
                            f"<p>{escape(order.description)} · ₹{rupees(order.amount_paise)}</p></body></html>")
    return answer

"""A local Razorpay: the Payment Links API mitra calls and the signed webhooks Razorpay sends back.

`POST /v1/payment_links` checks what Razorpay checks (basic auth, amount in paise, INR, a unique
reference_id, expire_by at least 15 minutes ahead, customer.contact) and answers with an id and short_url.
`FakeRazorpay.send(event, link_id, url)` posts a webhook the way Razorpay does: raw JSON body,
X-Razorpay-Signature (hex HMAC-SHA256 with the webhook secret) and X-Razorpay-Event-Id.
"""
from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from payments.gateway import sign
from payments.simulated import razorpay_event
from tests.fakes.http_server import ThreadedServer


@dataclass
class FakeRazorpay:
    key_id: str = "rzp_test_key"
    key_secret: str = "rzp_test_secret"
    webhook_secret: str = "rzp_webhook_secret"
    links: dict[str, dict] = field(default_factory=dict)
    sent: list[tuple[str, bytes, dict]] = field(default_factory=list)  # (event id, body, headers) for replays

    def send(self, event: str, link_id: str, webhook_url: str, amount_paise: int | None = None,
             reference_id: str | None = None, signature: str | None = None, payment_id: str | None = None,
             event_id: str | None = None) -> httpx.Response:
        link = self.links[link_id]
        body = json.dumps(razorpay_event(event, link_id, reference_id or link["reference_id"],
                                         link["amount"] if amount_paise is None else amount_paise,
                                         payment_id)).encode()
        event_id = event_id or "evt_" + secrets.token_hex(7)
        headers = {"Content-Type": "application/json", "X-Razorpay-Event-Id": event_id,
                   "X-Razorpay-Signature": signature or sign(body, self.webhook_secret)}
        self.sent.append((event_id, body, headers))
        return httpx.post(webhook_url, content=body, headers=headers, timeout=30)

    def replay(self, webhook_url: str, index: int = -1) -> httpx.Response:
        _, body, headers = self.sent[index]
        return httpx.post(webhook_url, content=body, headers=headers, timeout=30)


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "BAD_REQUEST_ERROR", "description": description}}, status_code=status)


def create_razorpay_app(fake: FakeRazorpay) -> FastAPI:
    app = FastAPI()
    expected = "Basic " + base64.b64encode(f"{fake.key_id}:{fake.key_secret}".encode()).decode()

    @app.post("/v1/payment_links")
    async def create_link(request: Request):
        if request.headers.get("authorization") != expected:
            return _error(401, "The api key provided is invalid")
        body = await request.json()
        amount, expire_by = body.get("amount"), body.get("expire_by")
        if not isinstance(amount, int) or amount < 100:
            return _error(400, "The amount must be an integer in paise, at least 100")
        if body.get("currency") != "INR":
            return _error(400, "The currency must be INR")
        if not body.get("reference_id") or any(x["reference_id"] == body["reference_id"] for x in fake.links.values()):
            return _error(400, "reference_id must be unique")
        if not isinstance(expire_by, int) or expire_by < time.time() + 15 * 60 - 5:
            return _error(400, "expire_by must be at least 15 minutes in the future")
        if not (body.get("customer") or {}).get("contact") or not body.get("description"):
            return _error(400, "customer.contact and description are required")
        link_id = "plink_" + secrets.token_hex(7)
        link = {**body, "id": link_id, "short_url": f"https://rzp.io/i/{link_id[-8:]}", "status": "created",
                "amount_paid": 0}
        fake.links[link_id] = link
        return link

    return app


class RazorpayServer(ThreadedServer):
    def __init__(self):
        self.fake = FakeRazorpay()
        super().__init__(create_razorpay_app(self.fake))

"""Razorpay Payment Links: `POST {base}/v1/payment_links` with HTTP basic auth (key id, key secret)."""
from __future__ import annotations

import calendar

import httpx

from payments.gateway import GatewayError, LinkRequest, PaymentLink


class RazorpayGateway:
    name = "razorpay"

    def __init__(self, base_url: str, key_id: str, key_secret: str, webhook_secret: str, timeout_s: float = 10.0):
        if not (key_id and key_secret and webhook_secret):
            raise GatewayError("MITRA_RAZORPAY_KEY_ID, _KEY_SECRET and _WEBHOOK_SECRET must all be set")
        self.webhook_secret = webhook_secret
        self.client = httpx.Client(base_url=base_url.rstrip("/"), auth=(key_id, key_secret), timeout=timeout_s)

    def create_link(self, request: LinkRequest) -> PaymentLink:
        body = {
            "amount": request.amount_paise, "currency": "INR", "reference_id": request.reference_id,
            "description": request.description[:2048], "customer": {"contact": request.contact},
            "expire_by": calendar.timegm(request.expire_by.utctimetuple()),
            "notify": {"sms": False, "email": False},  # mitra sends the link on WhatsApp itself
            "notes": {"mitra_reference": request.reference_id},  # copied onto payments: payment.failed finds us
        }
        try:
            response = self.client.post("/v1/payment_links", json=body)
        except httpx.HTTPError as exc:
            raise GatewayError(f"Razorpay could not be reached: {exc}") from exc
        if response.status_code >= 300:
            raise GatewayError(f"Razorpay refused the link ({response.status_code}): {response.text[:300]}")
        data = response.json()
        return PaymentLink(data["id"], data["short_url"])

    def close(self) -> None:
        self.client.close()

"""The embedded gateway: the link opens mitra's own pay page (/pay/{link_id}) with Pay, Fail and Cancel.

Pressing a button produces exactly the signed event Razorpay would send, which goes through the same
verification and ledger as a real one.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from payments.gateway import LinkRequest, PaymentLink, sign

ACTIONS = {"pay": "payment_link.paid", "fail": "payment.failed", "cancel": "payment_link.cancelled",
           "expire": "payment_link.expired"}


def derived_secret(secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"mitra simulated gateway", hashlib.sha256).hexdigest()


class SimulatedGateway:
    name = "simulated"

    def __init__(self, public_base_url: str, webhook_secret: str):
        self.public_base_url = public_base_url.rstrip("/")
        self.webhook_secret = webhook_secret

    def create_link(self, request: LinkRequest) -> PaymentLink:
        link_id = "plink_sim" + secrets.token_hex(6)
        return PaymentLink(link_id, f"{self.public_base_url}/pay/{link_id}")

    def event(self, action: str, link_id: str, reference_id: str, amount_paise: int) -> tuple[bytes, str, str]:
        """The raw body, its signature and an event id for pressing `action` on the pay page."""
        body = json.dumps(razorpay_event(ACTIONS[action], link_id, reference_id, amount_paise)).encode()
        return body, sign(body, self.webhook_secret), "evt_sim" + secrets.token_hex(8)


def razorpay_event(event: str, link_id: str, reference_id: str, amount_paise: int,
                   payment_id: str | None = None) -> dict:
    """A webhook body in Razorpay's shape (entity "event", payload.payment_link / payload.payment)."""
    payment_id = payment_id or "pay_" + secrets.token_hex(7)
    paid = event == "payment_link.paid"
    status = {"payment_link.paid": "paid", "payment_link.expired": "expired",
              "payment_link.cancelled": "cancelled"}.get(event, "created")
    payload: dict = {}
    if event.startswith("payment_link."):
        payload["payment_link"] = {"entity": {
            "id": link_id, "entity": "payment_link", "reference_id": reference_id, "amount": amount_paise,
            "amount_paid": amount_paise if paid else 0, "currency": "INR", "status": status}}
    if paid or event == "payment.failed":
        payload["payment"] = {"entity": {
            "id": payment_id, "entity": "payment", "amount": amount_paise, "currency": "INR",
            "status": "captured" if paid else "failed", "method": "upi",
            "notes": {"mitra_reference": reference_id},
            "error_description": None if paid else "Payment was declined by the bank"}}
    return {"entity": "event", "account_id": "acc_simulated", "event": event,
            "contains": list(payload), "payload": payload, "created_at": int(time.time())}

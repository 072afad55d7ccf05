"""The payment gateway interface: create a payment link, verify a signed event.

Events are Razorpay-shaped whichever gateway made the link (the simulated gateway calls back exactly like
Razorpay does), so one ledger (payments/ledger.py) handles them all.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.security import same_secret


class GatewayError(RuntimeError):
    """The gateway refused or could not be reached; no link was made."""


@dataclass(frozen=True)
class LinkRequest:
    reference_id: str  # unique per link (a renewed link gets a new one)
    amount_paise: int
    description: str
    contact: str  # the citizen's mobile number, +91…
    expire_by: datetime  # UTC


@dataclass(frozen=True)
class PaymentLink:
    link_id: str
    short_url: str


class Gateway(Protocol):
    name: str
    webhook_secret: str

    def create_link(self, request: LinkRequest) -> PaymentLink: ...


def sign(body: bytes, secret: str) -> str:
    """What Razorpay puts in X-Razorpay-Signature: hex HMAC-SHA256 of the raw body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, signature: str | None, secret: str) -> bool:
    return bool(signature) and bool(secret) and same_secret(signature, sign(body, secret))

"""Payments: the gateway interface (simulated pay page or Razorpay Payment Links) and the exactly-once ledger."""
from __future__ import annotations

from payments.gateway import Gateway, GatewayError
from payments.simulated import SimulatedGateway, derived_secret


def gateway_from_settings(settings) -> Gateway:
    """MITRA_PAYMENT_GATEWAY=razorpay uses Razorpay's Payment Links API; the default is the simulated pay page."""
    if settings.payment_gateway == "razorpay":
        from payments.razorpay import RazorpayGateway

        return RazorpayGateway(settings.razorpay_base_url, settings.razorpay_key_id, settings.razorpay_key_secret,
                               settings.razorpay_webhook_secret)
    if settings.payment_gateway != "simulated":
        raise GatewayError(f"MITRA_PAYMENT_GATEWAY must be simulated or razorpay, not {settings.payment_gateway!r}")
    return SimulatedGateway(settings.public_base_url,
                            settings.razorpay_webhook_secret or derived_secret(settings.secret_key))


def ledger_from_settings(settings, session_factory, departments, documents=None, clock=None):
    """`documents`: the register receipts and tickets are issued into (applications.documents.DocumentRegister);
    `clock`: the bot's, so an order, its payment and the application it pays for share one time."""
    from applications.documents import DocumentRegister
    from core.db import utcnow
    from payments.ledger import PaymentLedger

    return PaymentLedger(session_factory, gateway_from_settings(settings), departments, settings.public_base_url,
                         settings.payment_link_minutes, clock=clock or utcnow,
                         documents=documents or DocumentRegister(session_factory, settings))


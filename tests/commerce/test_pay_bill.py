"""Paying an electricity bill on WhatsApp: USC → bill → link → the gateway's event → one receipt document.

Runs once with the simulated gateway (its pay page) and once with Razorpay (the fake Razorpay server).
"""
from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select

from core.db.commerce_models import GatewayEvent, PaymentFlag, PaymentOrder
from tests.api.whatsapp_citizen import texts

USC = "1234567890123"


def _open_bill(citizen) -> str:
    citizen.say("menu")
    citizen.say("5")  # Energy
    citizen.say("1")  # Pay electricity bill
    citizen.say(USC)
    citizen.say("9848012345")
    sent = citizen.tap("submit")
    return texts(sent)


def _order(session_factory) -> PaymentOrder:
    with session_factory() as session:
        return session.scalars(select(PaymentOrder).order_by(PaymentOrder.id.desc())).first()


def _pay(app, gateway_name, order, action: str = "pay") -> httpx.Response:
    """What the citizen's payment does at the gateway: press the button on the page, or Razorpay's webhook."""
    if gateway_name == "simulated":
        return httpx.post(f"{app.url}/pay/{order.link_id}", data={"action": action}, timeout=30)
    event = {"pay": "payment_link.paid", "fail": "payment.failed", "cancel": "payment_link.cancelled"}[action]
    return app.razorpay.send(event, order.link_id, f"{app.url}/webhooks/razorpay")


def _documents(graph, wa_id: str) -> list[dict]:
    return [p for p in graph.sent_to(wa_id) if p["type"] == "document"]


def test_bill_shown_link_paid_once_one_receipt(app, citizen, graph, session_factory, gateway_name, razorpay_server):
    app.razorpay = razorpay_server.fake
    shown = _open_bill(citizen)
    assert "Amount due: ₹" in shown and "Due date:" in shown and "Period:" in shown
    assert re.search(r"Consumer: [A-Z]\*+", shown), shown  # the consumer's name masked
    sent = citizen.tap("pay")
    order = _order(session_factory)
    assert order.short_url in texts(sent) and order.amount_paise > 0
    if gateway_name == "razorpay":  # the link was made at Razorpay, in paise, with the citizen's number
        link = razorpay_server.fake.links[order.link_id]
        assert link["amount"] == order.amount_paise and link["customer"]["contact"] == "+919848012345"
        assert link["reference_id"] == order.reference and link["currency"] == "INR"
    answer = _pay(app, gateway_name, order)
    assert answer.status_code == 200, answer.text
    documents = _documents(graph, citizen.wa_id)
    assert len(documents) == 1 and "Payment received" in documents[0]["document"]["caption"]
    assert _order(session_factory).status == "paid"
    _receipt_is_the_registers_document(app, graph, documents[0], _order(session_factory))

    if gateway_name == "razorpay":  # Razorpay redelivers the same event: nothing more happens
        again = razorpay_server.fake.replay(f"{app.url}/webhooks/razorpay")
        assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
        other = razorpay_server.fake.send("payment_link.paid", order.link_id, f"{app.url}/webhooks/razorpay",
                                          payment_id=_order(session_factory).gateway_payment_id)
        assert other.status_code == 200
    else:  # the pay page no longer takes a second payment
        assert httpx.post(f"{app.url}/pay/{order.link_id}", data={"action": "pay"}).status_code == 409
    assert len(_documents(graph, citizen.wa_id)) == 1

    # the same bill again: told it is paid, no new link
    assert "already paid" in _open_bill(citizen)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PaymentOrder)) == 1


def _receipt_is_the_registers_document(app, graph, sent: dict, order) -> None:
    """One renderer: the register's PDF, Telugu shaped, its QR opening /verify, which shows what it prints."""
    from tests.applications.test_documents import page_text, qr_text

    pdf = graph.uploads[sent["document"]["id"]].content
    printed = page_text(pdf)
    service_te = app.services.catalog.services["energy.pay_electricity_bill"].name.te
    assert "చెల్లింపు రసీదు" in printed  # Telugu, shaped: it copies out as the original text
    assert service_te.replace(" ", "") in printed.replace(" ", "")
    assert order.reference in printed and f"{order.amount_paise / 100:,.2f}" in printed
    url = qr_text(pdf)
    assert url.startswith(f"{app.services.settings.public_base_url}/verify/")
    page = httpx.get(f"{app.url}/verify/{url.rsplit('/', 1)[1]}", timeout=30)
    assert page.status_code == 200 and "VALID" in page.text and order.reference in page.text
    assert f"{order.amount_paise / 100:,.2f}" in page.text and order.details["bill"]["consumer"] in page.text
    forged = url.rsplit("/", 1)[1][:-4] + "0000"
    assert httpx.get(f"{app.url}/verify/{forged}", timeout=30).status_code == 400


def test_failed_payment_gets_a_polite_retry_offer(app, citizen, graph, session_factory, gateway_name,
                                                  razorpay_server):
    app.razorpay = razorpay_server.fake
    _open_bill(citizen)
    citizen.tap("pay")
    order = _order(session_factory)
    assert _pay(app, gateway_name, order, "fail").status_code == 200
    last = graph.sent_to(citizen.wa_id)[-1]
    assert last["type"] == "text" and "did not go through" in last["text"]["body"]
    assert order.short_url in last["text"]["body"]  # try again with the same link
    assert _pay(app, gateway_name, order, "pay").status_code == 200  # and it works
    assert len(_documents(graph, citizen.wa_id)) == 1


def test_forged_or_mismatched_events_are_refused(app, citizen, graph, session_factory, gateway_name,
                                                 razorpay_server):
    if gateway_name != "razorpay":
        return  # the simulated gateway signs its own events; forgery is a Razorpay-webhook matter
    fake, url = razorpay_server.fake, f"{app.url}/webhooks/razorpay"
    _open_bill(citizen)
    citizen.tap("pay")
    order = _order(session_factory)
    before = len(graph.sent_to(citizen.wa_id))

    forged = fake.send("payment_link.paid", order.link_id, url, signature="0" * 64)
    assert forged.status_code == 401
    unsigned = httpx.post(url, content=b'{"event": "payment_link.paid"}', headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(GatewayEvent)) == 0  # nothing stored

    short = fake.send("payment_link.paid", order.link_id, url, amount_paise=order.amount_paise - 100)
    assert short.status_code == 422 and "amount" in short.json()["detail"]
    wrong = fake.send("payment_link.paid", order.link_id, url, reference_id="MP-SOMEONE-ELSE")
    assert wrong.status_code == 422 and "reference" in wrong.json()["detail"]
    with session_factory() as session:
        reasons = sorted(session.scalars(select(PaymentFlag.reason)))
    assert reasons == ["amount_mismatch", "reference_mismatch"]
    assert _order(session_factory).status == "created" and len(graph.sent_to(citizen.wa_id)) == before


def test_expired_link_is_renewed(app, citizen, graph, session_factory, gateway_name, razorpay_server):
    if gateway_name != "razorpay":
        return
    fake, url = razorpay_server.fake, f"{app.url}/webhooks/razorpay"
    _open_bill(citizen)
    citizen.tap("pay")
    first = _order(session_factory)
    assert fake.send("payment_link.expired", first.link_id, url).status_code == 200
    assert "expired" in graph.sent_to(citizen.wa_id)[-1]["text"]["body"]
    sent = citizen.say("renew")
    second = _order(session_factory)
    assert second.reference != first.reference and second.short_url in texts(sent)
    assert fake.send("payment_link.paid", second.link_id, url).status_code == 200
    assert len(_documents(graph, citizen.wa_id)) == 1

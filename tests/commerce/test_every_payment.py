"""Every payment-type service in the catalog shows what is paid for and takes the payment: a bill from the
department system (consumer masked, period, amount, due date) or the amount from the form, a payment link, the
gateway's paid event, and one receipt from the document register. The real PaymentFlow, the simulated
department store, the ledger with the simulated gateway, on a real SQLite file."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.dialogue import Conversation, Turn
from bot.hooks import Submitted
from bot.payment_flow import BILL_SERVICES, PaymentFlow
from bot.state import DialogueState
from catalog.formats import get_format
from catalog.schema import Outcome
from core.db import Citizen
from payments.messages import period_shown, rupees
from tests.commerce.test_every_booking import ANSWERS

CANCELS = {"apsrtc.cancel_ticket"}  # a payment-type service that gives money back (tested with bookings)


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


@pytest.fixture
def flow(settings, session_factory):
    from applications.documents import DocumentRegister
    from departments.simulated import SimulatedDepartments
    from payments import ledger_from_settings

    departments = SimulatedDepartments(session_factory)
    ledger = ledger_from_settings(settings, session_factory, departments,
                                  DocumentRegister(session_factory, settings))
    with session_factory.begin() as session:
        citizen = Citizen(lookup_hash="payment-test", number_sealed="", number_masked="", channel="web")
        session.add(citizen)
        session.flush()
        citizen_id = citizen.id
    return PaymentFlow(ledger, departments), citizen_id


def _fields(service) -> dict[str, str]:
    values = {}
    bill = BILL_SERVICES.get(service.id)
    for f in service.fields:
        if bill and f.name in bill[1]:
            values[f.name] = get_format(f.format).example
        elif f.type.value == "choice":
            values[f.name] = f.choices[0].value
        elif f.type.value == "amount":
            values[f.name] = "501"
        else:
            values[f.name] = ANSWERS.get(f.type.value, "2")
    return values


def _payment_services(catalog) -> list[str]:
    return sorted(s.id for s in catalog.services.values() if s.outcome == Outcome.payment_receipt)


def test_every_bill_kind_the_flow_knows_is_a_catalog_payment_service(catalog):
    assert set(BILL_SERVICES) <= set(_payment_services(catalog))


@pytest.mark.parametrize("service_id", [
    "anna_canteens.donate_meal", "commercial_taxes.professional_tax_payment", "endowments.annadanam_donation",
    "endowments.donation", "energy.pay_electricity_bill", "municipal.property_tax", "municipal.vacant_land_tax",
    "municipal.water_tax", "panchayat_raj.house_tax", "police.echallan_payment"])
def test_shows_what_is_paid_takes_the_payment_and_sends_one_receipt(service_id, catalog, flow):
    assert service_id in _payment_services(catalog) and service_id not in CANCELS
    payment_flow, citizen_id = flow
    service = catalog.services[service_id]
    convo = Conversation(citizen_id, DialogueState(), "en", "en")
    payment_flow.after_submit(convo, Submitted(service, "AP-TEST-2", _fields(service)))
    shown = convo.replies[-1]
    assert shown.kind == "buttons" and [b.id for b in shown.buttons] == ["pay", "stop"], shown.text
    if service_id in BILL_SERVICES:
        for words in ("Consumer:", "Period:", "Amount due: ₹", "Due date:"):
            assert words in shown.text, shown.text
        period = shown.text.split("Period: ")[1].split("\n")[0]  # as a citizen reads it, not the department's key
        assert re.fullmatch(r"\d\d-\d{4}( to \d\d-\d{4})?|challan", period), period
        assert "*" in shown.text.split("Consumer:")[1].split("\n")[0]  # the consumer's name masked
    else:
        assert "Amount: ₹" in shown.text

    convo.replies.clear()
    assert payment_flow.on_turn(convo, Turn("m2", "pay", "pay"))
    ledger = payment_flow.ledger
    order = ledger.order(convo.state.flow_data["order"])
    assert order.short_url in convo.replies[-1].text and order.amount_paise > 0
    result = ledger.simulate(order.link_id, "pay")
    assert result.outcome == "recorded" and len(result.notices) == 1
    receipt = ledger.documents.for_reference(result.notices[0].document)
    assert receipt.kind == "receipt" and receipt.reference == order.reference
    assert ledger.documents.pdf(receipt).startswith(b"%PDF")
    assert ledger.simulate(order.link_id, "pay").notices == ()  # paid once: a second press sends nothing


@pytest.mark.parametrize("language", ["en", "te-latn"])
def test_a_traffic_fine_without_the_challan_number_is_found_by_the_vehicle(catalog, flow, language):
    """"challan kattali naa bike ki" with the challan number skipped ended in the challan number's rule, in
    English, with nothing to pay: the fines are found by the vehicle's number, as on the state's e-challan site."""
    payment_flow, citizen_id = flow
    service = catalog.services["police.echallan_payment"]
    fields = {**_fields(service), "challan_number": "", "vehicle_number": "AP39AB1234"}
    convo = Conversation(citizen_id, DialogueState(), language, language)
    payment_flow.after_submit(convo, Submitted(service, "AP-POL-2026-000001", fields))
    shown = convo.replies[-1]
    assert [b.id for b in shown.buttons] == ["pay", "stop"] and "AP39AB1234" in shown.text, shown.text
    assert payment_flow.departments.lookup_bill("e_challan", "AP 39 AB 1234").amount_paise == \
        payment_flow.departments.lookup_bill("e_challan", "ap39ab1234").amount_paise


def test_an_application_fee_is_asked_after_the_reference_paid_once_with_a_receipt(catalog, flow):
    payment_flow, citizen_id = flow
    service = catalog.services["revenue.income_certificate"]
    assert service.fee > 0 and service.outcome == Outcome.certificate
    convo = Conversation(citizen_id, DialogueState(), "te", "te")
    payment_flow.after_submit(convo, Submitted(service, "AP-REV-2026-000077", _fields(service)))
    shown = convo.replies[-1]
    assert shown.kind == "buttons" and [b.id for b in shown.buttons] == ["pay", "stop"]
    assert f"₹{service.fee:g}" in shown.text and "దరఖాస్తు: AP-REV-2026-000077" in shown.text and "రుసుము" in shown.text
    assert payment_flow.on_turn(convo, Turn("m2", "చెల్లిస్తాను"))  # "I will pay", not only the button
    order = payment_flow.ledger.order(convo.state.flow_data["order"])
    assert order.amount_paise == round(service.fee * 100)
    result = payment_flow.ledger.simulate(order.link_id, "pay")
    assert result.outcome == "recorded" and len(result.notices) == 1 and "రసీదు" in result.notices[0].text
    receipt = payment_flow.ledger.documents.for_reference(result.notices[0].document)
    assert receipt.facts["holder_en"] == service.holder_name(_fields(service)) != ""  # the applicant, not "-"
    again = Conversation(citizen_id, DialogueState(), "te", "te")  # the same application again: already paid
    payment_flow.after_submit(again, Submitted(service, "AP-REV-2026-000077", _fields(service)))
    assert payment_flow.on_turn(again, Turn("m3", "pay", "pay"))
    assert again.replies[-1].text == "AP-REV-2026-000077 కోసం చెల్లింపు ఇప్పటికే జరిగింది. ఇంకేమీ చెల్లించనవసరం లేదు."


def test_a_citizen_who_moves_on_from_the_fee_is_answered_as_usual(catalog, flow):
    payment_flow, citizen_id = flow
    service = catalog.services["revenue.caste_certificate"]
    convo = Conversation(citizen_id, DialogueState(), "en", "en")
    payment_flow.after_submit(convo, Submitted(service, "AP-REV-2026-000079", _fields(service)))
    assert not payment_flow.on_turn(convo, Turn("m2", "status of AP-REV-2026-000079"))  # the dialogue answers it
    assert convo.state.step != payment_flow.step


@pytest.mark.parametrize("said", ["later", "pay later", "తర్వాత", "తర్వాత చెల్లిస్తాను", "ippudu vaddu",
                                  # a walk: read as a yes for its "kadatanu" (I will pay), and a link sent
                                  "ippudu kattalenu, 10th taruvata kadatanu", "ఇప్పుడు కట్టలేను"])
def test_a_fee_put_off_is_not_charged_and_says_how_to_pay_later(catalog, flow, said):
    payment_flow, citizen_id = flow
    service = catalog.services["revenue.caste_certificate"]
    convo = Conversation(citizen_id, DialogueState(), "te", "te")
    payment_flow.after_submit(convo, Submitted(service, "AP-REV-2026-000080", _fields(service)))
    assert payment_flow.on_turn(convo, Turn("m2", said))
    assert '"pay AP-REV-2026-000080"' in convo.replies[-1].text and convo.state.step != payment_flow.step


@pytest.mark.parametrize(("language", "said"), [("te-latn", "ippudu kattalenu, 10th taruvata kadatanu"),
                                                ("en", "later")])
def test_a_bill_put_off_says_its_due_date_and_how_to_pay_it_later(catalog, flow, language, said):
    """A walk: "Stopped. Nothing was charged." and no more, so a citizen putting off the electricity bill was not
    told by when it must be paid, nor how to come back to it."""
    payment_flow, citizen_id = flow
    service = catalog.services["energy.pay_electricity_bill"]
    convo = Conversation(citizen_id, DialogueState(), language, language)
    payment_flow.after_submit(convo, Submitted(service, "AP-TEST-3", _fields(service)))
    bill = payment_flow.departments.lookup_bill("electricity", _fields(service)["service_number"])
    assert payment_flow.on_turn(convo, Turn("m2", said))
    told = convo.replies[-1].text
    assert "Nothing was charged" in told or "ఏమీ వసూలు చేయలేదు" in told
    assert f"{bill.due_date:%d-%m-%Y}" in told and f"₹{rupees(bill.amount_paise)}" in told, told
    assert f'"{service.name.te if language == "te-latn" else service.name.en}"' in told, told
    assert convo.state.step != payment_flow.step


def test_an_application_without_a_fee_asks_nothing(catalog, flow):
    payment_flow, citizen_id = flow
    service = next(s for s in catalog.services.values() if s.outcome == Outcome.certificate and not s.fee)
    convo = Conversation(citizen_id, DialogueState(), "en", "en")
    payment_flow.after_submit(convo, Submitted(service, "AP-REV-2026-000078", _fields(service)))
    assert convo.replies == [] and convo.state.step != payment_flow.step


def test_cancel_a_ticket_by_its_booking_reference_refunds_per_the_rule(catalog, flow):
    from datetime import date, timedelta

    payment_flow, citizen_id = flow
    departments = payment_flow.departments
    bus = departments.search_buses("guntur", "nellore", date.today() + timedelta(days=5))[0]
    held = departments.hold([bus.resource_key], 2, f"citizen:{citizen_id}", 20)
    departments.confirm(held.reference)
    convo = Conversation(citizen_id, DialogueState(), "en", "en")
    service = catalog.services["apsrtc.cancel_ticket"]
    payment_flow.after_submit(convo, Submitted(service, "AP-TEST-3", {"ticket_number": held.reference.lower(),
                                                                    "mobile": "9848012345"}))
    assert held.reference in convo.replies[-1].text and "cancelled" in convo.replies[-1].text
    assert departments.booking(held.reference).refund_paise == held.amount_paise * 90 // 100  # days ahead
    assert departments.free_seats(bus.resource_key) == bus.capacity
    convo.replies.clear()
    payment_flow.after_submit(convo, Submitted(service, "AP-TEST-4", {"ticket_number": "BK000NOSUCH"}))
    assert "No booking BK000NOSUCH" in convo.replies[-1].text


def test_the_refund_rule_counts_hours_to_the_departure_in_india_time(session_factory):
    from datetime import date, datetime

    from departments.simulated import SimulatedDepartments

    departments = SimulatedDepartments(session_factory)
    bus = next(b for b in departments.search_buses("guntur", "nellore", date(2030, 3, 2)) if b.starts >= "06:00")
    hours, minutes = map(int, bus.starts.split(":"))
    departs_utc = datetime(2030, 3, 2, hours, minutes) - timedelta(hours=5, minutes=30)
    held = departments.hold([bus.resource_key], 1, "citizen:1", 20)
    departments.confirm(held.reference)
    cancelled = departments.cancel(held.reference, departs_utc - timedelta(hours=23))  # 23 h ahead: half back
    assert cancelled.refund_paise == held.amount_paise * 50 // 100


@pytest.mark.parametrize(("period", "en", "te"), [
    ("2026-11", "11-2026", "11-2026"), ("2026-01+12m", "01-2026 to 12-2026", "01-2026 నుండి 12-2026 వరకు"),
    ("2026-10+6m", "10-2026 to 03-2027", "10-2026 నుండి 03-2027 వరకు"), ("challan", "challan", "చలాన్"),
    ("Q3 FY26", "Q3 FY26", "Q3 FY26")])  # a department's own wording is kept
def test_a_bill_period_is_shown_as_a_citizen_reads_it(period, en, te):
    from payments.messages import say

    assert say("already_paid", "en", identifier="X", period=period_shown(period)).endswith(
        f"(X, {en}) is already paid. Nothing more is due.")
    assert f"(X, {te})" in say("already_paid", "te", identifier="X", period=period_shown(period))

"""Booking a bus ticket and a darshan slot on WhatsApp, paying, receiving the ticket; holds expire."""
from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from core.db import utcnow
from core.db.commerce_models import PaymentOrder
from tests.api.whatsapp_citizen import texts
from tests.applications.test_documents import page_text
from tests.utils.chat import REFERENCE


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


def _last_order(session_factory) -> PaymentOrder:
    with session_factory() as session:
        return session.scalars(select(PaymentOrder).order_by(PaymentOrder.id.desc())).first()


def _pay(app, order) -> None:
    """As a person on the pay page: the page answers in words, and a booking's says the ticket is coming."""
    page = httpx.post(f"{app.url}/pay/{order.link_id}", data={"action": "pay"}, headers={"Accept": "text/html"},
                      timeout=30)
    assert page.status_code == 200 and "Your ticket is in your chat" in page.text, page.text


def _day() -> str:
    return (utcnow() + timedelta(days=4)).strftime("%d-%m-%Y")


def test_bus_ticket_booked_paid_and_sent(app, citizen, graph, session_factory):
    citizen.say("menu")
    citizen.say("6")  # APSRTC
    citizen.say("1")  # book a ticket
    for answer in ("Vijayawada", "Tirupati", _day(), "2"):
        citizen.say(answer)
    citizen.tap("opt:super_luxury")
    citizen.say("9848012345")
    buses = citizen.tap("submit")
    assert not REFERENCE.search(texts(buses))  # the ticket's number is the one the citizen gets
    listing = buses[-1]
    assert listing.kind == "list" and "Buses from Vijayawada to Tirupati" in listing.text
    assert " left" in listing.text and "₹" in listing.text
    held = citizen.tap(listing.choice_ids[0], list_row=True)
    assert "Held for you until" in texts(held) and "90% back" in texts(held)  # the refund rule, stated
    order = _last_order(session_factory)
    free_before = app.services.departments().free_seats(_key(app, order))
    _pay(app, order)
    ticket = [p for p in graph.sent_to(citizen.wa_id) if p["type"] == "document"]
    assert len(ticket) == 1 and "ticket" in ticket[0]["document"]["filename"]
    assert "seats 1, 2" in ticket[0]["document"]["caption"]
    assert app.services.departments().free_seats(_key(app, order)) == free_before  # held seats stay sold
    number = order.details["booking_reference"]
    assert f"Your ticket {number} is confirmed" in ticket[0]["document"]["caption"]
    assert f"Booking {number} is confirmed" in texts(citizen.say(f"status of {number}"))


@pytest.mark.parametrize("asked", ["which is cheapest?", "edi takkuva?"])
def test_which_bus_is_cheapest_is_answered_with_the_days_fares(app, citizen, asked):
    """A walk: "which is cheapest?" at "Which type of bus do you prefer?" was refused as no bus type."""
    citizen.say("menu")
    citizen.say("6")
    citizen.say("1")
    for answer in ("Vijayawada", "Tirupati", _day(), "2"):
        citizen.say(answer)
    told = texts(citizen.say(asked))
    day = utcnow().date() + timedelta(days=4)
    buses = app.services.departments().search_buses("vijayawada", "tirupati", day)
    lowest = {kind: min(b.price_paise for b in buses if b.category == kind) for kind in {b.category for b in buses}}
    shown = re.findall(r"• (.+?): ₹([\d,.]+)", told)
    assert f"Prices on {_day()}, per seat, cheapest first:" in told and len(shown) == len(lowest) == 3, told
    paise = [round(float(price.replace(",", "")) * 100) for _, price in shown]
    assert paise == sorted(lowest.values()) and shown[0][0] == "Express", told
    assert "Which type of bus do you prefer?" in told.split("cheapest first")[1], told  # and the question again
    listing = citizen.tap("opt:express")  # the question is still open: the answer is taken
    assert "Mobile number" in texts(listing)


def test_darshan_slot_booked_paid_and_sent(app, citizen, graph, session_factory):
    citizen.say("menu")
    citizen.say("7")  # Endowments
    citizen.say("1")  # darshan
    citizen.say("Tirumala")
    citizen.say(_day())
    citizen.tap("opt:special_entry")
    for answer in ("3", "Ravi Kumar", "9848012345"):
        citizen.say(answer)
    slots = citizen.tap("submit")[-1]
    assert slots.kind == "list" and "06:00" in slots.text
    citizen.say("2")  # the 09:00 slot, by number
    order = _last_order(session_factory)
    # the pay page says what the money is for as the citizen knows it, not in the department system's keys
    page = httpx.get(f"{app.url}/pay/{order.link_id}", timeout=30).text
    assert "Tirumala" in page and f"{_day()} 09:00" in page and "tirumala" not in page, page
    _pay(app, order)
    ticket = [p for p in graph.sent_to(citizen.wa_id) if p["type"] == "document"]
    assert len(ticket) == 1 and "persons 3" in ticket[0]["document"]["caption"]  # a darshan counts persons
    # the devotee's name whole, not "R*** K****": the temple gate checks it against an ID card
    assert "Ravi Kumar" in page_text(graph.uploads[ticket[0]["document"]["id"]].content)
    number = _last_order(session_factory).details["booking_reference"]
    for asked in ("my bookings", "naa booking status enti", "నా బుకింగ్ వివరాలు"):  # without its number
        assert number in texts(citizen.say(asked)), asked


def test_a_citizen_without_bookings_is_told_how_to_book(citizen):
    answer = texts(citizen.say("what is my booking status"))
    assert "no upcoming booking" in answer and "PNR" in answer
    assert "no upcoming booking" not in texts(citizen.say("I want a new booking for darshan"))


def _key(app, order) -> str:
    booking = app.services.departments().booking(order.details["booking_reference"])
    return booking.resource_key

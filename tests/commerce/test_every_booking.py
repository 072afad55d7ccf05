"""Every booking-type service in the catalog gets a real booking through the one booking path: availability
from the department system, a hold, payment or (free of charge) confirmation at once, a ticket or appointment
slip from the document register with its QR, and cancellation that gives the place back.

Runs the real BookingFlow with the simulated department store, the payment ledger (simulated gateway) and
the document register on a real SQLite file.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.booking_flow import BOOKABLE, BookingFlow
from bot.dialogue import Conversation, Turn
from bot.hooks import Submitted
from bot.state import DialogueState
from catalog.schema import Outcome
from core.db import Citizen, utcnow
from core.db.commerce_models import CitizenBooking
from core.db.document_models import IssuedDocument

DAY = (utcnow() + timedelta(days=5)).date().isoformat()
ANSWERS = {"date": DAY, "number": "2", "name": "Ravi Kumar", "mobile": "9848012345", "town": "vijayawada",
           "temple": "tirumala", "district": "krishna", "mandal": "gannavaram", "aadhaar": "234567890124",
           "text": "Gannavaram"}


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


@pytest.fixture
def parts(settings, session_factory, catalog):
    from applications.documents import DocumentRegister
    from departments.simulated import SimulatedDepartments
    from payments import ledger_from_settings

    departments = SimulatedDepartments(session_factory)
    register = DocumentRegister(session_factory, settings)
    ledger = ledger_from_settings(settings, session_factory, departments, register)
    with session_factory.begin() as session:
        citizen = Citizen(lookup_hash="booking-test", number_sealed="", number_masked="", channel="web")
        session.add(citizen)
        session.flush()
        citizen_id = citizen.id
    return BookingFlow(ledger, departments, 20, catalog.gazetteer), citizen_id, register


def _fields(service) -> dict[str, str]:
    values = {}
    for f in service.fields:
        if f.type.value == "choice":
            values[f.name] = f.choices[0].value
        elif f.name == "to_town":
            values[f.name] = "tirupati"
        elif f.name == "date_of_birth":
            values[f.name] = "2000-01-01"
        else:
            values[f.name] = ANSWERS.get(f.type.value, "2")
    return values


def _listed(parts, catalog, service_id: str, language: str):
    """The service, and a conversation in `language` that has just been shown its list of places."""
    flow, citizen_id, _ = parts
    if service_id not in catalog.services:
        pytest.skip(f"{service_id} is not in this catalog")
    service = catalog.services[service_id]
    convo = Conversation(citizen_id, DialogueState(), language, language)
    flow.after_submit(convo, Submitted(service, "AP-TEST-1", _fields(service)))
    return service, convo


def _turn(said: str = "", choice: str | None = None) -> Turn:
    return Turn("m1", said, choice)


def test_every_booking_service_in_the_catalog_has_a_real_booking(catalog):
    bookings = {s.id for s in catalog.services.values() if s.outcome == Outcome.booking}
    assert bookings <= set(BOOKABLE), bookings - set(BOOKABLE)


@pytest.mark.parametrize("service_id", sorted(BOOKABLE))
def test_book_pay_or_confirm_get_the_document_and_cancel(service_id, catalog, parts, session_factory):
    flow, citizen_id, register = parts
    service, convo = _listed(parts, catalog, service_id, "en")
    listing = convo.replies[-1]
    assert listing.kind == "list" and listing.rows, [r.text for r in convo.replies]
    assert re.search(r"\d+ left", listing.rows[0].description)  # places left, from the department's inventory

    convo.replies.clear()
    assert flow.on_turn(convo, _turn(choice=listing.rows[0].id))
    data = convo.state.flow_data
    departments, ledger = flow.departments, flow.ledger
    if data["stage"] == "waiting":  # a paid place: the link, then the gateway's paid event sends the ticket
        order = ledger.order(data["order"])
        document = "ticket" if BOOKABLE[service_id].slip == "ticket" else "appointment slip"
        assert order.short_url in convo.replies[-1].text and f"{document} comes here" in convo.replies[-1].text
        result = ledger.simulate(order.link_id, "pay")
        notice = result.notices[0]
        reference = data["booking"]
        assert notice.document == reference and "confirmed" in notice.text and f"{document.capitalize()} attached" in \
            notice.text
    else:  # no fee: confirmed at once, the slip is the answer, with a cancel button
        assert data["stage"] == "booked"
        document = next(r for r in convo.replies if r.kind == "document")
        reference = data["booking"]
        assert reference in document.text and document.document.content.startswith(b"%PDF")
        assert convo.replies[-1].buttons[0].id == "cancel_booking"
    booking = departments.booking(reference)
    assert booking.status == "confirmed"
    with session_factory() as session:
        issued = session.scalar(select(IssuedDocument).where(IssuedDocument.reference == reference))
        kept = session.scalar(select(CitizenBooking).where(CitizenBooking.reference == reference))
    assert issued.kind in ("ticket", "appointment") and register.verify_token(register.token(issued)).valid
    if service.holder_name(_fields(service)):  # whose it is, whole: the gate checks it against an ID card
        assert issued.facts["holder_en"] == service.holder_name(_fields(service)) == ANSWERS["name"]
    assert kept.citizen_id == citizen_id and kept.status == "confirmed" and kept.starts_at > utcnow()

    free_before = departments.free_seats(booking.resource_key)
    convo.state.flow_data = {**data, "stage": "booked"}
    convo.replies.clear()
    assert flow.on_turn(convo, _turn("cancel booking", "cancel_booking"))
    assert "cancelled" in convo.replies[-1].text
    assert departments.booking(reference).status == "cancelled"
    assert departments.free_seats(booking.resource_key) == free_before + booking.count
    with session_factory() as session:
        assert session.scalar(select(CitizenBooking.status).where(CitizenBooking.reference == reference)) == \
            "cancelled"


def test_a_telugu_citizen_reads_the_towns_in_telugu(catalog, parts):
    flow, citizen_id, _ = parts
    convo = Conversation(citizen_id, DialogueState(), "te", "te")
    service = catalog.services["apsrtc.book_ticket"]
    flow.after_submit(convo, Submitted(service, "AP-TEST-5", _fields(service)))
    listing = convo.replies[-1]
    assert "విజయవాడ నుంచి తిరుపతికి బస్సులు" in listing.text and "ఖాళీ" in listing.rows[0].description, listing.text
    kind = next(f for f in service.fields if f.name == "bus_type").choices[0].label.te
    assert all(kind in row.title for row in listing.rows), [row.title for row in listing.rows]  # not "Express"


def test_a_room_stay_reads_in_the_citizens_words_not_the_departments_keys(catalog, parts):
    """Romanized-Telugu writers read Telugu, like the rest of the dialogue; the room is its type and nights, never
    the department's resource title; the ticket counts rooms, not seats."""
    flow, citizen_id, _ = parts
    service = catalog.services["endowments.accommodation_booking"]
    fields = _fields(service)
    room = next(f for f in service.fields if f.name == "room_type").choices[0]
    convo = Conversation(citizen_id, DialogueState(), "te-latn", "te-latn")
    flow.after_submit(convo, Submitted(service, "AP-TEST-6", fields))
    listing = convo.replies[-1]
    assert service.name.te in listing.text and service.name.en not in listing.text, listing.text  # one language
    assert f"1. {room.label.te} · 2 రాత్రులు" in listing.text and listing.rows[0].title.startswith(room.label.te)

    convo.replies.clear()
    flow.on_turn(convo, _turn(choice=listing.rows[0].id))
    held = next(r.text for r in convo.replies if "మీ కోసం ఉంచాం" in r.text)
    offer = convo.state.flow_data["offers"][0]
    assert offer["title"] not in held and fields["temple"] not in held, held
    notice = flow.ledger.simulate(flow.ledger.order(convo.state.flow_data["order"]).link_id, "pay").notices[0]
    assert "(గదులు " in notice.text and "సీట్లు" not in notice.text, notice.text


def test_a_haritha_hotel_room_is_named_by_its_place_not_the_departments_room_code(catalog, parts):
    flow, citizen_id, _ = parts
    service = catalog.services["tourism.hotel_booking"]
    hotel = next(f for f in service.fields if f.name == "location").choices[0]
    for language, label in (("en", hotel.label.en), ("te", hotel.label.te)):  # the Telugu citizen pays
        convo = Conversation(citizen_id, DialogueState(), language, language)
        flow.after_submit(convo, Submitted(service, "AP-TEST-7", _fields(service)))
        title = convo.replies[-1].rows[0].title
        assert title.startswith(label) and "haritha" not in title, title
    flow.on_turn(convo, _turn(choice="offer:0"))
    order = flow.ledger.order(convo.state.flow_data["order"])
    assert hotel.label.en in order.description and hotel.label.te not in order.description  # the gateway's page
    notice = flow.ledger.simulate(order.link_id, "pay").notices[0]
    booked = json.dumps(flow.ledger.documents.for_reference(notice.document).facts, ensure_ascii=False)
    assert booked.count(hotel.label.en) == 1 and booked.count(hotel.label.te) == 1, booked  # named once


@pytest.mark.parametrize(("name", "towards"), [("తిరుపతి", "తిరుపతికి"), ("విజయవాడ", "విజయవాడకు"), ("గుంటూరు", "గుంటూరుకు"),
                                               ("విశాఖపట్నం", "విశాఖపట్నానికి"), ("అనంతపురం", "అనంతపురానికి"),
                                               ("హైదరాబాద్", "హైదరాబాద్\u200cకు")])
def test_a_telugu_destination_takes_the_ending_its_sound_asks_for(name, towards):
    from bot.texts import telugu_towards

    assert telugu_towards(name) == towards


@pytest.mark.parametrize(("service_id", "field"), [("apsrtc.book_ticket", "bus_type"),
                                                   ("endowments.darshan_booking", "darshan_type"),
                                                   ("endowments.seva_booking", "seva")])
def test_every_row_names_its_kind_by_the_catalogs_label(catalog, parts, service_id, field):
    """A Telugu reader sees "ప్రత్యేక ప్రవేశ దర్శనం", not the department's code "special_entry"."""
    flow, citizen_id, _ = parts
    service = catalog.services[service_id]
    choice = next(f for f in service.fields if f.name == field).choices[0]
    convo = Conversation(citizen_id, DialogueState(), "te", "te")
    flow.after_submit(convo, Submitted(service, "AP-TEST-7", _fields(service)))
    listing = convo.replies[-1]
    label = choice.label.te.split(" (")[0]
    lines = [line for line in listing.text.splitlines() if re.match(r"\d+\. ", line)]
    assert len(lines) == len(listing.rows) and all(label in line for line in lines), listing.text
    assert not any(choice.value in row.title for row in listing.rows), [row.title for row in listing.rows]


@pytest.mark.parametrize("service_id", sorted(BOOKABLE))
def test_a_telugu_citizens_ticket_names_the_choice_in_each_language(service_id, catalog, parts, session_factory):
    """The choice the citizen picked from a Telugu list ("09:00 శీఘ్ర దర్శనం") was printed in the ticket's English
    line and missing from its Telugu one."""
    flow = parts[0]
    service, convo = _listed(parts, catalog, service_id, "te")
    picked = convo.replies[-1].rows[0]
    assert flow.on_turn(convo, _turn(choice=picked.id))
    data = convo.state.flow_data
    if data["stage"] == "waiting":
        flow.ledger.simulate(flow.ledger.order(data["order"]).link_id, "pay")
    with session_factory() as session:
        issued = session.scalar(select(IssuedDocument).where(IssuedDocument.reference == data["booking"]))
    booked = next(d["value"] for d in issued.facts["details"] if d["label_en"] == "Booking")
    english, telugu = booked.split(f" · {service.name.te}", 1)
    assert not re.search(r"[\u0C00-\u0C7F]", english), english
    assert picked.title.rstrip("…") in telugu, (picked.title, telugu)


@pytest.mark.parametrize(("service_id", "asked", "said", "per"), [
    ("endowments.darshan_booking", "darshan_type", "ఏది తక్కువ?", "ఒక్కరికి"),
    ("endowments.accommodation_booking", "room_type", "gadi rate entha?", "ఒక్క గదికి, ఒక్క రాత్రికి"),
    ("endowments.seva_booking", "seva", "ఏ సేవకు ఎంత ధర?", "ఒక్కరికి")])
def test_prices_asked_at_a_kind_are_each_kinds_lowest_cheapest_first(catalog, parts, service_id, asked, said, per):
    flow, _, _ = parts
    service = catalog.services[service_id]
    answers = {k: v for k, v in _fields(service).items() if k != asked}
    told = flow.prices(service, answers, asked, said, "te")
    labels = {c.label.te.split(" (")[0]: c.value for c in next(f for f in service.fields if f.name == asked).choices}
    shown = re.findall(r"• (.+?): (.+)", told)
    assert f", {per}, తక్కువ నుంచి ఎక్కువ:" in told and {name for name, _ in shown} == set(labels), told
    paise = [0 if price == "రుసుము లేదు" else round(float(price.strip("₹").replace(",", "")) * 100)
             for _, price in shown]
    assert paise == sorted(paise) and len(set(paise)) > 1, told
    assert flow.prices(service, answers, "mobile", said, "te") == ""  # only at the kind's question
    assert flow.prices(service, answers, asked, labels and next(iter(labels)), "te") == ""  # an answer, not a question
    assert flow.prices(service, {}, asked, said, "te") == ""  # no place yet: nothing to look up

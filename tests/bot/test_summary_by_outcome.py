"""The summary and the confirmation say what fits the outcome: a bill's amount comes from the department next, a
booking's slot and fare are picked next, a payment shows its amount, an application its fee and days. No
"Fee: ₹0. Expected in 0 days" for a citizen about to pay or to book."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.application_desk import ApplicationDesk
from bot.payment_flow import BILL_SERVICES
from core.security import Vault
from payments.messages import fee_rupees
from tests.utils.chat import REFERENCE, Chat, all_text, answers_for, fill_fields, open_by_menu, pay_fee

NOTHING_OWED = re.compile(r"₹0\b|\b0 days|\b0 రోజుల్లో")


def _services(catalog, *outcomes):
    return sorted((s for s in catalog.services.values() if s.outcome.value in outcomes), key=lambda s: s.id)


def _answers(service, catalog, today) -> dict[str, str]:
    from bot.fields import check_answer

    values = {}
    for spec in service.fields:
        checked = check_answer(spec, answers_for(spec, catalog, today)[0], catalog.gazetteer, today)
        values[spec.name] = checked.value or ""
    return values


@pytest.fixture
def desk(catalog, connector):
    return ApplicationDesk(catalog, connector, Vault("test-secret"))


@pytest.mark.parametrize("language", ["en", "te"])
def test_no_bill_payment_or_booking_summary_promises_a_zero_fee_or_zero_days(desk, catalog, clock, language):
    services = _services(catalog, "payment_receipt", "booking")
    assert len(services) >= 20  # the catalog's 11 payments and 16 bookings
    for service in services:
        summary = desk.summary(service, _answers(service, catalog, clock().date()), language)
        assert not NOTHING_OWED.search(summary), (service.id, summary)
        if service.id in BILL_SERVICES:
            assert ("amount due" if language == "en" else "చెల్లించాల్సిన మొత్తాన్ని") in summary
        elif service.outcome.value == "booking" and not service.fee:
            assert ("what is free" if language == "en" else "ఖాళీగా ఉన్నవి") in summary, service.id
        elif service.outcome.value == "booking":  # "how much is the driving test" gets the figure
            fee = fee_rupees(service.fee)
            assert (f"Fee: ₹{fee}, paid when you book" if language == "en"
                    else f"రుసుము: ₹{fee}, బుక్ చేసేటప్పుడు") in summary, service.id


def test_a_bookings_catalog_fee_is_what_the_department_charges_for_the_slot(catalog):
    from bot.booking_flow import BOOKABLE
    from departments.schedule import SLOTS

    charged = [s for s in _services(catalog, "booking") if s.fee]
    assert charged, "no booking in the catalog names its fee"
    for service in charged:
        assert SLOTS[BOOKABLE[service.id].kind].price_paise == round(service.fee * 100), service.id


def test_a_payment_summary_names_the_amount_to_pay(desk, catalog, clock):
    service = catalog.services.get("anna_canteens.donate_meal")
    if service is None:
        pytest.skip("this catalog has no meal donation")
    values = {**_answers(service, catalog, clock().date()), "meals": "3"}
    assert "You will pay ₹105" in desk.summary(service, values, "en")  # 3 meals at ₹35


def test_an_application_summary_keeps_its_fee_and_days(desk, catalog, clock):
    paid = next(s for s in _services(catalog, "certificate") if s.fee and s.sla_days)
    free = next(s for s in _services(catalog, "application") if not s.fee and s.sla_days)
    complaint = next(s for s in _services(catalog, "grievance_ticket") if s.sla_days)
    today = clock().date()
    assert f"Fee: ₹{paid.fee:g} (the office starts once it is paid). Expected in {paid.sla_days} days." in desk.summary(
        paid, _answers(paid, catalog, today), "en")
    assert f"రుసుము: ₹{paid.fee:g} (చెల్లించిన తర్వాతే కార్యాలయం పని మొదలుపెడుతుంది). {paid.sla_days} రోజుల్లో" in \
        desk.summary(paid, _answers(paid, catalog, today), "te")
    assert f"No fee. Expected in {free.sla_days} days." in desk.summary(free, _answers(free, catalog, today), "en")
    assert f"To be resolved in {complaint.sla_days} days." in desk.summary(  # a complaint is not "given"
        complaint, _answers(complaint, catalog, today), "en")
    assert "పరిష్కరించాలి" in desk.summary(complaint, _answers(complaint, catalog, today), "te")


def test_a_bill_is_confirmed_by_its_reference_then_shown_with_its_amount(make_bot, catalog):
    service = catalog.services["energy.pay_electricity_bill"]
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    summary = fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())[-1]
    assert "Fee" not in summary.text and "amount due" in summary.text
    replies = chat.say(choice="submit")
    confirmation = replies[0].text
    assert confirmation.startswith("Noted. Your reference number is *AP-") and not NOTHING_OWED.search(confirmation)
    assert "Amount due: ₹" in all_text(replies[1:]) and [b.id for b in replies[-1].buttons] == ["pay", "stop"]


def test_a_free_booking_ends_with_its_slot_not_a_fee_of_nothing(make_bot, catalog):
    service = catalog.services.get("gsws.secretariat_appointment")
    if service is None:
        pytest.skip("this catalog has no secretariat appointment")
    chat = Chat(make_bot())
    open_by_menu(chat, service, "te")
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date(), "te")
    replies = chat.say(choice="submit")
    assert replies[0].text.startswith("నమోదు చేశాను") and not NOTHING_OWED.search(all_text(replies))
    slots = replies[-1].rows
    assert slots, all_text(replies)
    booked = all_text(chat.say(choice=slots[0].id))
    time_of_slot = slots[0].title.split(". ", 1)[-1].split(" ·")[0]
    assert time_of_slot in booked and not NOTHING_OWED.search(booked)


def _at_the_slot_list(make_bot, catalog, language: str) -> tuple[Chat, list]:
    service = catalog.services.get("gsws.secretariat_appointment")
    if service is None:
        pytest.skip("this catalog has no secretariat appointment")
    chat = Chat(make_bot())
    open_by_menu(chat, service, language)
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date(), language)
    return chat, chat.say(choice="submit")[-1].rows


@pytest.mark.parametrize(("said", "language"), [("two", "en"), ("rendu", "te"), ("రెండు", "te")])
def test_a_slot_is_picked_by_its_number_in_words(make_bot, catalog, said, language):
    chat, slots = _at_the_slot_list(make_bot, catalog, language)
    booked = all_text(chat.say(said))
    assert slots[1].title.split(". ", 1)[-1].split(" ·")[0] in booked, booked
    assert re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", booked), booked  # the day in figures, no English month


@pytest.mark.parametrize("said", ["ఉదయం 11 గంటలకు", "11 o'clock", "11 ki"])
def test_an_hour_said_alone_is_that_hour_on_the_dot(make_bot, catalog, said):
    service = catalog.services["gsws.aadhaar_appointment"]  # slots every half hour: 11:00 and 11:30
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())
    rows = chat.say(choice="submit")[-1].rows
    assert any("11:30" in r.title for r in rows) and any("11:00" in r.title for r in rows)
    booked = all_text(chat.say(said))
    assert "11:00" in booked and "11:30" not in booked, booked


def test_the_slip_names_the_place_booked(make_bot, catalog):
    from tests.applications.test_documents import page_text

    chat, slots = _at_the_slot_list(make_bot, catalog, "en")
    slip = next(r for r in chat.say(choice=slots[0].id) if r.kind == "document")
    text = " ".join(page_text(slip.document.content).split())
    mandal = next(f for f in catalog.services["gsws.secretariat_appointment"].fields if f.name == "mandal")
    answered = answers_for(mandal, catalog, chat.bot.dialogue.clock().date())[0]
    assert answered.casefold() in text.casefold(), text


def test_a_sentence_asking_to_cancel_at_the_slot_list_cancels(make_bot, catalog):
    chat, _ = _at_the_slot_list(make_bot, catalog, "te")
    assert all_text(chat.say("naa booking cancel cheyandi")).startswith("రద్దు చేశాను")
    assert all_text(chat.say("cancel")).startswith("ప్రస్తుతం ఏ అభ్యర్థనా లేదు")  # nothing left in progress


def test_the_schedule_does_not_move_a_bill_request_to_issued(make_bot, catalog, connector, clock):
    """A bill's outcome is its receipt: the embedded department's schedule leaves its request alone (else the
    citizen would be told "your application … is now: issued" about an electricity bill)."""
    from datetime import timedelta

    service = catalog.services["energy.pay_electricity_bill"]
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, clock().date())
    reference = re.search(r"AP-[A-Z]{3}-\d{4}-\d{6}", chat.say(choice="submit")[0].text).group(0)
    certificate = catalog.services["revenue.income_certificate"]
    other = Chat(make_bot(), citizen="919800000077")
    open_by_menu(other, certificate)
    fill_fields(other.say, certificate.fields, catalog, clock().date())
    applied = re.search(r"AP-[A-Z]{3}-\d{4}-\d{6}", other.say(choice="submit")[0].text).group(0)
    pay_fee(other)  # the office starts on it once its fee is paid
    moved = {ref for ref, _ in connector.advance(clock() + timedelta(days=400))}
    assert applied in moved and reference not in moved


@pytest.fixture
def appointment(make_bot, catalog):
    """A citizen's chat that has just booked a secretariat appointment: (bot, chat, the replies to the submit,
    the replies to the pick, the booking number)."""
    service = catalog.services.get("gsws.secretariat_appointment")
    if service is None:
        pytest.skip("this catalog has no secretariat appointment")
    bot = make_bot()
    chat = Chat(bot)
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, bot.dialogue.clock().date())
    submitted = chat.say(choice="submit")
    booked = chat.say(choice=submitted[-1].rows[0].id)
    return bot, chat, submitted, booked, re.search(r"Booked: (\w+),", all_text(booked)).group(1)


def test_a_booking_gives_one_number_for_its_slip_status_and_cancellation(appointment):
    """No mitra request number beside the booking's: the number on the slip answers a status question and cancels
    it; another citizen asking by that number learns nothing."""
    bot, chat, submitted, booked, number = appointment
    assert not REFERENCE.search(all_text(submitted + booked))  # one number: the booking's
    assert booked[0].document is not None and number in booked[0].document.filename
    assert f"Booking {number} is confirmed" in all_text(chat.say(f"status of {number}"))
    assert f"No booking {number}" in all_text(Chat(bot, citizen="919800000099").say(f"status of {number}"))
    assert f"Booking {number} cancelled" in all_text(chat.say(f"cancel {number.lower()}"))
    assert f"Booking {number} (" in all_text(chat.say(number)) and "was cancelled" in all_text(chat.say(number))


def test_the_booking_number_alone_cancels_it_in_the_ticket_cancellation_form(appointment, catalog):
    """The cancellation form asks for the number on the ticket; mitra's booking number (BK…) is that number."""
    _, chat, _, _, number = appointment
    open_by_menu(chat, catalog.services["apsrtc.cancel_ticket"])
    assert f"Booking {number} cancelled" in all_text(chat.say(number))
    assert "was cancelled" in all_text(chat.say(f"status of {number}"))


def bus_offers(make_bot, catalog, language: str) -> tuple[Chat, list]:
    """A citizen who asked for 2 seats from Vijayawada to Tirupati in 4 days, any bus: the chat and the buses."""
    chat = Chat(make_bot())
    open_by_menu(chat, catalog.services["apsrtc.book_ticket"], language)
    day = chat.bot.dialogue.clock().date() + timedelta(days=4)
    for answer in ("Vijayawada", "Tirupati", f"{day:%d-%m-%Y}", "2", "skip", "9848012345"):
        chat.say(answer)
    return chat, chat.say(choice="submit")[-1].rows


@pytest.mark.parametrize(("night", "language"), [("{h}.{m} night {kind}", "en"), ("rathri {h}.{m} {kind}", "te"),
                                                 ("రాత్రి {h}.{m} {kind}", "te")])
def test_a_bus_is_picked_by_its_time_and_kind_in_words(make_bot, catalog, night, language):
    chat, rows = bus_offers(make_bot, catalog, language)
    shorts = [r.title.split(". ", 1)[-1] for r in rows]  # "20:45 Express"
    times = [s.split(" ", 1)[0] for s in shorts]
    short = next(s for s in shorts if s.split(" ", 1)[0] >= "13:" and
                 sum(t[3:] == s[3:5] and int(t[:2]) % 12 == int(s[:2]) % 12 for t in times) == 1)
    hour, minutes, kind = int(short[:2]) - 12, short[3:5], short.split(" ", 1)[1]
    booked = all_text(chat.say(night.format(h=hour, m=minutes, kind=kind)))
    assert short.split(" ", 1)[0] in booked and "pick" not in booked.casefold(), booked


@pytest.mark.parametrize(("evening", "morning", "language"), [("the evening bus", "morning bus", "en"),
                                                              ("sayantram bus", "udayam bus", "te"),
                                                              ("సాయంత్రం బస్సు", "ఉదయం", "te")])
def test_a_bus_is_picked_by_the_part_of_the_day_alone(make_bot, catalog, evening, morning, language):
    """"the evening bus": no clock time, but one bus leaves between 4 and 8 pm; several leave in the morning, so
    "morning bus" lists those, each under its number in the first list."""
    chat, rows = bus_offers(make_bot, catalog, language)
    starts = [r.title.split(". ", 1)[-1].split(" ", 1)[0] for r in rows]
    in_the_evening = [t for t in starts if "16:" <= t < "20:"]
    in_the_morning = [r.id for r, t in zip(rows, starts) if "04:" <= t < "12:"]
    assert len(in_the_evening) == 1 and len(in_the_morning) > 1, starts
    asked_again = chat.say(morning)[-1]
    assert [r.id for r in asked_again.rows] == in_the_morning, asked_again
    booked = all_text(chat.say(evening))
    assert in_the_evening[0] in booked and "pick" not in booked.casefold(), (starts, booked)


@pytest.mark.parametrize(("said", "times"), [("poddune 6 ki", ["06:00", "06:"]), ("పొద్దున్నే 6 గంటలకు", ["06:00", "06:"]),
                                            ("sayankalam 6", ["18:00", "18:"]), ("6 ki", ["06:00", "06:", "18:00", "18:"])])
def test_an_hour_said_with_the_part_of_the_day_in_everyday_words_is_that_hour(said, times):
    """"poddune 6 ki" (early morning, at 6) to a darshan's times listed both 06:00 and 18:00 in a walk."""
    from bot.booking_flow import _times_said

    assert _times_said(said) == times


@pytest.mark.parametrize(("said", "place", "language"), [("the second one", 1, "en"), ("rendodi", 1, "te"),
                                                         ("మూడోది", 2, "te"), ("last one", -1, "en"),
                                                         ("chivaridi", -1, "te")])
def test_a_bus_is_picked_by_its_place_in_the_list(make_bot, catalog, said, place, language):
    """"modatidi" to a boat's times was "please pick one from the list" in a walk: a place said as an ordinal."""
    chat, rows = bus_offers(make_bot, catalog, language)
    start = rows[place].title.split(". ", 1)[-1].split(" ", 1)[0]
    booked = all_text(chat.say(said))
    assert start in booked and "pick" not in booked.casefold(), (start, booked)


@pytest.mark.parametrize(("said", "language"), [("the cheapest one", "en"), ("takkuva dhara di", "te"),
                                                ("rathri takkuva bassu", "te")])
def test_the_cheapest_bus_is_the_lowest_fare_of_those_that_fit(make_bot, catalog, said, language):
    """"the cheapest one" at the list of buses was "please pick one from the list" in a walk: the lowest fare among
    the buses the rest of the message fits (at night, in the list shown), held when one, listed when several."""
    chat, rows = bus_offers(make_bot, catalog, language)
    fares = {r.id: int(re.search(r"₹([\d,]+)", r.description).group(1).replace(",", "")) for r in rows}
    starts = {r.id: r.title.split(". ", 1)[-1].split(" ", 1)[0] for r in rows}
    fit = [r for r in fares if "rathri" not in said or starts[r] >= "19:" or starts[r] < "04:"]
    cheapest = [r for r in fit if fares[r] == min(fares[f] for f in fit)]
    assert len(set(fares.values())) > 1 and cheapest, (fares, starts)
    answer = chat.say(said)
    if len(cheapest) == 1:
        assert starts[cheapest[0]] in all_text(answer) and "pick" not in all_text(answer).casefold()
    else:
        assert [r.id for r in answer[-1].rows] == cheapest, answer[-1]


def test_a_place_is_counted_in_the_list_last_shown(make_bot, catalog):
    """After "morning bus" listed the morning buses, "the second one" was the whole list's second in a walk."""
    chat, rows = bus_offers(make_bot, catalog, "en")
    lists = (chat.say(f"{part} bus")[-1].rows for part in ("morning", "afternoon", "night"))
    listed = next(r for r in lists if len(r) > 1 and r[1].id != rows[1].id)  # the last list asked for
    start = listed[1].title.split(". ", 1)[-1].split(" ", 1)[0]
    booked = all_text(chat.say("the second one"))
    assert start in booked and "pick" not in booked.casefold(), (start, booked)


def test_an_appointment_slip_says_what_it_is_for(appointment, catalog):
    """The counter reads from the slip whom the citizen comes to see (the purpose chosen), in both languages."""
    from tests.applications.test_documents import page_text

    *_, booked, _ = appointment
    spec = next(f for f in catalog.services["gsws.secretariat_appointment"].fields if f.name == "purpose")
    chosen = spec.choices[-1].label  # fill_fields answers a choice with its last option
    text = " ".join(page_text(booked[0].document.content).split())
    assert chosen.en in text and chosen.te in text, text


def test_a_fee_is_written_as_every_amount_is(desk, catalog, clock):
    """"₹6000" in a summary beside "₹6,276" on the bill: one way to write money (Indian grouping) everywhere."""
    tap = catalog.services["municipal.water_tap_connection"]
    assert tap.fee >= 1000
    summary = desk.summary(tap, _answers(tap, catalog, clock().date()), "en")
    assert f"Fee: ₹{tap.fee:,.0f} (" in summary and f"₹{tap.fee:g}" not in summary


@pytest.mark.parametrize(("said", "told", "language"), [
    ("loan entha varaku istaru?", "కార్యాలయం చెబుతుంది", "te"),  # a walk: "please tap a button"
    ("how much loan will I get", "the BC Welfare office can", "en"),
    ("fee entha?", "", "te"),  # in the summary already: shown again, no scolding
    ("asdf qwer", "tap one of the buttons", "en")])
def test_a_message_at_the_summary_that_is_no_answer_gets_a_reply_for_what_it_is(make_bot, catalog, said, told,
                                                                                 language):
    service = catalog.services["bc_welfare.bc_corporation_loan"]
    chat = Chat(make_bot())
    open_by_menu(chat, service, language)
    summary = fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())[-1]
    answer = chat.say(said)
    assert answer[-1].text == summary.text and [b.id for b in answer[-1].buttons] == ["submit", "back", "cancel"]
    assert (told in answer[0].text) if told else len(answer) == 1, all_text(answer)
    assert "submitted" not in all_text(answer).casefold()

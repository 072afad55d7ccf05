"""After a booking service's form: list what is free, hold the pick, then pay or confirm, and the document.

Every booking-type service (buses, darshan, sevas, rooms, appointments, job melas, tours, boating, sports
facilities…) goes the same way: availability from the department system, a hold, then either a payment link
(the hold lasts as long as the link; the e-ticket comes from the gateway's paid event, the ledger confirms the
hold) or, when the place is free of charge, confirmation at once with the appointment slip. An unpaid hold
expires and its seats go back on sale; a confirmed free booking can be cancelled with its button.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot import render
from bot.fields import display_value
from bot.hooks import GlobalCommand, Submitted
from bot.payment_flow import CANCEL_TICKET, cancel_booking
from bot.payment_flow import contact as _contact
from bot.texts import column_of, telugu_towards
from catalog.schema import Bilingual
from core.india_time import india_text, india_today
from departments import DepartmentError, DepartmentUnavailable, Offer, SoldOut
from nlu import words
from nlu.entities.amounts import words_to_figures
from nlu.entities.positions import ordinal_position
from nlu.normalize import normalize
from payments import messages
from payments.ledger import GatewayError, Payable, PaymentLedger

log = logging.getLogger(__name__)

STEP = "flow:booking"
LIST_ROWS = 10  # a WhatsApp list shows at most ten rows
DAYS_AHEAD = 3  # a service whose form asks no date offers the next days' slots
CANCEL_BOOKING = {"cancel booking", "cancel the booking", "booking cancel", "బుకింగ్ రద్దు", "booking raddu"}
# A department's booking number in a message ("status of BK3F09A1C2D4", "cancel bk3f09a1c2d4"): letters and
# figures together; only one mitra recorded for a booking is taken as one.
BOOKING_NUMBER = re.compile(r"(?<![A-Z0-9])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,16}(?![A-Z0-9])")
# "naa booking status enti", "my bookings", "నా బుకింగ్ వివరాలు": a booking word with a word of one's own or of
# asking after it, and no word of making a new one ("kotha booking")
BOOKING_WORDS = {"booking", "bookings", "bukking", "buking", "బుకింగ్", "బుకింగ్లు", "బుకింగులు", "బుకింగ్స్"}
ASKING_AFTER = {"my", "naa", "na", "maa", "నా", "మా", "status", "details", "sthithi", "stithi", "స్థితి", "స్టేటస్",
                "vivaralu", "వివరాలు", "enti", "emiti", "ఏంటి", "ఏమిటి", "check", "chudali", "చూడాలి", "show"}
NEW_BOOKING = {"new", "another", "kotha", "kottha", "inkoka", "కొత్త", "మరో", "మరొక"}
UPCOMING_FROM = timedelta(hours=6)  # a booking that began this morning is still the citizen's today
# "which is cheapest?", "edi takkuva?", "AC ki entha?" at the bus type (darshan, seva, room type): the prices
ASKS_PRICE = re.compile(r"(?<![\wఀ-౿])(?:cheap|cheaper|cheapest|price|prices|fare|fares|rate|rates|cost|costs|"
                        r"how much|entha|enta|takkuva|thakkuva|dhara|dhera|ధర|ధరలు|ఛార్జీ|ఛార్జీలు|తక్కువ|"
                        r"రేటు|ఎంత)(?![\wఀ-౿])")
CHEAPEST = re.compile(r"(?<![\wఀ-౿])(?:cheap|cheaper|cheapest|lowest|least|takkuva\w*|thakkuva\w*|తక్కువ\S*)(?![\wఀ-౿])")
PRICED_PER = {"bus": "per_seat", "darshan": "per_person", "seva": "per_person", "room": "per_night"}


@dataclass(frozen=True)
class Bookable:
    """How a booking service's answers become a department search (field names from the catalog)."""

    kind: str  # bus | darshan | seva | room | a departments.schedule.SLOTS kind
    place: str  # the field naming where (town, temple, office, district…)
    day: str | None  # the date field; None: the next DAYS_AHEAD days
    category: str | None = None  # the field holding the type / purpose / speciality
    count: str | None = None  # the field holding persons, travellers or rooms
    span: str | None = None  # nights (rooms) or hours (a facility): consecutive resources held together
    slip: str = "appointment"  # ticket | appointment: what the document is called
    fixed_category: str = ""
    extra: tuple[str, ...] = ()  # other fields the search needs (a bus's destination)


COUNTED_BY_KIND = {"bus": "seats", "room": "rooms"}  # what a ticket numbers; any other booking counts persons
NAMED_BY_OFFER = {"bus", "darshan", "seva", "room", "tour", "boating", "sports"}  # the offer's title names its kind

BOOKABLE = {
    "apsrtc.book_ticket": Bookable("bus", "from_town", "travel_date", "bus_type", "passengers", slip="ticket",
                                   extra=("to_town",)),
    "endowments.darshan_booking": Bookable("darshan", "temple", "darshan_date", "darshan_type", "persons",
                                           slip="ticket"),
    "endowments.seva_booking": Bookable("seva", "temple", "seva_date", "seva", slip="ticket"),
    "endowments.accommodation_booking": Bookable("room", "temple", "check_in_date", "room_type", span="nights",
                                                 slip="ticket"),
    "tourism.hotel_booking": Bookable("room", "location", "check_in_date", None, "rooms", "nights", "ticket",
                                      "haritha"),
    "tourism.tour_package_booking": Bookable("tour", "package", "travel_date", "package", "travellers",
                                             slip="ticket"),
    "tourism.boating_ticket": Bookable("boating", "boating_point", "travel_date", "boating_point", "travellers",
                                       slip="ticket"),
    "youth_sports.facility_booking": Bookable("sports", "location", "booking_date", "sport", span="hours",
                                              slip="ticket"),
    "gsws.secretariat_appointment": Bookable("secretariat", "mandal", "appointment_date", "purpose"),
    "gsws.aadhaar_appointment": Bookable("aadhaar", "mandal", "appointment_date", "aadhaar_service"),
    "health.op_appointment": Bookable("op", "hospital", "visit_date", "speciality"),
    "registration.slot_booking": Bookable("registration", "sub_registrar_office", "slot_date", "document_type"),
    "transport.learner_licence": Bookable("llr_test", "district", "test_date", "vehicle_class"),
    "transport.driving_licence_test": Bookable("dl_test", "district", "test_date", "vehicle_class"),
    "skill_development.job_mela_registration": Bookable("job_mela", "district", None, "qualification"),
    "animal_husbandry.veterinary_visit": Bookable("vet_visit", "mandal", None, "animal"),
    "agriculture.subsidised_seeds": Bookable("seed_collection", "mandal", None, "crop"),
}
COLUMNS = ("en", "te")


@dataclass
class BookingFlow:
    ledger: PaymentLedger
    departments: object  # departments.DepartmentSystem
    hold_minutes: int = 20
    gazetteer: object = None  # catalog.schema.Gazetteer: the place booked named on the ticket ("Srisailam")
    step: str = STEP

    SERVICES = tuple(BOOKABLE)

    def after_submit(self, convo, submitted: Submitted) -> None:
        how = BOOKABLE.get(submitted.service.id)
        if how is None:
            return  # not a booking of a place or time: the reference number is the answer
        f = submitted.fields
        wanted = [how.place, *how.extra, how.day, how.category, how.count, how.span]
        data = {"service_id": submitted.service.id, "reference": submitted.reference,
                "description": submitted.service.name.en, "name_te": submitted.service.name.te,
                "fields": {k: f.get(k, "") for k in wanted if k}, "count": _count(how, f),
                "contact": _contact(f), "holder": submitted.service.holder_name(f),
                "place": self._place(submitted.service, how, f),
                "category_labels": _choice_labels(submitted.service, how.category)}
        convo.state.step, convo.state.flow_data = STEP, data
        self._offer(convo)

    def prices(self, service, answers: dict, asked: str, said: str, language: str) -> str:
        """"which is cheapest?" at the bus type (darshan, seva or room type): each kind's lowest price at the place
        (and on the day) already given, cheapest first; "" where that is not what was asked or cannot be looked up
        yet (it was refused as no bus type)."""
        how = BOOKABLE.get(service.id)
        if how is None or how.kind not in PRICED_PER or asked != how.category or \
                ASKS_PRICE.search(said.casefold()) is None or not all(answers.get(n) for n in (how.place, *how.extra)):
            return ""
        data = {"service_id": service.id, "fields": answers, "category_labels": _choice_labels(service, how.category)}
        dated = bool(_day(data))
        day = _date(data) if dated else india_today() + timedelta(days=1)  # a seva's price is not the day's
        try:
            lowest = self._lowest_prices(how, data, day)
        except DepartmentError as exc:  # a department that is down is told when the form is done
            log.info("prices for %s not found: %s", service.id, exc)
            return ""
        column = column_of(language)
        lines = "\n".join(f"• {_category(data, code, column)}: "
                          f"{f'₹{messages.rupees(paise)}' if paise else messages.say('no_fee', language)}"
                          for code, paise in sorted(lowest.items(), key=lambda item: item[1]))
        key = "prices_on" if dated else "prices"
        return messages.say(key, language, day=_shown_day(data), lines=lines,
                            per=messages.say(PRICED_PER[how.kind], language)) if lines else ""

    def _lowest_prices(self, how: Bookable, data: dict, day: date) -> dict[str, int]:
        """Each kind's lowest price (paise): one search of the route for a bus, one per kind else."""
        f, kinds = data["fields"], data["category_labels"]
        if how.kind == "bus":
            offers = self.departments.search_buses(f["from_town"], f["to_town"], day)
        elif how.kind == "room":
            offers = [o for kind in kinds for o in self.departments.search_rooms(f[how.place], day, 1, kind)]
        else:
            offers = [o for kind in kinds for o in self.departments.search_slots(f[how.place], day, how.kind, kind)]
        lowest: dict[str, int] = {}
        for offer in offers:
            lowest[offer.category] = min(lowest.get(offer.category, offer.price_paise), offer.price_paise)
        return lowest

    def _place(self, service, how: Bookable, answers: dict) -> dict:
        """The place booked as the ticket names it, in both languages ({} when the form asks none, and for a
        bus, whose title names its route)."""
        spec = next((f for f in service.fields if f.name == how.place), None)
        value = answers.get(how.place or "", "")
        if how.kind == "bus" or spec is None or not value or self.gazetteer is None:
            return {}
        return {lang: display_value(spec, value, self.gazetteer, lang) for lang in ("en", "te")}

    def on_turn(self, convo, turn) -> bool:
        data, lang = convo.state.flow_data, convo.language
        stage = data.get("stage")
        if stage == "down":
            self._offer(convo)
            return True
        if stage == "pick":
            if _says_cancel(turn):  # "naa booking cancel cheyandi": a sentence, not the bare word the dialogue knows
                convo.state.discard_form()
                convo.add(render.text(convo.t.say("cancelled")))
                return True
            offers = data["offers"]
            fitting = _fitting(offers, turn.choice_id, turn.said, data.get("shown"))
            if len(fitting) == 1:
                self._hold(convo, fitting[0])
            elif 1 < len(fitting) < len(offers):  # "the morning bus" and two leave in the morning: those two
                self._list(convo, "pick_among", [(offers.index(o), o) for o in fitting])
            else:
                convo.add(render.text(messages.say("pick_from_list", lang)))
            return True
        if stage == "waiting":
            order = self.ledger.order(data["order"])
            if order is not None and order.status in ("created", "failed") and words.yes_or_no(turn.text):
                convo.add(render.text(messages.say("waiting_payment", lang, amount=messages.rupees(
                    order.amount_paise), url=order.short_url)))
                return True
        if stage == "booked" and (turn.choice_id == "cancel_booking" or turn.said in CANCEL_BOOKING):
            self._cancel(convo, data["booking"])
            return True
        convo.state.reset()
        return False

    def _offer(self, convo) -> None:
        data, lang = convo.state.flow_data, convo.language
        column = column_of(lang)  # a row is short: one language
        try:
            offers = self._search(data, column)
        except DepartmentUnavailable:
            data["stage"] = "down"
            convo.add(render.buttons(messages.say("department_down", lang, what=_what(data)),
                                     [("retry", "Retry")]))
            return
        except DepartmentError as exc:  # e.g. a kind of room or slot this department does not have
            convo.state.reset()
            convo.add(render.text(str(exc)))
            return
        count = data["count"]
        fitting = [o for o in offers if o["free"] >= count][:LIST_ROWS]
        f = data["fields"]
        if not fitting:
            convo.state.reset()
            key = "no_buses" if data["service_id"] == "apsrtc.book_ticket" else "no_slots"
            kind = _category(data, f["bus_type"], column) if f.get("bus_type") else ""
            convo.add(render.text(messages.say(key, lang, kind=kind,
                                               origin=_town(f.get("from_town")),
                                               destination=_town(f.get("to_town"), towards=True), day=_shown_day(data) or "-",
                                               count=count)))
            return
        data.update(stage="pick", offers=fitting)
        if data["service_id"] == "apsrtc.book_ticket":
            key = "buses"
        else:
            key = "rooms" if BOOKABLE[data["service_id"]].kind == "room" else "slots"
        self._list(convo, key, list(enumerate(fitting)))

    def _list(self, convo, key: str, numbered: list[tuple[int, dict]]) -> None:
        """Offers as a list, each under its number in the whole list (a digit or a tap names the same one)."""
        data, lang, column = convo.state.flow_data, convo.language, column_of(convo.language)
        f = data["fields"]
        data["shown"] = [i for i, _ in numbered]  # "the first one" is the first of the list last shown
        rows = [(f"offer:{i}", o["short"], _row_note(o, column)) for i, o in numbered]
        lines = "\n".join(f"{i + 1}. {o['short']} · {_row_note(o, column)}" for i, o in numbered)
        body = messages.say(key, lang, lines=lines, what=_what(data), day=_shown_day(data) or messages.say(
            "next_days", lang), origin=_town(f.get("from_town")), destination=_town(f.get("to_town"), towards=True))
        convo.add(render.choice_list(body, rows, messages.say("list_choose", lang).split("\n")[0]))

    def _search(self, data: dict, column: str) -> list[dict]:
        how, f = BOOKABLE[data["service_id"]], data["fields"]
        place = f.get(how.place, "")
        category = how.fixed_category or f.get(how.category or "", "")
        if how.kind == "bus":
            offers = self.departments.search_buses(f["from_town"], f["to_town"], _date(data))
            wanted = f.get("bus_type")
            offers = [o for o in offers if not wanted or o.category == wanted] or offers
            return [_offer_row(o, {c: f"{o.starts} {_category(data, o.category, c, o.title.split(' · ')[1])}"
                                   for c in COLUMNS}, column, [o.resource_key]) for o in offers]
        if how.kind == "room":
            nights = self.departments.search_rooms(place, _date(data), _span(f, how), category)
            # a hotel with one kind of room (APTDC's "haritha") is named by its place: "అరకు లోయ · 2 రాత్రులు"
            named = {c: _category(data, category, c, data.get("place", {}).get(c, "")) for c in COLUMNS}
            stay = _offer_row(nights[0], {c: f"{named[c]} · "
                                             f"{messages.say('nights', c, count=len(nights))}" for c in COLUMNS},
                              column, [o.resource_key for o in nights])
            stay.update(price=sum(o.price_paise for o in nights), free=min(o.free for o in nights))
            return [stay]
        days = [_date(data)] if how.day else [india_today() + timedelta(days=n) for n in range(1, DAYS_AHEAD + 1)]
        rows = []
        for day in days:
            slots = self.departments.search_slots(place, day, how.kind, category)
            for i, o in enumerate(slots):
                run = slots[i:i + _span(f, how)] if how.span else [o]
                if len(run) < (_span(f, how) if how.span else 1):
                    break  # the facility closes before the hours asked for are over
                if not how.day:
                    shorts = dict.fromkeys(COLUMNS, f"{day:%d-%m} {o.starts}")
                elif o.kind in ("darshan", "seva"):
                    shorts = {c: f"{o.starts} {_category(data, o.category, c)}" for c in COLUMNS}
                else:
                    shorts = dict.fromkeys(COLUMNS, o.starts)
                row = _offer_row(o, shorts, column, [r.resource_key for r in run])
                row.update(price=sum(r.price_paise for r in run), free=min(r.free for r in run))
                rows.append(row)
        return rows

    def _hold(self, convo, offer: dict) -> None:
        data, lang = convo.state.flow_data, convo.language
        try:
            hold = self.departments.hold(offer["keys"], data["count"], f"citizen:{convo.citizen_db_id}",
                                         self.hold_minutes)
        except SoldOut:
            convo.add(render.text(messages.say("sold_out", lang)))
            self._offer(convo)
            return
        except DepartmentUnavailable:
            data["stage"] = "down"
            convo.add(render.text(messages.say("department_down", lang, what=_what(data))))
            return
        how = BOOKABLE[data["service_id"]]
        # a bus's title names its route and service number; a room's or slot's holds the department's own keys
        shorts = offer.get("shorts") or dict.fromkeys(COLUMNS, offer["short"])  # a list shown before both were kept
        chosen = {**shorts, "en": offer["title"]} if how.kind == "bus" else shorts  # a bus: its route and number
        place = data.get("place") or {}
        for_what = {column: _purpose(data, how, column) for column in COLUMNS}
        slip = {"kind": how.slip, "counted": COUNTED_BY_KIND.get(how.kind, "persons"),
                "what_en": f"{data['description']}: " + _once(place.get("en"), for_what["en"], chosen["en"]),
                "what_te": _once(data["name_te"], place.get("te"), for_what["te"], chosen["te"]),
                "when": f"{date.fromisoformat(offer['day']):%d-%m-%Y} {offer['starts']}",
                "starts": f"{offer['day']}T{offer['starts']}"}
        if hold.amount_paise == 0:
            self._confirm_free(convo, hold.reference, slip)
            return
        payable = Payable(data["service_id"], "booking", f"hold:{hold.reference}", hold.amount_paise,
                          f"{data['description']} · {shorts['en']} · {date.fromisoformat(offer['day']):%d-%m-%Y}",
                          (("Booking", hold.reference), ("What", slip["what_en"]), ("Date", slip["when"]),
                           ("Persons", str(data["count"]))),
                          contact=data.get("contact", ""), booking_reference=hold.reference, expire_by=hold.expires_at,
                          description_te=data["name_te"], holder=data.get("holder", ""), slip=slip)
        try:
            order = self.ledger.open_order(convo.citizen_db_id, payable, lang)
        except GatewayError as exc:
            log.warning("payment link for hold %s failed: %s", hold.reference, exc)
            self.departments.cancel(hold.reference, hold.expires_at)  # let the seats go at once
            data["stage"] = "down"
            convo.add(render.text(messages.say("gateway_down", lang)))
            return
        data.update(stage="waiting", order=order.reference, booking=hold.reference)
        convo.add(render.text(messages.say("held", lang, until=messages.india_time(hold.expires_at), what=_what(data),
                                           choice=offer["short"], day=f"{date.fromisoformat(offer['day']):%d-%m-%Y}",
                                           count=data["count"], price=messages.rupees(offer["price"]),
                                           amount=messages.rupees(hold.amount_paise))))
        convo.add(render.text(messages.say(f"pay_link_{slip['kind']}", lang, amount=messages.rupees(order.amount_paise),
                                           url=order.short_url, until=messages.india_time(order.expire_by))))

    def _confirm_free(self, convo, reference: str, slip: dict) -> None:
        """Nothing to pay: the department confirms the hold at once and the slip is the answer."""
        data, lang = convo.state.flow_data, convo.language
        try:
            booking = self.departments.confirm(reference)
        except DepartmentError as exc:
            log.warning("confirming free booking %s failed: %s", reference, exc)
            data["stage"] = "down"
            convo.add(render.text(messages.say("department_down", lang, what=_what(data))))
            return
        details = {"slip": slip, "holder": data.get("holder", ""), "contact": data.get("contact", "")}
        self.ledger.record_booking(convo.citizen_db_id, data["service_id"], booking, slip)
        document = self.ledger.issue_ticket(details, booking)
        data.update(stage="booked", booking=booking.reference)
        caption = messages.say("booked_free", lang, booking=booking.reference, when=slip["when"])
        register = self.ledger.documents
        doc = register.for_reference(document) if register is not None and document else None
        if doc is not None:
            convo.add(render.document(caption, register.filename(doc), register.pdf(doc)))
        else:
            convo.add(render.text(caption))
        convo.add(render.buttons(messages.say("cancel_offer", lang),
                                 [("cancel_booking", messages.say("button_cancel_booking", lang).split("\n")[0])]))

    def _cancel(self, convo, reference: str) -> None:
        convo.state.reset()
        cancel_booking(convo, self.departments, self.ledger, reference)

    @property
    def command(self) -> GlobalCommand:
        """A booking's number at any point: its status, or with a cancel word ("cancel BK…", "BK… raddu") its
        cancellation. The number on the ticket or slip is the one number the citizen needs."""
        return GlobalCommand("booking_number", lambda turn: self._booking_in(turn.text) is not None,
                             self._about_booking)

    @property
    def own_bookings_command(self) -> GlobalCommand:
        """"My bookings" without a number: the citizen's upcoming bookings, each with its number."""
        return GlobalCommand("own_bookings", lambda turn: asks_after_own_bookings(turn.text), self._own_bookings,
                             defers_to=self.step)

    def _own_bookings(self, convo, turn) -> None:
        lang = convo.language
        mine = self.ledger.citizen_bookings(convo.citizen_db_id, self.ledger.clock() - UPCOMING_FROM)
        if not mine:
            convo.add(render.text(messages.say("no_bookings", lang)))
            return
        lines = [_about(booking, lang) for booking in mine]
        convo.add(render.text("\n".join(lines if len(lines) == 1 else [messages.say("your_bookings", lang), *lines])))

    def _booking_in(self, text: str):
        return next((b for b in map(self.ledger.citizen_booking, BOOKING_NUMBER.findall((text or "").upper()))
                     if b is not None), None)

    def _about_booking(self, convo, turn) -> None:
        booking, lang = self._booking_in(turn.text), convo.language
        if booking is None or booking.citizen_id != convo.citizen_db_id:  # another's number reveals nothing
            said = BOOKING_NUMBER.findall((turn.text or "").upper())
            convo.add(render.text(messages.say("booking_unknown", lang, booking=said[0] if said else "")))
            return
        # the number alone, sent where the ticket-cancellation form asks for it, asks to cancel
        if booking.status == "confirmed" and (_says_cancel(turn) or convo.state.service_id == CANCEL_TICKET):
            self._cancel(convo, booking.reference)
            return
        convo.add(render.text(_about(booking, lang)))


def asks_after_own_bookings(text: str | None) -> bool:
    said = {w.strip(".,!?;:'\"()") for w in normalize(text or "").split()}
    return bool(said & BOOKING_WORDS and said & ASKING_AFTER and not said & NEW_BOOKING) and \
        not BOOKING_NUMBER.search((text or "").upper())


def _about(booking, lang: str) -> str:
    """One booking in a line: its number, what and when, and whether it stands or was cancelled."""
    what = (booking.what_te or booking.what_en) if column_of(lang) == "te" else booking.what_en
    key = "booking_confirmed" if booking.status == "confirmed" else "booking_was_cancelled"
    return messages.say(key, lang, booking=booking.reference, what=what,
                        when=india_text(booking.starts_at, "%d-%m-%Y %H:%M"))


def _says_cancel(turn) -> bool:
    said = words.folded(turn.text)
    return any(w in words.CANCEL for w in said.split()) or "రద్దు" in said


def _date(data: dict) -> date:
    return date.fromisoformat(_day(data))


def _shown_day(data: dict) -> str:
    """The date as the form asked for it (dd-mm-yyyy)."""
    return f"{_date(data):%d-%m-%Y}" if _day(data) else ""


def _town(town_id: str | None, towards: bool = False) -> Bilingual | str:
    """A town as the citizen reads it: the gazetteer's name, in each language (the form keeps the id); `towards`:
    the Telugu name takes the "to" ending ("తిరుపతికి", "విజయవాడకు", "విశాఖపట్నానికి")."""
    place = _towns().get(town_id or "")
    if place is None:
        return (town_id or "").title()
    return Bilingual(en=place.name.en, te=telugu_towards(place.name.te)) if towards else place.name


def _what(data: dict) -> Bilingual:
    return Bilingual(en=data["description"], te=data["name_te"])


def _choice_labels(service, name: str | None) -> dict:
    """The labels of field `name`'s choices, {value: {"en": …, "te": …}}: how a category reads to the citizen."""
    spec = next((f for f in service.fields if f.name == name), None)
    return {c.value: {"en": c.label.en, "te": c.label.te} for c in (spec.choices if spec else [])}


def _purpose(data: dict, how: Bookable, column: str) -> str:
    """What an appointment is for, as the slip names it to the counter ("Update photo and fingerprints"); ""
    for a booking whose offer already names its kind (a bus, a darshan, a room) or without a choice of one."""
    code = data["fields"].get(how.category or "", "")
    if how.kind in NAMED_BY_OFFER or code not in (data.get("category_labels") or {}):
        return ""
    return _category(data, code, column)


def _once(*parts: str | None) -> str:
    """The parts joined, each named once: a part that a later one begins with is left out ("Araku Valley" before
    "Araku Valley · 2 nights", a hotel's row)."""
    return " · ".join(p for i, p in enumerate(parts) if p and not any(q and q.startswith(p) for q in parts[i + 1:]))


def _category(data: dict, code: str, column: str, otherwise: str = "") -> str:
    """How a department's category code (a bus type, room type, darshan, seva) reads to the citizen: the catalog
    choice's label, short ("AC", not "AC (Indra, Garuda, Amaravati)"), else `otherwise`, else the code."""
    label = (data.get("category_labels") or {}).get(code, {}).get(column, "")
    return label.split(" (")[0] if label else otherwise or code


@lru_cache(maxsize=1)
def _towns() -> dict:
    from catalog.loader import load_gazetteer

    return {t.id: t for t in load_gazetteer().towns}


def _day(data: dict) -> str:
    how = BOOKABLE[data["service_id"]]
    return data["fields"].get(how.day, "") if how.day else ""


def _span(fields: dict, how: Bookable) -> int:
    return max(1, int(float(fields.get(how.span or "") or 1)))


def _count(how: Bookable, fields: dict) -> int:
    value = fields.get(how.count or "")
    return max(1, int(float(value))) if value else 1


def _row_note(offer: dict, language: str) -> str:
    price = f"₹{messages.rupees(offer['price'])}" if offer["price"] else messages.say("no_fee", language)
    return messages.say("row_note", language, price=price, free=offer["free"])


def _offer_row(offer: Offer, shorts: dict[str, str], column: str, keys: list[str]) -> dict:
    """An offer as the list shows it (`short`, in the citizen's language) and as the slip names it (both)."""
    return {"keys": keys, "short": shorts[column], "shorts": shorts, "title": offer.title, "price": offer.price_paise,
            "free": offer.free, "day": offer.day.isoformat(), "starts": offer.starts}


def _fitting(offers: list[dict], choice: str | None, said: str, shown: list[int] | None = None) -> list[dict]:
    """The offers a reply names: the one tapped, numbered ("2", "rendu") or placed ("rendodi"), or those its time, part of the day
    and kind fit ("night 8.45 express", "ఉదయం 10 గంటల దర్శనం", "the evening bus"), the cheapest of them when it
    says so; none when it names nothing."""
    if choice and choice.startswith("offer:") and choice[6:].isdigit() and int(choice[6:]) < len(offers):
        return [offers[int(choice[6:])]]
    number = words_to_figures(said)  # "rendu", "two", "రెండు"
    if number.isdigit():
        return [offers[int(number) - 1]] if 1 <= int(number) <= len(offers) else []
    listed = [offers[i] for i in shown] if shown else offers
    place = ordinal_position(said, len(listed))  # "the second one", "rendodi", "chivaridi": of the list shown
    if place is not None:
        return [listed[place]]
    said = said.casefold()
    times, window = _times_said(said), _day_window(said)
    if times:
        fitting = ([o for o in offers if o["starts"] in times]  # "11 గంటలకు" is 11:00, though 11:30 is also 11
                   or [o for o in offers if any(t.endswith(":") and o["starts"].startswith(t) for t in times)])
    else:  # "the evening bus", "sayantram darshan": the offers starting in that part of the day
        fitting = [o for o in offers if _starts_within(o["starts"], window)] if window else offers
    kinds = {w for w in said.split() if len(w) > 1 and not any(c.isdigit() for c in w)} - set(DAY_PARTS) - _NOT_A_KIND
    named = [o for o in fitting if kinds & set(o["short"].casefold().split())]
    if CHEAPEST.search(said):  # "the cheapest one", "ratri takkuva dhi": the lowest fare among those that fit
        pool = named or (fitting if times or window else listed)
        return [o for o in pool if o["price"] == min(p["price"] for p in pool)]
    return named or (fitting if times or window else [])


# The hours a part of the day covers, [from, to), for "the evening bus" said without a clock time ("night" runs
# past midnight)
_MORNING, _AFTERNOON, _EVENING, _NIGHT = (4, 12), (12, 16), (16, 20), (19, 28)
DAY_WINDOWS = {"morning": _MORNING, "udayam": _MORNING, "podduna": _MORNING, "ఉదయం": _MORNING, "poddune": _MORNING,
               "poddunne": _MORNING, "poddhuna": _MORNING, "pollunne": _MORNING, "పొద్దున": _MORNING,
               "పొద్దున్న": _MORNING, "పొద్దున్నే": _MORNING, "sayankalam": _EVENING, "సాయంకాలం": _EVENING,
               "తెల్లవారుజామున": (3, 7), "afternoon": _AFTERNOON, "madhyahnam": _AFTERNOON, "మధ్యాహ్నం": _AFTERNOON,
               "evening": _EVENING, "sayantram": _EVENING, "saayantram": _EVENING, "సాయంత్రం": _EVENING,
               "night": _NIGHT, "rathri": _NIGHT, "ratri": _NIGHT, "raatri": _NIGHT, "రాత్రి": _NIGHT}
# When in the day a time is ("8.45 night" is 20:45): the hours added to a 12-hour clock reading
DAY_PARTS = {"am": 0, "a.m.": 0, "pm": 12, "p.m.": 12} | {
    word: 0 if window[0] < 12 else 12 for word, window in DAY_WINDOWS.items()}
# Words around a time that name no kind of bus or slot ("the 12 o'clock one", "11 gantalaki", "darshan at 9")
_NOT_A_KIND = {"o'clock", "oclock", "hours", "ki", "ku", "gantalaki", "gantalaku", "gantalu", "గంటలకు", "గంటలకి",
               "గంటల", "bus", "the", "one", "at", "slot", "darshan"}
_CLOCK = re.compile(r"(?<![\d:.])([01]?\d|2[0-3])(?:[:.]([0-5]\d))?(?:\s*(a\.?m\.?|p\.?m\.?))?(?![\d:])")


def _day_window(said: str) -> tuple[int, int] | None:
    return next((DAY_WINDOWS[w] for w in said.replace(",", " ").split() if w in DAY_WINDOWS), None)


def _starts_within(starts: str, window: tuple[int, int]) -> bool:
    hour = int(starts[:2])
    return window[0] <= hour < window[1] or window[0] <= hour + 24 < window[1]


def _times_said(said: str) -> list[str]:
    """Clock times in a message as "HH:MM", and for an hour said alone both "HH:00" and the prefix "HH:";
    "8.45" alone may be morning or night."""
    part = next((DAY_PARTS[w] for w in said.replace(",", " ").split() if w in DAY_PARTS), None)
    times = []
    for hour, minutes, meridiem in _CLOCK.findall(said):
        hours = {int(hour)}
        added = 12 if meridiem.startswith("p") else 0 if meridiem else part
        if int(hour) < 12:
            hours = {int(hour) + added} if added is not None else {int(hour), int(hour) + 12}
        times += [t for h in sorted(hours) for t in ([f"{h:02d}:{minutes}"] if minutes else [f"{h:02d}:00", f"{h:02d}:"])]
    return times

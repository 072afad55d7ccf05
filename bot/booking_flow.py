"""After a booking service's form: list what is free, hold the pick, send the payment link.

The hold lasts as long as the link; the e-ticket comes from the gateway's paid event (the ledger confirms
the hold with the department). An unpaid hold expires and its seats go back on sale.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from bot import render
from bot.hooks import Submitted
from bot.payment_flow import contact as _contact
from departments import DepartmentUnavailable, Offer, SoldOut
from departments.refunds import RULE_EN, RULE_TE
from nlu import words
from payments import messages
from payments.ledger import GatewayError, Payable, PaymentLedger

log = logging.getLogger(__name__)

STEP = "flow:booking"
LIST_ROWS = 10  # a WhatsApp list shows at most ten rows


@dataclass
class BookingFlow:
    ledger: PaymentLedger
    departments: object  # departments.DepartmentSystem
    hold_minutes: int = 20
    step: str = STEP

    SERVICES = ("apsrtc.book_ticket", "endowments.darshan_booking", "endowments.seva_booking",
                "endowments.accommodation_booking")

    def after_submit(self, convo, submitted: Submitted) -> None:
        if submitted.service.id not in self.SERVICES:
            return  # the other bookings are appointments: the reference number is the booking
        f = submitted.fields
        data = {"service_id": submitted.service.id, "reference": submitted.reference,
                "description": submitted.service.name.en, "fields": {k: f.get(k, "") for k in _SEARCH_FIELDS},
                "count": _count(submitted.service.id, f), "contact": _contact(f)}
        convo.state.step, convo.state.flow_data = STEP, data
        self._offer(convo)

    def on_turn(self, convo, turn) -> bool:
        data, lang = convo.state.flow_data, convo.language
        stage = data.get("stage")
        if stage == "down":
            self._offer(convo)
            return True
        if stage == "pick":
            offer = _picked(data["offers"], turn.choice_id, turn.said)
            if offer is None:
                convo.add(render.text(messages.say("pick_from_list", lang)))
                return True
            self._hold(convo, offer)
            return True
        if stage == "waiting":
            order = self.ledger.order(data["order"])
            if order is not None and order.status in ("created", "failed") and turn.said in words.YES:
                convo.add(render.text(messages.say("waiting_payment", lang, amount=messages.rupees(
                    order.amount_paise), url=order.short_url)))
                return True
        convo.state.reset()
        return False

    def _offer(self, convo) -> None:
        data, lang = convo.state.flow_data, convo.language
        try:
            offers = self._search(data)
        except DepartmentUnavailable:
            data["stage"] = "down"
            convo.add(render.buttons(messages.say("department_down", lang, what=data["description"]),
                                     [("retry", "Retry")]))
            return
        count = data["count"]
        fitting = [o for o in offers if o["free"] >= count][:LIST_ROWS]
        f = data["fields"]
        if not fitting:
            convo.state.reset()
            key = "no_buses" if data["service_id"] == "apsrtc.book_ticket" else "no_slots"
            convo.add(render.text(messages.say(key, lang, kind=f.get("bus_type", ""), origin=f.get("from_town"),
                                               destination=f.get("to_town"), day=_day(data), count=count)))
            return
        data.update(stage="pick", offers=fitting)
        rows = [(f"offer:{i}", o["short"], f"₹{messages.rupees(o['price'])} · {o['free']} free") for i, o in
                enumerate(fitting)]
        lines = "\n".join(f"{i + 1}. {o['short']} · ₹{messages.rupees(o['price'])} · {o['free']} free"
                          for i, o in enumerate(fitting))
        if data["service_id"] == "apsrtc.book_ticket":
            body = messages.say("buses", lang, origin=f["from_town"], destination=f["to_town"], day=_day(data),
                                lines=lines)
        else:
            body = messages.say("slots", lang, what=data["description"], day=_day(data), lines=lines)
        convo.add(render.choice_list(body, rows, messages.say("list_choose", lang).split("\n")[0]))

    def _search(self, data: dict) -> list[dict]:
        f, sid, day = data["fields"], data["service_id"], date.fromisoformat(_day(data))
        if sid == "apsrtc.book_ticket":
            offers = self.departments.search_buses(f["from_town"], f["to_town"], day)
            wanted = f.get("bus_type")
            offers = [o for o in offers if not wanted or o.category == wanted] or offers
            return [_offer_row(o, f"{o.starts} {o.title.split(' · ')[1]}", [o.resource_key]) for o in offers]
        if sid == "endowments.darshan_booking":
            return [_offer_row(o, f"{o.starts} darshan", [o.resource_key])
                    for o in self.departments.search_slots(f["temple"], day, "darshan", f["darshan_type"])]
        if sid == "endowments.seva_booking":
            return [_offer_row(o, f"{o.starts} {o.category}", [o.resource_key])
                    for o in self.departments.search_slots(f["temple"], day, "seva", f["seva"])]
        nights = self.departments.search_rooms(f["temple"], day, max(1, int(float(f.get("nights") or 1))),
                                               f["room_type"])
        stay = _offer_row(nights[0], f"{f['room_type']} × {len(nights)} nights", [o.resource_key for o in nights])
        stay.update(price=sum(o.price_paise for o in nights), free=min(o.free for o in nights))
        return [stay]

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
            convo.add(render.text(messages.say("department_down", lang, what=data["description"])))
            return
        payable = Payable(data["service_id"], "booking", f"hold:{hold.reference}", hold.amount_paise,
                          f"{data['description']} {offer['short']} {_day(data)}",
                          (("Booking", hold.reference), ("What", offer["title"]), ("Date", _day(data)),
                           ("Persons", str(data["count"]))),
                          contact=data.get("contact", ""), booking_reference=hold.reference, expire_by=hold.expires_at)
        try:
            order = self.ledger.open_order(convo.citizen_db_id, payable, lang)
        except GatewayError as exc:
            log.warning("payment link for hold %s failed: %s", hold.reference, exc)
            self.departments.cancel(hold.reference, hold.expires_at)  # let the seats go at once
            data["stage"] = "down"
            convo.add(render.text(messages.say("gateway_down", lang)))
            return
        data.update(stage="waiting", order=order.reference, booking=hold.reference)
        convo.add(render.text(messages.say("held", lang, until=f"{hold.expires_at:%H:%M} UTC", what=offer["title"],
                                           count=data["count"], price=messages.rupees(offer["price"]),
                                           amount=messages.rupees(hold.amount_paise),
                                           rule=RULE_TE if lang == "te" else RULE_EN)))
        convo.add(render.text(messages.say("pay_link", lang, amount=messages.rupees(order.amount_paise),
                                           url=order.short_url, until=f"{order.expire_by:%H:%M} UTC")))


_SEARCH_FIELDS = ("from_town", "to_town", "travel_date", "bus_type", "temple", "darshan_date", "darshan_type",
                  "seva", "seva_date", "check_in_date", "nights", "room_type")


def _day(data: dict) -> str:
    f = data["fields"]
    return next(f[k] for k in ("travel_date", "darshan_date", "seva_date", "check_in_date") if f.get(k))


def _count(service_id: str, fields: dict) -> int:
    for name in ("passengers", "persons"):
        if fields.get(name):
            return max(1, int(float(fields[name])))
    return 1


def _offer_row(offer: Offer, short: str, keys: list[str]) -> dict:
    return {"keys": keys, "short": short[:24], "title": offer.title, "price": offer.price_paise, "free": offer.free}


def _picked(offers: list[dict], choice: str | None, said: str) -> dict | None:
    if choice and choice.startswith("offer:") and choice[6:].isdigit() and int(choice[6:]) < len(offers):
        return offers[int(choice[6:])]
    if said.isdigit() and 1 <= int(said) <= len(offers):
        return offers[int(said) - 1]
    return None

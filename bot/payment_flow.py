"""After a payment service's form: look the bill up, show it, send the payment link, wait for the gateway. After
an application or certificate with a fee, the same for its fee (once per application).

The receipt comes later, from the gateway's event (runtime/payment_notices.py); this flow only asks.
A department or gateway that is down gets a polite answer and the request stays here for *retry*.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from bot import render
from bot.application_desk import StatusUnavailable
from bot.fields import find_reference
from bot.hooks import GlobalCommand, Submitted
from catalog.schema import Bilingual, Outcome
from core.db.models import Application
from departments import Bill, DepartmentError, DepartmentUnavailable, UnknownIdentifier
from departments.identifiers import IdentifierProblem, mask_identifier
from nlu import words
from payments import messages
from payments.ledger import AlreadyPaid, GatewayError, Payable, PaymentLedger, once_subject

log = logging.getLogger(__name__)

STEP = "flow:payment"
RENEW = {"renew", "new link", "link", "kotha link", "కొత్త లింక్"}
RETRY = {"retry", "try again", "malli", "మళ్లీ"}

# service id: (bill kind, the fields that may hold its identifier, the first given one used, what the citizen
# calls it). A traffic fine is found by its challan number or, as on the state's e-challan site, by the vehicle's
# number (all the fines pending on it): few citizens keep the challan SMS
BILL_SERVICES = {
    "energy.pay_electricity_bill": ("electricity", ("service_number",), "electricity"),
    "municipal.property_tax": ("property_tax", ("assessment_number",), "property tax"),
    "municipal.water_tax": ("water_tax", ("water_connection_number",), "water tax"),
    "municipal.vacant_land_tax": ("vacant_land_tax", ("assessment_number",), "vacant land tax"),
    "panchayat_raj.house_tax": ("house_tax", ("assessment_number",), "house tax"),
    "police.echallan_payment": ("e_challan", ("challan_number", "vehicle_number"), "e-challan"),
    "commercial_taxes.professional_tax_payment": ("professional_tax", ("enrolment_number",), "professional tax"),
}
CANCEL_TICKET = "apsrtc.cancel_ticket"  # a payment-outcome service that gives money back
AMOUNT_FIELDS = ("amount",)
MEAL_PAISE = 3500  # what one Anna Canteen meal costs the state (the citizen pays ₹5)


@dataclass
class PaymentFlow:
    ledger: PaymentLedger
    departments: object  # departments.DepartmentSystem
    desk: object | None = None  # bot.application_desk.ApplicationDesk: an application's fee paid later
    step: str = STEP

    @property
    def fee_command(self) -> GlobalCommand:
        """"pay AP-REV-2026-000123", "AP-REV-2026-000123 రుసుము చెల్లించాలి": an application's fee, later."""
        return GlobalCommand("pay_fee", lambda turn: _fee_asked(turn) is not None, self._pay_fee)

    def fee_note(self, reference: str, service_id: str, language: str) -> str:
        """For an application's status: its fee paid, or how to pay it ("" when it has none)."""
        service = self.desk.catalog.services.get(service_id) if self.desk else None
        if service is None or not fee_due(service):
            return ""
        key = "fee_paid" if self.ledger.is_paid(once_subject(reference)) else "fee_unpaid"
        return messages.say(key, language, amount=messages.fee_rupees(service.fee), reference=reference)

    def _pay_fee(self, convo, turn) -> None:
        reference, lang = _fee_asked(turn), convo.language
        try:
            report = self.desk.status(reference, lang) if self.desk else None
        except StatusUnavailable:
            convo.add(render.text(messages.say("department_down", lang, what="application")))
            return
        service = self.desk.catalog.services.get(report.status.service_id) if report else None
        if service is None or report.status.citizen_db_id != convo.citizen_db_id or not fee_due(service):
            convo.add(render.text(messages.say("no_fee_due", lang, reference=reference)))  # another's: nothing told
            return
        convo.state.reset()
        self.after_submit(convo, Submitted(service, reference, self._application_fields(reference)))

    def _application_fields(self, reference: str) -> dict:
        """The answers mitra keeps of an application (masked numbers, whole names): its receipt names the
        applicant. Empty where the department alone holds the application."""
        with self.ledger.sessions() as session:
            return session.scalar(select(Application.fields).where(Application.reference == reference)) or {}

    def after_submit(self, convo, submitted: Submitted) -> None:
        service = submitted.service
        data = {"service_id": service.id, "reference": submitted.reference, "stage": "confirm",
                "description": service.name.en, "name_te": service.name.te, "contact": contact(submitted.fields)}
        if service.id == CANCEL_TICKET:
            self._cancel_ticket(convo, submitted.fields.get("ticket_number", ""))
            return
        if service.outcome != Outcome.payment_receipt:  # an application's fee, asked after its reference
            if not fee_due(service):
                return
            data.update(_fee_data(service, submitted.reference, data["contact"], service.holder_name(submitted.fields)))
        elif service.id in BILL_SERVICES:
            kind, names, _ = BILL_SERVICES[service.id]
            data.update(kind=kind, identifier=next(filter(None, map(submitted.fields.get, names)), ""))
        else:
            data["amount_paise"] = amount_paise(service.id, submitted.fields)
        convo.state.step, convo.state.flow_data = STEP, data
        self._show(convo)

    def on_turn(self, convo, turn) -> bool:
        data, said, choice = convo.state.flow_data, turn.said, turn.choice_id
        stage = data.get("stage")
        if stage == "down" and (said in RETRY or choice == "retry" or words.yes_or_no(said)):
            self._show(convo)
            return True
        if stage == "confirm":
            if choice == "stop" or words.yes_or_no(said) is False or words.puts_off(said):  # before the pay words
                convo.state.reset()
                convo.add(render.text(" ".join([messages.say("payment_stopped", convo.language),
                                                _how_to_pay_later(data, convo.language)]).strip()))
            elif choice == "pay" or words.yes_or_no(said) or _says_pay(said):
                self._send_link(convo)
            else:  # "status of AP-…", another request: the citizen moved on, nothing was charged
                convo.state.reset()
                return False
            return True
        if stage == "waiting":
            return self._waiting(convo, said, choice)
        convo.state.reset()
        return False

    # ---------------------------------------------------------------- steps
    def _show(self, convo) -> None:
        data, lang = convo.state.flow_data, convo.language
        if "kind" not in data:
            body = messages.say("amount_due", lang, what=Bilingual(en=data["description"], te=data["name_te"]),
                                reference=data["reference"], amount=messages.rupees(data["amount_paise"]))
            self._ask_pay(convo, body)
            return
        try:
            bill = self.departments.lookup_bill(data["kind"], data["identifier"])
        except DepartmentUnavailable:
            data["stage"] = "down"
            convo.add(render.buttons(messages.say("department_down", lang, what=_what(data)),
                                     [("retry", "Retry")]))
            return
        except IdentifierProblem as exc:
            convo.state.reset()
            convo.add(render.text(messages.in_language(exc.reason_en, exc.reason_te, lang)))
            return
        except (UnknownIdentifier, DepartmentError) as exc:
            shown = mask_identifier(data["kind"], data["identifier"])
            log.info("no %s bill for %s: %s", data["kind"], shown, exc)
            convo.state.reset()
            convo.add(render.text(messages.say("no_bill", lang, what=_what(data), what_te=data["name_te"],
                                               identifier=shown)))
            return
        if bill.paid:
            convo.state.reset()
            convo.add(render.text(messages.say("already_paid", lang, identifier=mask_identifier(bill.kind, bill.identifier),
                                               period=messages.period_shown(bill.period))))
            return
        data["bill"] = _bill_dict(bill)
        self._ask_pay(convo, messages.say("bill", lang, what=_what(data), what_te=data["name_te"],
                                          consumer=bill.consumer_masked,
                                          identifier=mask_identifier(bill.kind, bill.identifier),
                                          period=messages.period_shown(bill.period),
                                          amount=messages.rupees(bill.amount_paise), due=f"{bill.due_date:%d-%m-%Y}"))

    def _ask_pay(self, convo, body: str) -> None:
        convo.state.flow_data["stage"] = "confirm"
        lang = convo.language
        convo.add(render.buttons(body, [("pay", messages.say("button_pay", lang).split("\n")[0]),
                                        ("stop", messages.say("button_cancel", lang).split("\n")[0])]))

    def _send_link(self, convo) -> None:
        data, lang = convo.state.flow_data, convo.language
        bill = self.departments.lookup_bill(data["kind"], data["identifier"]) if "kind" in data else None
        try:
            order = self.ledger.open_order(convo.citizen_db_id, self._payable(data, bill), lang)
        except AlreadyPaid:
            convo.state.reset()
            convo.add(render.text(messages.say(
                "already_paid", lang, identifier=mask_identifier(bill.kind, bill.identifier),
                period=messages.period_shown(bill.period)) if bill else
                messages.say("amount_already_paid", lang, reference=data["reference"])))
            return
        except GatewayError as exc:
            log.warning("payment link for %s failed: %s", data["reference"], exc)
            data["stage"] = "down"
            convo.add(render.buttons(messages.say("gateway_down", lang), [("retry", "Retry")]))
            return
        data.update(stage="waiting", order=order.reference)
        convo.add(render.text(messages.say("pay_link", lang, amount=messages.rupees(order.amount_paise),
                                           url=order.short_url, until=messages.india_time(order.expire_by))))

    def _waiting(self, convo, said: str, choice: str | None) -> bool:
        data, lang = convo.state.flow_data, convo.language
        order = self.ledger.order(data["order"])
        if order is None or order.status in ("paid", "refund_due"):
            convo.state.reset()
            return False
        if said in RENEW or choice == "renew" or (order.status in ("expired", "cancelled") and words.yes_or_no(said)):
            try:
                order = self.ledger.renew(order.reference)
            except AlreadyPaid:
                convo.state.reset()
                return False
            except GatewayError as exc:
                log.warning("renewing %s failed: %s", order.reference, exc)
                convo.add(render.text(messages.say("gateway_down", lang)))
                return True
            data["order"] = order.reference
            convo.add(render.text(messages.say("pay_link", lang, amount=messages.rupees(order.amount_paise),
                                               url=order.short_url, until=messages.india_time(order.expire_by))))
            return True
        if said in RETRY or words.yes_or_no(said) or choice == "pay":
            convo.add(render.buttons(messages.say("waiting_payment", lang, amount=messages.rupees(order.amount_paise),
                                                  url=order.short_url),
                                     [("renew", messages.say("button_renew", lang).split("\n")[0])]))
            return True
        convo.state.reset()  # something else: the link stays valid, the receipt still comes
        return False

    def _payable(self, data: dict, bill: Bill | None) -> Payable:
        if bill is not None:
            period = _english(messages.period_shown(bill.period))
            return Payable(data["service_id"], "bill", bill.bill_key, bill.amount_paise,
                           f"{_what(data).capitalize()} bill {period}",
                           (("Consumer", bill.consumer_masked), ("Number", mask_identifier(bill.kind, bill.identifier)),
                            ("Period", period), ("Due date", f"{bill.due_date:%d-%m-%Y}")),
                           contact=data.get("contact", ""), bill=bill, description_te=data.get("name_te", ""),
                           holder=bill.consumer_masked)
        return _one_off(data)

    def _cancel_ticket(self, convo, booking_reference: str) -> None:
        convo.state.reset()
        cancel_booking(convo, self.departments, self.ledger, booking_reference.strip().upper())


def cancel_booking(convo, departments, ledger: PaymentLedger, reference: str) -> None:
    """Cancel a booking at the department (refund per departments/refunds.py) and tell the citizen."""
    lang = convo.language
    try:
        booking = departments.cancel(reference, ledger.clock())
    except UnknownIdentifier:
        convo.add(render.text(messages.say("booking_unknown", lang, booking=reference)))
        return
    except DepartmentUnavailable:
        convo.add(render.text(messages.say("department_down", lang, what="booking")))
        return
    ledger.booking_cancelled(booking.reference)
    key = "booking_cancelled" if booking.amount_paise else "booking_cancelled_free"
    convo.add(render.text(messages.say(key, lang, booking=booking.reference,
                                       refund=messages.rupees(booking.refund_paise))))


FEE_WORDS = {"fee", "fees", "rusumu", "రుసుము"}
PAYING = ("pay", "chelli", "చెల్లి", "katt", "కట్ట", "kadat", "కడత")  # "pay now", "చెల్లిస్తాను", "kadatanu"


def fee_due(service) -> bool:
    """An application or certificate with a fee (a payment service's amount is its whole point, not a fee)."""
    return service.fee > 0 and service.outcome != Outcome.payment_receipt


def fee_link(ledger: PaymentLedger, service, reference: str, citizen_db_id: int, fields: dict, language: str) -> str:
    """The fee's payment link, as a line for another dialogue engine's confirmation (Rasa's): "" when no fee is
    due, the way to pay later when the gateway is down. A repeated submit gets the same open link."""
    if not fee_due(service):
        return ""
    try:
        order = ledger.open_order(citizen_db_id, _one_off(_fee_data(service, reference, contact(fields),
                                                                     service.holder_name(fields))), language)
    except GatewayError as exc:
        log.warning("fee link for %s failed: %s", reference, exc)
        return messages.say("fee_later", language, reference=reference)
    return messages.say("pay_link", language, amount=messages.rupees(order.amount_paise), url=order.short_url,
                        until=messages.india_time(order.expire_by))


def _fee_data(service, reference: str, contact: str, holder: str) -> dict:
    """What the flow keeps about an application's fee (and shows: "<service> fee", the amount; the receipt names
    the applicant)."""
    return {"service_id": service.id, "reference": reference, "contact": contact, "amount_paise": _paise(service.fee),
            "description": f"{service.name.en} fee", "name_te": f"{service.name.te} రుసుము", "fee": True,
            "holder": holder}


def _one_off(data: dict) -> Payable:
    """An amount paid once per application: its fee (told to the department when paid, its office starts then)
    or a payment service's amount."""
    return Payable(data["service_id"], "fee" if data.get("fee") else "amount", once_subject(data["reference"]),
                   data["amount_paise"], data["description"], (("Application", data["reference"]),),
                   contact=data.get("contact", ""), description_te=data.get("name_te", ""),
                   holder=data.get("holder", ""))


def _paise(rupees: float) -> int:
    return round(rupees * 100)


def _says_pay(said: str) -> bool:
    return any(w.startswith(PAYING) for w in said.split())


def _fee_asked(turn) -> str | None:
    """The reference of a message asking to pay an application's fee ("pay AP-…", "AP-… fee")."""
    said = words.folded(turn.text)
    return find_reference(turn.text) if _says_pay(said) or any(w in FEE_WORDS for w in said.split()) else None


def _english(shown: Bilingual | str) -> str:
    return shown.en if isinstance(shown, Bilingual) else shown


def _what(data: dict) -> str:
    return BILL_SERVICES.get(data["service_id"], ("", "", "payment"))[2]


def contact(fields: dict) -> str:
    """The +91 mobile number the gateway gets for its receipt (from the form's mobile field)."""
    mobile = "".join(ch for ch in fields.get("mobile", "") if ch.isdigit())[-10:]
    return f"+91{mobile}" if len(mobile) == 10 else ""


def amount_paise(service_id: str, fields: dict) -> int:
    if service_id == "anna_canteens.donate_meal":
        return int(float(fields.get("meals", "1") or 1)) * MEAL_PAISE
    for name in AMOUNT_FIELDS:
        if fields.get(name):
            return _paise(float(fields[name]))
    return 100


def _bill_dict(bill: Bill) -> dict:
    return {"period": bill.period, "amount_paise": bill.amount_paise, "due": f"{bill.due_date:%d-%m-%Y}"}


def _how_to_pay_later(data: dict, language: str) -> str:
    """A payment put off: an application's fee is paid by its reference; a bill by asking for it again, before its
    due date ("" for an amount of the citizen's own)."""
    if data.get("fee"):
        return messages.say("fee_later", language, reference=data["reference"])
    bill = data.get("bill", {})
    if "due" not in bill:  # also a bill shown before the due date was kept
        return ""
    return messages.say("bill_later", language, amount=messages.rupees(bill["amount_paise"]), due=bill["due"],
                        what=Bilingual(en=data["description"], te=data["name_te"]))

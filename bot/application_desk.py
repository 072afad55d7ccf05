"""Where a collected form becomes an application: the summary the citizen confirms, the submission, the status.

One implementation for every dialogue engine: mitra's own dialogue (bot/dialogue.py) and the REST API that
Rasa's actions call (api/routers/applications.py) both come here, so the texts and rules cannot drift apart.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from applications.connectors import ApplicationRequest, ApplicationStatus, ConnectorError
from bot.fields import display_value, stored_value
from bot.texts import PerColumn, Texts, messages
from catalog.schema import TELUGU_RE, FieldType, Service, ServiceField
from core.db.models import Citizen
from core.india_time import to_india
from departments.statuses import DepartmentStatus, StatusQuery, status_kind
from nlu.answers import format_of, rupees
from payments.messages import fee_rupees

log = logging.getLogger(__name__)


class SubmitFailed(RuntimeError):
    """The department system did not take the application; the draft stays with the citizen."""


class StatusUnavailable(RuntimeError):
    """The department system could not be asked now; the citizen's answers are kept for another try."""


@dataclass(frozen=True)
class Submitted:
    reference: str
    status: str
    expected_by: datetime
    message: str  # what the citizen is told, in their language


@dataclass(frozen=True)
class StatusReport:
    status: ApplicationStatus
    message: str


@dataclass(frozen=True)
class DepartmentReport:
    status: DepartmentStatus | None  # None: the department has no record under the identifier
    message: str


def field_label(spec: ServiceField, column: str) -> str:
    """How a field is named in a summary: its short label (its own or the shared one for its name); else the
    Telugu question without its question mark or hint, or the English field name."""
    if spec.label is not None:
        return spec.label.get(column)
    if column == "te":
        question = spec.prompt.te.split("?")[0].split("(")[0].rstrip("?.। ")
        return question if TELUGU_RE.search(question) else spec.prompt.te
    return spec.name.replace("_", " ").capitalize()


def labelled_value(spec: ServiceField, value: str, gazetteer, column: str) -> str:
    """A field and its value as the citizen reads them back ("Persons: 3", "ఆధార్ నంబర్: XXXX XXXX 5246")."""
    return f"{field_label(spec, column)}: {display_value(spec, value, gazetteer, column)}"


class ApplicationDesk:
    def __init__(self, catalog, connector, vault):
        self.catalog = catalog
        self.connector = connector
        self.vault = vault

    def summary(self, service: Service, values: dict[str, str], language: str, prefilled=()) -> str:
        """The summary in `language` (or both while it is unknown); fields in `prefilled` came from the
        citizen's request and are marked so."""
        gazetteer = self.catalog.gazetteer

        def lines(column: str) -> str:
            marker = messages()["from_your_message"][column]
            return "\n".join(
                f"• {labelled_value(spec, values.get(spec.name, ''), gazetteer, column)}"
                + (f" {marker}" if spec.name in prefilled else "") for spec in service.fields)

        return Texts(language).say("summary", service=service.name, lines=PerColumn(lines),
                                   next=what_comes_next(service, values), documents=documents_needed(service, values))

    def submit(self, service: Service, values: dict[str, str], citizen_db_id: int, language: str,
               idempotency_key: str, submitted_at: datetime, reply_language: str | None = None,
               booked_next: bool = False) -> Submitted:
        """Hand the application to the department; the same idempotency key gives back the same reference.
        `reply_language` is the message's language when it differs from the application's (e.g. "both").
        `booked_next`: the dialogue's booking flow follows and gives the booking's own number with its ticket or
        slip, so the message names no reference (the citizen gets one number)."""
        gazetteer = self.catalog.gazetteer
        request = ApplicationRequest(
            service_id=service.id, department_code=self.catalog.department_of(service).code,
            citizen_db_id=citizen_db_id, fields=dict(values),
            masked_fields={spec.name: stored_value(spec, values.get(spec.name, ""), gazetteer)
                           for spec in service.fields},
            sealed_fields=self.vault.seal_json(values), fee=service.fee, sla_days=service.sla_days,
            language=language, idempotency_key=idempotency_key,
            submitted_at=submitted_at.replace(tzinfo=None, microsecond=0))
        try:
            reference = self.connector.submit(request)
        except ConnectorError as exc:
            log.warning("submit of %s failed: %s", service.id, exc)
            raise SubmitFailed(str(exc)) from exc
        try:
            status = self.connector.status(reference)
        except ConnectorError:
            status = None  # submitted; the status can be read later
        expected = status.expected_by if status else request.submitted_at
        texts = Texts(reply_language or language)
        if booked_next and service.outcome.value == "booking":
            message = texts.say("submitted_booking")
        elif _settled_by_a_flow(service):  # the bill or the refund follows at once
            message = texts.say("submitted_request", reference=reference)
        else:
            when = _when(service, expected)
            message = texts.say("submitted", reference=reference, fee=_fee(service), when=when)
        return Submitted(reference, status.status if status else "submitted", expected, message)

    def status(self, reference: str, language: str) -> StatusReport | None:
        """An application's status by mitra's reference; StatusUnavailable when the department cannot answer."""
        try:
            status = self.connector.status(reference)
        except ConnectorError as exc:
            log.warning("status of %s failed: %s", reference, exc)
            raise StatusUnavailable(str(exc)) from exc
        if status is None:
            return None
        t = Texts(language)
        service = self.catalog.services.get(status.service_id)
        message = t.say("status_line", reference=status.reference,
                        service=service.name if service else status.service_id,
                        status=t.word(f"status_{status.status}"), submitted=f"{to_india(status.submitted_at):%d-%m-%Y}",
                        expected=f"{to_india(status.expected_by):%d-%m-%Y}")
        return StatusReport(status, message)

    def department_status(self, service: Service, values: dict[str, str], language: str) -> DepartmentReport | None:
        """A status service's answer from the department, by the identifier the citizen gave (None when the
        answers hold no identifier). StatusUnavailable when the department cannot answer now."""
        found = status_identifier(service, values)
        if found is None:
            return None
        spec, field_format = found
        fmt = field_format.owner(values[spec.name])  # "aadhaar", not "aadhaar|pension_id": what is looked up
        details = {f.name: values[f.name] for f in service.fields
                   if f is not spec and values.get(f.name) and not getattr(format_of(f), "personal", False)}
        query = StatusQuery(service.id, self.catalog.department_of(service).code, values[spec.name], fmt.name,
                            status_kind(f"{service.name.en} {service.description.en}"), details)
        try:
            status = self.connector.lookup_status(query)
        except ConnectorError as exc:
            log.warning("status lookup for %s failed: %s", service.id, exc)
            raise StatusUnavailable(str(exc)) from exc
        t = Texts(language)
        shown = display_value(spec, values[spec.name], self.catalog.gazetteer, t.columns[0])
        if status is None:
            return DepartmentReport(None, t.say("dept_status_not_found", identifier=shown, service=service.name))
        return DepartmentReport(status, self._department_message(t, service, fmt, shown, status))

    def _department_message(self, t: Texts, service: Service, fmt, shown: str, status: DepartmentStatus) -> str:
        department = self.catalog.department_of(service)
        district = self.catalog.gazetteer.district(status.district)

        def office(column: str) -> str:
            parts = [department.name.te if column == "te" else department.name.en, status.office]
            if district is not None:
                parts.append(district.name.te if column == "te" else district.name.en)
            return ", ".join(p for p in parts if p)

        amount = ""
        if status.amount_paise is not None and f"dept_status_amount_{status.kind}" in messages():
            amount = (f"dept_status_amount_{status.kind}", {"amount": rupees(status.amount_paise / 100)})
        when = f"{status.next_date:%d-%m-%Y}" if status.next_date else ""
        known = f"dept_stage_{status.stage}" in messages()  # a stage outside the contract's vocabulary: as sent
        return t.say("dept_status", service=service.name, label=PerColumn(lambda column: _capital(fmt.label.get(column))),
                     identifier=shown, holder=f" ({status.holder_masked})" if status.holder_masked else "",
                     stage=t.word(f"dept_stage_{status.stage}") if known else status.stage.replace("_", " "),
                     date=f"{status.stage_date:%d-%m-%Y}", amount=amount, office=PerColumn(office),
                     next=(f"dept_next_{status.stage}" if known else "dept_next_ask_office", {"date": when}))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_identifier(service: Service, values: dict[str, str]) -> tuple[ServiceField, object] | None:
    """The answer a status is looked up by, with its format: the department's own number when one was given,
    else another identifier (an Aadhaar)."""
    filled = [(spec, format_of(spec)) for spec in service.fields if values.get(spec.name) and format_of(spec)]
    own = [pair for pair in filled if pair[0].type == FieldType.identifier]
    return (own or filled or [None])[0]


def documents_needed(service: Service, values: dict[str, str] | None = None) -> tuple[str, dict] | str:
    """The "Keep ready: …" line as a nested message (for these answers, when given), or nothing for a service
    that needs no documents."""
    documents = service.documents_for(values)
    return ("documents_needed", {"documents": documents}) if documents else ""


def what_comes_next(service: Service, values: dict[str, str]) -> tuple[str, dict]:
    """The summary's line on what follows submitting, as a nested message: a bill's amount comes from the
    department, a payment's amount is known, a booking's slot and fare are picked next, an application has a
    fee and a time."""
    from bot.payment_flow import BILL_SERVICES, CANCEL_TICKET, amount_paise
    from payments.messages import rupees

    outcome = service.outcome.value
    if outcome == "booking":  # a catalog fee on a booking is the department's slot price (a driving test)
        if service.fee:
            return "summary_next_booking_fee", {"fee": fee_rupees(service.fee)}
        return "summary_next_booking", {}
    if outcome == "payment_receipt":
        if service.id in BILL_SERVICES:
            return "summary_next_bill", {}
        if service.id == CANCEL_TICKET:
            return "summary_next_cancel", {}
        return "summary_next_payment", {"amount": rupees(amount_paise(service.id, values))}
    return "summary_next_application", {"fee": _fee(service), "when": _when(service)}


def _when(service: Service, expected: datetime | None = None) -> tuple[str, dict]:
    """When the citizen may expect the outcome: a certificate or decision is given, a complaint resolved."""
    if not service.sla_days:
        return "expected_same_day", {}
    resolved = service.outcome.value == "grievance_ticket"
    if expected is None:
        return ("resolved_in_days" if resolved else "expected_in_days"), {"days": service.sla_days}
    return ("resolved_by" if resolved else "expected_by"), {"days": service.sla_days,
                                                            "expected": f"{to_india(expected):%d-%m-%Y}"}


def _settled_by_a_flow(service: Service) -> bool:
    """Bills, payments and bookings: what the citizen gets is settled right after submitting (bot/payment_flow.py,
    bot/booking_flow.py), so their confirmation promises no fee or days."""
    return service.outcome.value in ("payment_receipt", "booking")


def _fee(service: Service) -> tuple[str, dict]:
    return ("fee_amount", {"fee": fee_rupees(service.fee)}) if service.fee else ("fee_none", {})


def citizen_for(session, vault, sender_id: str, channel: str) -> Citizen:
    """The citizen row for a channel sender id, created on first use (the number stored sealed and masked)."""
    key = vault.lookup_hash(sender_id)
    citizen = session.scalar(select(Citizen).where(Citizen.lookup_hash == key))
    if citizen is None:
        citizen = Citizen(lookup_hash=key, number_sealed=vault.seal(sender_id), number_masked=mask_number(sender_id),
                          channel=channel)
        session.add(citizen)
        session.flush()
    return citizen


def citizen_id_for(session_factory, vault, sender_id: str, channel: str) -> int:
    """`citizen_for` in its own transaction, retried once when a concurrent request created the row first."""
    for _ in range(2):
        try:
            with session_factory.begin() as session:
                return citizen_for(session, vault, sender_id, channel).id
        except IntegrityError:
            continue
    raise RuntimeError("could not record the citizen; try again")


def mask_number(number: str) -> str:
    number = number.strip()
    return number if len(number) <= 4 else "*" * (len(number) - 4) + number[-4:]

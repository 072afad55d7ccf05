"""Status services answered by the department's own identifier (pension id, FIR, PNR, job card...): every status
service in the catalog walked through the real Bot, a number the department does not know, the HTTP contract
against its local server, and an outage that keeps the request."""
from __future__ import annotations

import re

import pytest

from applications.connectors import EmbeddedConnector
from bot.engine import Bot
from bot.texts import messages
from catalog.loader import load_catalog
from catalog.schema import FieldType
from departments import DepartmentError, DepartmentUnavailable, StatusQuery, UnknownIdentifier
from departments.http import HttpDepartments
from departments.simulated import SimulatedDepartments
from departments.statuses import STAGES, seeded_status, status_kind
from nlu.answers import format_of
from tests.fakes.department_server import DepartmentServer
from tests.utils.chat import Chat, all_text, answers_for

STATUS_SERVICES = sorted(s.id for s in load_catalog().services.values() if s.outcome.value == "status")
ASK_REFERENCE = messages()["status_ask_reference"]
PENSION = "welfare.pension_status"


def walk(chat: Chat, catalog, service_id: str, language: str, answers: dict[str, str] | None = None):
    """Open the service by its menu path and answer every field; the replies to the last answer."""
    service = catalog.services[service_id]
    chat.say(choice=f"lang:{language}")
    chat.say("menu")
    chat.say(str(service.menu_path[0]))
    replies = chat.say(str(service.menu_path[1]))
    today = chat.bot.dialogue.clock().date()
    for spec in service.fields:
        value = (answers or {}).get(spec.name)
        if value is None and spec.type == FieldType.choice:
            replies = chat.say(choice=f"opt:{spec.choices[-1].value}")
        else:
            replies = chat.say(value or answers_for(spec, catalog, today)[0])
    return replies


def lookup_identifier(catalog, service_id: str) -> tuple[str, str, str]:
    """(the value a status service is looked up by, how the citizen sees it (masked where the format masks),
    the format's name)."""
    service = catalog.services[service_id]
    spec = next((f for f in service.fields if f.type == FieldType.identifier), None) or \
        next(f for f in service.fields if format_of(f) is not None)
    fmt = format_of(spec)
    value = fmt.check(answers_for(spec, catalog, None)[0]).value
    return value, fmt.mask(value), fmt.name


@pytest.mark.parametrize("language", ["en", "te"])
@pytest.mark.parametrize("service_id", STATUS_SERVICES)
def test_every_status_service_answers_with_a_status(make_bot, catalog, service_id, language):
    replies = walk(Chat(make_bot()), catalog, service_id, language)
    text = all_text(replies)
    assert ASK_REFERENCE["en"] not in text and ASK_REFERENCE["te"] not in text, text
    value, shown, format_name = lookup_identifier(catalog, service_id)
    if format_name == "mitra_reference":  # mitra's own references keep the application path (never submitted)
        assert messages()["status_not_found"][language].format(reference=value) in text, text
        return
    assert ("Status: *" if language == "en" else "స్థితి: *") in text, text
    assert any(messages()[f"dept_stage_{stage}"][language] in text for stage in STAGES), text
    assert shown in text
    if shown != value:  # a personal number is shown masked only
        assert value not in text
    if language == "te":
        assert "Status:" not in text and "What happens next" not in text


def test_a_number_the_department_does_not_know_gets_a_polite_not_found(make_bot, catalog, clock):
    service = catalog.services[PENSION]
    unknown = next(f"10123456{n:02d}" for n in range(100) if _not_on_record(service, f"10123456{n:02d}", clock))
    chat = Chat(make_bot())
    text = all_text(walk(chat, catalog, PENSION, "en", {"pension_id_or_aadhaar": unknown}))
    assert "could not find a record of XXXXXX" + unknown[-4:] in text and unknown not in text
    assert "Status: *" not in text
    assert all_text(chat.say("continue")) == messages()["nothing_to_continue"]["en"]  # no draft left behind


def _not_on_record(service, identifier: str, clock) -> bool:
    try:
        seeded_status("mitra-departments-2026", StatusQuery(service.id, "SRP", identifier, "pension_id", "payment"),
                      clock().date())
    except UnknownIdentifier:
        return True
    return False


def test_the_same_number_gets_the_same_status_every_time(make_bot, catalog):
    first = all_text(walk(Chat(make_bot(), citizen="919800000011"), catalog, PENSION, "en"))
    again = all_text(walk(Chat(make_bot(), citizen="919800000012"), catalog, PENSION, "en"))
    assert first == again and "Status: *" in first


# ---------------------------------------------------------------- over HTTP: the contract and an outage
@pytest.fixture
def department_server(tmp_path):
    from core.db import init_db, make_session_factory

    store = SimulatedDepartments(make_session_factory(init_db(f"sqlite:///{tmp_path / 'department.db'}")))
    with DepartmentServer(store) as server:
        yield server


def test_the_http_adapter_speaks_the_status_contract(department_server, catalog):
    store = department_server.app_store
    system = HttpDepartments(department_server.url, backoff_s=0.01)
    query = StatusQuery("police.fir_status", "POL", "123/2026", "fir", "case", {"district": "guntur"})
    assert system.lookup_status(query) == store.lookup_status(query)  # every field survives the wire
    assert system.lookup_status(query).district == "guntur"
    unknown = next(q for q in (StatusQuery(PENSION, "SRP", f"10123456{n:02d}", "pension_id", "payment")
                               for n in range(100)) if _raises(store, q))
    with pytest.raises(UnknownIdentifier):
        system.lookup_status(unknown)
    with pytest.raises(DepartmentError) as refused:
        system.lookup_status(StatusQuery(PENSION, "SRP", "12", "pension_id", "payment"))
    assert not isinstance(refused.value, (UnknownIdentifier, DepartmentUnavailable))


def _raises(store, query) -> bool:
    try:
        store.lookup_status(query)
    except UnknownIdentifier:
        return True
    return False


def test_an_outage_keeps_the_request_and_continue_asks_again(department_server, catalog, sessions, settings, clock):
    departments = HttpDepartments(department_server.url, attempts=2, backoff_s=0.01, fail_max=50)
    bot = Bot(catalog, None, sessions, EmbeddedConnector(sessions, departments=departments), settings, clock=clock,
              departments=departments)
    chat = Chat(bot)
    department_server.down = True
    replies = walk(chat, catalog, PENSION, "te")
    text = all_text(replies)
    assert "స్పందించడం లేదు" in text and "స్థితి: *" not in text
    assert replies[-1].buttons[0].id == "continue"
    assert department_server.calls == 2  # tried again once before giving up
    department_server.down = False
    text = all_text(chat.say(choice="continue"))
    assert "స్థితి: *" in text and lookup_identifier(catalog, PENSION)[1] in text


def test_a_mitra_reference_in_a_department_field_is_shown_only_to_its_applicant(make_bot, catalog):
    applied = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                   if s.outcome.value == "certificate")
    applicant = Chat(make_bot(), citizen="919800000021")
    walk(applicant, catalog, applied.id, "en")
    reference = re.search(r"AP-[A-Z]{2,5}-\d{4}-\d{6}", all_text(applicant.say(choice="submit"))).group()
    service = next(s for s in catalog.services.values() if s.outcome.value == "status"
                   and any(f.format == "department_reference" for f in s.fields))
    field = next(f for f in service.fields if f.format == "department_reference")
    mine = all_text(walk(applicant, catalog, service.id, "en", {field.name: reference}))
    assert f"Application *{reference}*" in mine and "Status: *" not in mine
    other = all_text(walk(Chat(make_bot(), citizen="919800000022"), catalog, service.id, "en",
                          {field.name: reference}))
    assert messages()["status_not_found"]["en"].format(reference=reference) in other


def test_an_outage_during_a_reference_lookup_also_keeps_the_request(department_server, catalog, sessions, settings,
                                                                     clock):
    departments = HttpDepartments(department_server.url, attempts=1, backoff_s=0.01, fail_max=50)
    bot = Bot(catalog, None, sessions, EmbeddedConnector(sessions, departments=departments), settings, clock=clock,
              departments=departments)
    chat = Chat(bot)
    department_server.down = True
    replies = walk(chat, catalog, "core.application_status", "en", {"application_number": "AP-REV-2026-000123"})
    assert "not answering right now" in all_text(replies) and replies[-1].buttons[0].id == "continue"
    department_server.down = False
    again = all_text(chat.say("continue"))
    assert messages()["status_not_found"]["en"].format(reference="AP-REV-2026-000123") in again


def test_the_kind_of_record_is_read_from_the_service_s_own_words(catalog):
    def kind(service_id):
        service = catalog.services[service_id]
        return status_kind(f"{service.name.en} {service.description.en}")

    assert kind("police.fir_status") == "case"
    assert kind("apsrtc.parcel_tracking") == "consignment"
    assert kind("apsrtc.ticket_status") == "ticket"  # it mentions a refund, but is a ticket first
    assert kind("civil_supplies.ration_entitlement") == "entitlement"
    assert kind("welfare.pension_status") == kind("panchayat_raj.wage_status") == "payment"
    assert kind("health.health_card_status") == "application"


@pytest.mark.parametrize(("said", "shown"), [("4991 1866 5246", "XXXX XXXX 5246"), ("1012345678", "XXXXXX5678")])
def test_a_pension_is_looked_up_by_its_id_or_the_pensioners_aadhaar(make_bot, catalog, said, shown):
    """"pension raavatledu" leads here, and many pensioners' families have no pension card at hand: the Aadhaar
    number finds the pension too."""
    text = all_text(walk(Chat(make_bot()), catalog, PENSION, "en", {"pension_id_or_aadhaar": said}))
    assert "Status: *" in text and shown in text and said.replace(" ", "") not in text.replace(" ", ""), text
    assert ("Aadhaar number: " if len(said) > 10 else "Pension ID: ") + shown in text  # which number it is


def test_an_aadhaar_in_the_request_answers_the_pension_status(make_bot, router):
    """A field that takes either of two numbers is filled from the request by either."""
    chat = Chat(make_bot(router))
    assert chat.say("pension status for aadhaar 4991 1866 5246")[-1].buttons[0].id == "yes"
    text = all_text(chat.say(choice="yes"))
    assert "Status: *" in text and "Aadhaar number: XXXX XXXX 5246" in text, text

"""The HTTP department adapter against a local server speaking departments/openapi.yaml, and an outage."""
from __future__ import annotations

from datetime import date

import pytest

from core.db import init_db, make_session_factory
from departments import AlreadySettled, DepartmentUnavailable, SoldOut, UnknownIdentifier
from departments.http import HttpDepartments
from departments.simulated import SimulatedDepartments
from tests.commerce.conftest import _settings
from tests.fakes.department_server import DepartmentServer

USC = "1234567890123"


@pytest.fixture
def department_server(tmp_path):
    store = SimulatedDepartments(make_session_factory(init_db(f"sqlite:///{tmp_path / 'department.db'}")))
    with DepartmentServer(store) as server:
        yield server


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


@pytest.fixture
def settings(tmp_path, graph_server, department_server):  # noqa: F811 - mitra's settings, departments over HTTP
    return _settings(tmp_path / "mitra", graph_server, departments_url=department_server.url,
                     departments_timeout_s=2.0)


def test_adapter_speaks_the_contract(department_server):
    system = HttpDepartments(department_server.url, backoff_s=0.01)
    bill = system.lookup_bill("electricity", USC)
    assert bill.identifier == USC and bill.amount_paise > 0 and not bill.paid
    system.settle_bill(bill, "MP1")
    assert system.lookup_bill("electricity", USC).paid
    assert system.booking("BKNOSUCH") is None
    with pytest.raises(UnknownIdentifier):
        system.confirm("BKNOSUCH")
    bus = system.search_buses("guntur", "nellore", date(2030, 3, 1))[0]
    hold = system.hold([bus.resource_key], bus.capacity, "citizen:1", 20)
    with pytest.raises(SoldOut):
        system.hold([bus.resource_key], 1, "citizen:2", 20)
    assert system.confirm(hold.reference).status == "confirmed"


def test_outage_is_retried_then_the_breaker_opens(department_server):
    system = HttpDepartments(department_server.url, attempts=3, fail_max=2, reset_s=60, backoff_s=0.01)
    department_server.down = True
    for _ in range(2):
        with pytest.raises(DepartmentUnavailable):
            system.lookup_bill("electricity", USC)
    assert department_server.calls == 6  # three tries each
    with pytest.raises(DepartmentUnavailable):
        system.lookup_bill("electricity", USC)
    assert department_server.calls == 6  # the open breaker does not call at all


def test_outage_gets_a_polite_answer_and_loses_nothing(app, citizen, department_server, session_factory):
    department_server.down = True
    citizen.say("menu")
    citizen.say("5")
    citizen.say("1")
    citizen.say(USC)
    citizen.say("9848012345")
    sent = citizen.tap("submit")  # the application itself goes to the department first
    assert "did not accept" in sent[-1].text and "Nothing was submitted" in sent[-1].text
    department_server.down = False
    app.services.departments().breaker.close()  # the breaker's own timer would do this after reset_s
    shown = citizen.tap("submit")
    assert "Amount due: ₹" in shown[-1].text and USC in shown[-1].text  # the draft was kept


def test_the_test_server_implements_every_path_of_the_published_contract(department_server):
    from pathlib import Path

    import yaml

    from departments.http import __file__ as adapter_file
    from tests.fakes.department_server import create_department_app

    contract = yaml.safe_load(Path(adapter_file).with_name("openapi.yaml").read_text(encoding="utf-8"))
    served = {(route.path, method.lower()) for route in create_department_app(None, department_server).routes
              for method in getattr(route, "methods", ()) if not route.path.startswith(("/docs", "/openapi", "/redoc"))}
    published = {(path, method) for path, item in contract["paths"].items() for method in item}
    assert published <= served, published - served


def test_applications_go_through_the_department_interface_over_http(tmp_path, department_server):
    """Submit and status over the contract: a replay gives the same reference, an unknown one is None."""
    from datetime import datetime

    from applications.connectors import ApplicationRequest, EmbeddedConnector
    store, citizen_id = department_server.app_store, 7
    connector = EmbeddedConnector(store.sessions, departments=HttpDepartments(department_server.url, backoff_s=0.01))
    request = ApplicationRequest("income_certificate", "REV", citizen_id, {"name": "Ravi"}, {"name": "R***"},
                                 "sealed", 45.0, 7, "te", "wamid.1", datetime(2026, 12, 1, 10, 0))
    reference = connector.submit(request)
    assert reference == "AP-REV-2026-000001"
    assert connector.submit(request) == reference
    status = connector.status(reference)
    assert (status.service_id, status.status, status.expected_by) == ("income_certificate", "submitted",
                                                                     datetime(2026, 12, 8, 10, 0))
    assert store.application_status(reference).citizen_db_id == citizen_id  # the department holds it
    assert connector.status("AP-REV-2026-999999") is None
    # the fee, paid two days late: the office's seven days count from then, and a retried call changes nothing
    departments = connector.departments
    for _ in range(2):
        paid = departments.fee_paid(reference, "MP261203AB12CD34", datetime(2026, 12, 3, 10, 0))
        assert paid.expected_by == datetime(2026, 12, 10, 10, 0)
    assert [h.get("fee_receipt") for h in paid.history] == [None, "MP261203AB12CD34"]
    with pytest.raises(UnknownIdentifier):
        departments.fee_paid("AP-REV-2026-999999", "MP1", datetime(2026, 12, 3, 10, 0))
    department_server.down = True
    from applications.connectors import ConnectorError
    with pytest.raises(ConnectorError):
        connector.submit(ApplicationRequest("income_certificate", "REV", citizen_id, {}, {}, "s", 45.0, 7, "en",
                                            "wamid.2", datetime(2026, 12, 1, 11, 0)))


def test_a_fee_and_a_bill_paid_while_the_department_is_down_reach_it_when_it_is_back(
        department_server, settings, session_factory):
    """The citizen's payment is recorded and receipted at once; the department hears of it on the worker's
    schedule, once it answers again, with the time the citizen paid (the office's days count from then)."""
    from datetime import datetime

    from applications.connectors import ApplicationRequest, EmbeddedConnector
    from applications.documents import DocumentRegister
    from core.db import Citizen
    from payments import ledger_from_settings
    from payments.ledger import Payable, once_subject

    departments = HttpDepartments(department_server.url, attempts=1, fail_max=1000, backoff_s=0.01)
    store = department_server.app_store
    connector = EmbeddedConnector(store.sessions, departments=departments)
    reference = connector.submit(ApplicationRequest("income_certificate", "REV", 7, {}, {}, "s", 45.0, 7, "en",
                                                    "wamid.fee", datetime(2026, 12, 1, 10, 0)))
    paid_at = datetime(2026, 12, 3, 9, 30)
    ledger = ledger_from_settings(settings, session_factory, departments, DocumentRegister(session_factory, settings),
                                  clock=lambda: paid_at)
    with session_factory.begin() as session:
        citizen = Citizen(lookup_hash="down-test", number_sealed="", number_masked="", channel="web")
        session.add(citizen)
        session.flush()
        citizen_id = citizen.id
    bill = departments.lookup_bill("electricity", USC)
    orders = [ledger.open_order(citizen_id, Payable("revenue.income_certificate", "fee", once_subject(reference),
                                                    4500, "Income certificate fee", ()), "en"),
              ledger.open_order(citizen_id, Payable("energy.pay_electricity_bill", "bill", bill.bill_key,
                                                    bill.amount_paise, "Electricity bill", (), bill=bill), "en"),
              ledger.open_order(citizen_id, Payable("revenue.income_certificate", "fee",  # one it does not know
                                                    once_subject("AP-REV-2026-999999"), 4500, "Fee", ()), "en")]

    department_server.down = True
    for order in orders:
        result = ledger.simulate(order.link_id, "pay")
        assert result.outcome == "recorded" and result.notices[0].document  # the receipt goes out regardless
    assert ledger.tell_departments() == 0  # still down: nothing is lost, nothing is marked done
    assert sorted(r for _, r in ledger.flags()) == ["department_unavailable"] * 3

    department_server.down = False
    assert ledger.tell_departments() == 2
    assert ledger.tell_departments() == 0  # told once
    refused = [(ref, r) for ref, r in ledger.flags() if r == "department_refused_after_payment"]
    assert refused == [(orders[2].reference, "department_refused_after_payment")]  # left to staff, once
    status = connector.status(reference)
    assert status.expected_by == datetime(2026, 12, 10, 9, 30)  # seven days from the payment, not from the retry
    assert departments.lookup_bill("electricity", USC).paid
    assert departments.settle_bill(bill, orders[1].reference).receipt == orders[1].reference  # a replay is fine
    with pytest.raises(AlreadySettled):
        departments.settle_bill(bill, "MP-SOMEONE-ELSE")


@pytest.mark.parametrize(("language", "said"), [("te-latn", "బిల్లు ఏదీ దొరకలేదు"), ("en", "No e-challan bill was found")])
def test_a_bill_the_department_does_not_know_is_told_in_the_citizens_language(
        department_server, settings, session_factory, catalog, language, said):
    """A 404 for the vehicle's fines was shown to the citizen as the department's own English words."""
    from applications.documents import DocumentRegister
    from bot.dialogue import Conversation
    from bot.hooks import Submitted
    from bot.payment_flow import PaymentFlow
    from bot.state import DialogueState
    from payments import ledger_from_settings

    departments = HttpDepartments(department_server.url, backoff_s=0.01)
    flow = PaymentFlow(ledger_from_settings(settings, session_factory, departments,
                                            DocumentRegister(session_factory, settings)), departments)
    department_server.unknown_bills.add("AP39AB1234")
    convo = Conversation(1, DialogueState(), language, language)
    flow.after_submit(convo, Submitted(catalog.services["police.echallan_payment"], "AP-POL-2026-000002",
                                       {"vehicle_number": "AP39AB1234", "challan_number": "", "mobile": "9848012345"}))
    shown = convo.replies[-1].text
    assert said in shown and "AP39AB1234" in shown and "dues for" not in shown, shown
    assert convo.state.step != flow.step

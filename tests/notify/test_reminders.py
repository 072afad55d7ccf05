"""The scheduled reminders through the real pieces: a citizen on the signed webhook books a darshan and pays,
or leaves a request unfinished; the worker's schedule (InboxWorker.periodic, and the queue's sweeper) sends the
reminder to the fake Graph server once, as text inside the 24-hour window and as the template outside it, and
not after STOP or "stop reminders". The notifier's clock is moved instead of sleeping."""
from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from core.db import Notification, utcnow
from core.db.commerce_models import CitizenBooking, PaymentOrder
from runtime.worker import InboxWorker
from tests.utils.net import wait_for

REMINDERS = ("booking_reminder", "draft_reminder")


def new_for(graph, citizen) -> list[dict]:
    """The reminders among the messages the citizen got since last asked (the embedded department's status
    updates of the same application may arrive too)."""
    sent = graph.sent_to(citizen.wa_id)
    new, citizen.seen = sent[citizen.seen:], len(sent)
    return [m for m in new if _is_reminder(m)]


def _is_reminder(message: dict) -> bool:
    if message["type"] == "template":
        return message["template"]["name"] in REMINDERS
    body = message.get("text", {}).get("body", "")
    return "reminder" in body or "not finished" in body


def move_clock(app, to) -> None:
    app.services.notifier().clock = lambda: to


def _book_darshan_and_pay(app, citizen) -> CitizenBooking:
    day = (utcnow() + timedelta(days=4)).strftime("%d-%m-%Y")
    for said in ("menu", "7", "1", "Tirumala", day):
        citizen.say(said)
    citizen.tap("opt:special_entry")
    for said in ("2", "Ravi Kumar", "9848012345"):
        citizen.say(said)
    citizen.tap("submit")
    citizen.say("2")  # the 09:00 slot
    with app.services.session_factory() as session:
        order = session.scalars(select(PaymentOrder).order_by(PaymentOrder.id.desc())).first()
    assert httpx.post(f"{app.url}/pay/{order.link_id}", data={"action": "pay"}, timeout=30).status_code == 200
    with app.services.session_factory() as session:
        return session.scalar(select(CitizenBooking).where(
            CitizenBooking.reference == order.details["booking_reference"]))


def test_booking_reminder_goes_once_the_day_before_as_the_template_outside_the_window(app, citizen, graph):
    booking = _book_darshan_and_pay(app, citizen)
    assert booking is not None and booking.status == "confirmed"
    new_for(graph, citizen)
    worker = InboxWorker(app.services)

    move_clock(app, booking.starts_at - timedelta(days=2))  # two days before: too early
    worker.periodic()
    assert new_for(graph, citizen) == []

    move_clock(app, booking.starts_at - timedelta(hours=12))  # the evening before (India time)
    worker.periodic()
    worker.periodic()  # the schedule runs again: nothing more
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["template"]  # the citizen last wrote days ago
    template = sent[0]["template"]
    assert template["name"] == "booking_reminder"
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[0] == booking.reference and "09:00" in values[2]


def test_stop_reminders_mutes_the_booking_reminder(app, citizen, graph):
    booking = _book_darshan_and_pay(app, citizen)
    assert "reminders" in citizen.say("stop reminders")[-1].text.lower()
    new_for(graph, citizen)
    move_clock(app, booking.starts_at - timedelta(hours=12))
    InboxWorker(app.services).periodic()
    assert new_for(graph, citizen) == []
    with app.services.session_factory() as session:
        row = session.scalar(select(Notification).where(Notification.kind == "booking_reminder"))
    assert row.status == "skipped" and "booking_reminder" in row.error


def _leave_a_form(citizen) -> None:
    citizen.say("menu")
    citizen.say("5")  # Energy
    citizen.say("1")  # Pay electricity bill: asks for the service number, and the citizen goes quiet


def test_unfinished_request_reminded_once_inside_the_window_as_text(app, citizen, graph):
    _leave_a_form(citizen)
    new_for(graph, citizen)
    worker = InboxWorker(app.services)
    worker.periodic()
    assert new_for(graph, citizen) == []  # just now: not yet
    move_clock(app, utcnow() + timedelta(hours=7))
    worker.periodic()
    worker.periodic()
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["text"]  # seven hours after the citizen's last message
    assert "not finished" in sent[0]["text"]["body"] and "electricity" in sent[0]["text"]["body"].lower()
    move_clock(app, utcnow() + timedelta(days=2))  # the same pause, later: still only one reminder
    worker.periodic()
    assert new_for(graph, citizen) == []

    answer = citizen.say("continue")  # and the reminder's promise holds: the form picks up where it stopped
    assert any("service number" in m.text.lower() or "usc" in m.text.lower() for m in answer), \
        [m.text for m in answer]


def test_after_stop_no_draft_reminder(app, citizen, graph):
    _leave_a_form(citizen)
    citizen.say("STOP")
    new_for(graph, citizen)
    move_clock(app, utcnow() + timedelta(hours=7))
    InboxWorker(app.services).periodic()
    assert new_for(graph, citizen) == []


def test_the_queue_sweeper_sends_reminders_too(app, citizen, graph):
    from runtime.queue.runtime import Sweeper

    _leave_a_form(citizen)
    new_for(graph, citizen)
    move_clock(app, utcnow() + timedelta(hours=7))
    sweeper = Sweeper(app.services, enqueue=lambda citizen_hash: None, interval_s=0.05, waiting_s=3600,
                      advance_interval_s=0.05).start()
    try:
        wait_for(lambda: any(_is_reminder(m) for m in graph.sent_to(citizen.wa_id)[citizen.seen:]), timeout=60)
    finally:
        sweeper.stop()
    sent = new_for(graph, citizen)
    assert len(sent) == 1 and "not finished" in sent[0]["text"]["body"]

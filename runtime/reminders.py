"""The scheduled reminders: a booking on the day before it starts, and a request left unfinished.

Both go through `Notifier.notify`, so STOP, the per-kind opt-out ("stop reminders"), the 24-hour window
(a template outside it) and Graph's errors are handled as for every proactive message; a `dedupe_key` per
booking and per idle draft makes each one go once, whichever worker (the embedded one or a queue sweeper)
runs the job and however often. Run from `InboxWorker.periodic`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.state import DialogueState
from core.db import Conversation
from core.db.commerce_models import CitizenBooking
from core.india_time import india_text, india_today

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemindersSent:
    bookings: int
    drafts: int


def send_reminders(services, now: datetime | None = None) -> RemindersSent:
    now = now or services.notifier().clock()
    return RemindersSent(booking_reminders(services, now), draft_reminders(services, now))


def booking_reminders(services, now: datetime) -> int:
    """Confirmed bookings starting tomorrow (India time) and within `booking_reminder_hours`: one reminder each."""
    settings, notifier = services.settings, services.notifier()
    lead = timedelta(hours=settings.booking_reminder_hours)
    with services.session_factory() as session:
        due = session.execute(select(CitizenBooking, Conversation.language).outerjoin(
            Conversation, Conversation.citizen_id == CitizenBooking.citizen_id).where(
            CitizenBooking.status == "confirmed", CitizenBooking.reminded_at.is_(None),
            CitizenBooking.starts_at > now, CitizenBooking.starts_at <= now + lead)).all()
    sent = 0
    for booking, language in due:
        if india_today(booking.starts_at) != india_today(now) + timedelta(days=1):
            continue  # not the day before (booked at the last minute, or the job ran late): no "tomorrow"
        if booking.created_at >= booking.starts_at - lead:
            continue  # booked less than a day ahead: the ticket itself was the reminder
        what = booking.what_te if (language or "").startswith("te") and booking.what_te else booking.what_en
        notifier.notify(booking.citizen_id, "booking_reminder", booking.reference,
                        {"what": what, "when": india_text(booking.starts_at, "%d-%m-%Y %H:%M")},
                        dedupe_key=f"booking_reminder:{booking.reference}")
        with services.session_factory.begin() as session:
            session.execute(update(CitizenBooking).where(CitizenBooking.id == booking.id).values(reminded_at=now))
        sent += 1
    if sent:
        log.info("reminders: %d bookings tomorrow", sent)
    return sent


def draft_reminders(services, now: datetime) -> int:
    """Conversations left with a form unfinished for `draft_reminder_hours` (and not older than
    `draft_reminder_max_days`): one reminder per draft and pause."""
    settings, notifier = services.settings, services.notifier()
    idle_since = now - timedelta(hours=settings.draft_reminder_hours)
    oldest = now - timedelta(days=settings.draft_reminder_max_days)
    with services.session_factory() as session:
        idle = session.execute(select(Conversation.id, Conversation.citizen_id, Conversation.state,
                                      Conversation.language, Conversation.updated_at).where(
            Conversation.updated_at <= idle_since, Conversation.updated_at > oldest,
            Conversation.handed_off.is_(False))).all()
    sent = 0
    for conversation_id, citizen_id, state, language, updated_at in idle:
        service_id = _unfinished(DialogueState.from_json(state, services.vault))
        service = services.catalog.services.get(service_id) if service_id else None
        if service is None:
            continue
        name = service.name.te if (language or "").startswith("te") else service.name.en
        key = f"draft_reminder:{conversation_id}:{service_id}:{updated_at:%Y%m%d%H%M%S}"
        if notifier.notify(citizen_id, "draft_reminder", "", {"service": name}, dedupe_key=key) is not None:
            sent += 1
    if sent:
        log.info("reminders: %d unfinished requests", sent)
    return sent


def _unfinished(state: DialogueState) -> str | None:
    """The form the citizen was filling, or the latest one they stepped away from."""
    if state.has_form:
        return state.service_id
    return state.latest_draft()


__all__ = ["RemindersSent", "booking_reminders", "draft_reminders", "send_reminders"]

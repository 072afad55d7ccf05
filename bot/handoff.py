"""Hand-offs to a person: opened when the dialogue hands the citizen over, closed when either side ends it."""
from __future__ import annotations

import math

from sqlalchemy import func, select, update

from core.db import Handoff, utcnow

OPEN = ("waiting", "answered")


def open_handoff(session, citizen_db_id: int, conversation_id: int) -> int:
    """Record the hand-off; returns how many citizens are waiting ahead of this one."""
    ahead = session.scalar(select(func.count()).select_from(Handoff).where(Handoff.status == "waiting")) or 0
    if not session.scalar(select(Handoff.id).where(Handoff.citizen_id == citizen_db_id,
                                                   Handoff.status.in_(OPEN))):
        session.add(Handoff(citizen_id=citizen_db_id, conversation_id=conversation_id, status="waiting"))
    return ahead


def close_handoffs(session, citizen_db_id: int, status: str, agent: str | None = None) -> int:
    values = {"status": status, "closed_at": utcnow()}
    if agent:
        values["agent"] = agent
    return session.execute(update(Handoff).where(Handoff.citizen_id == citizen_db_id, Handoff.status.in_(OPEN))
                           .values(**values).execution_options(synchronize_session=False)).rowcount


def expected_wait_minutes(ahead: int, minutes_per_handoff: float) -> int:
    return max(1, math.ceil((ahead + 1) * minutes_per_handoff))

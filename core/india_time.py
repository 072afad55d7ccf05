"""India Standard Time. The database keeps naive UTC; citizens and departments read and write India time."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

IST = timedelta(hours=5, minutes=30)


def to_india(utc: datetime) -> datetime:
    return utc.replace(tzinfo=None) + IST


def from_india(local: datetime) -> datetime:
    return local.replace(tzinfo=None) - IST


def india_text(utc: datetime, fmt: str = "%d %b %Y %H:%M") -> str:
    """A stored UTC time as a citizen reads it, zone named: "05 Dec 2026 15:27 IST"."""
    return f"{to_india(utc):{fmt}} IST"


def india_today(utc: datetime | None = None) -> date:
    """The date in India now (or at the UTC time given): "today" and "tomorrow" are the citizen's, not the server's."""
    return to_india(utc or datetime.now(UTC)).date()

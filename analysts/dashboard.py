"""What the analysts' dashboard shows, from the stored (masked) messages: volumes, route decisions, services.

Counts come from SQL GROUP BYs; the route decision and service live in each inbound message's route JSON, read
column-wise so the same code runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import Citizen, Message

DECISIONS = ("route", "clarify", "out_of_scope", "handoff")


@dataclass(frozen=True)
class DailyCount:
    day: str
    channel: str
    kind: str
    language: str
    messages: int


@dataclass(frozen=True)
class Dashboard:
    per_day: list[DailyCount] = field(default_factory=list)
    decisions: dict[str, int] = field(default_factory=dict)
    decision_rates: dict[str, float] = field(default_factory=dict)
    top_services: list[tuple[str, int]] = field(default_factory=list)
    top_departments: list[tuple[str, int]] = field(default_factory=list)
    voice_share: float = 0.0
    voice_confidence_mean: float | None = None


def messages_per_day(session: Session) -> list[DailyCount]:
    day = func.date(Message.created_at)
    rows = session.execute(
        select(day, Citizen.channel, Message.kind, Message.route, func.count())
        .join(Citizen, Citizen.id == Message.citizen_id).where(Message.direction == "in")
        .group_by(day, Citizen.channel, Message.kind, Message.route).order_by(day))
    counts: Counter = Counter()
    for d, channel, kind, route, n in rows:
        counts[(str(d), channel, kind, (route or {}).get("language") or "unknown")] += n
    return [DailyCount(*key, n) for key, n in sorted(counts.items())]


def build_dashboard(session: Session, catalog=None, limit: int = 10) -> Dashboard:
    routes = session.execute(select(Message.kind, Message.route).where(Message.direction == "in")).all()
    decisions: Counter = Counter()
    services: Counter = Counter()
    voice_confidence: list[float] = []
    for kind, route in routes:
        if not route:
            continue
        decisions[route.get("decision") or "unknown"] += 1
        if route.get("service_id"):
            services[route["service_id"]] += 1
        if kind == "voice" and route.get("confidence") is not None:
            voice_confidence.append(float(route["confidence"]))
    routed = sum(decisions.values())
    voice = sum(1 for kind, _ in routes if kind == "voice")
    return Dashboard(
        per_day=messages_per_day(session), decisions=dict(decisions),
        decision_rates={d: n / routed for d, n in decisions.items()} if routed else {},
        top_services=services.most_common(limit),
        top_departments=_departments(services, catalog).most_common(limit),
        voice_share=voice / len(routes) if routes else 0.0,
        voice_confidence_mean=sum(voice_confidence) / len(voice_confidence) if voice_confidence else None)


def _departments(services: Counter, catalog) -> Counter:
    departments: Counter = Counter()
    for service_id, n in services.items():
        spec = catalog.services.get(service_id) if catalog is not None else None
        departments[getattr(spec, "department", None) or service_id.split(".")[0]] += n
    return departments

"""What the analysts' dashboard shows, from the stored (masked) messages: volumes, route decisions, services,
voice, misroutes found by labelling, forms citizens give up on, and each model version on the frozen split.

Counts come from SQL GROUP BYs; the route decision and service live in each inbound message's route JSON, read
column-wise so the same code runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysts.model_scores import frozen_scores
from core.db.models import Application, Citizen, Conversation, Message, utcnow
from core.db.review_models import ReviewItem

DECISIONS = ("route", "clarify", "out_of_scope", "handoff")
HANDOFF_INTENT = "human_agent"
ABANDONED_AFTER = timedelta(days=1)  # a form untouched this long, not submitted, counts as given up
CONFIDENCE_BINS = (0.2, 0.4, 0.6, 0.8, 1.0)
FORM_STEPS = ("filling", "summary", "after_too_many_tries", "confirm_answer")  # bot.state: a form is open


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
    voice_confidence_histogram: list[tuple[str, int]] = field(default_factory=list)
    misroutes: list[Misroute] = field(default_factory=list)
    abandoned: list[Abandoned] = field(default_factory=list)
    model_accuracy: list[dict] = field(default_factory=list)  # analysts.model_scores.frozen_scores


@dataclass(frozen=True)
class Misroute:
    """Messages the router sent to `predicted` that an analyst labelled `label`."""

    predicted: str
    label: str
    count: int


@dataclass(frozen=True)
class Abandoned:
    """Forms of a service left unsubmitted for ABANDONED_AFTER, against those submitted."""

    service_id: str
    abandoned: int
    submitted: int
    rate: float


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


def build_dashboard(session: Session, catalog=None, limit: int = 10, vault=None, store=None,
                    now: datetime | None = None) -> Dashboard:
    """`vault` opens the paused forms kept in conversations (without it only open forms count as abandoned);
    `store` (nlu.model_store.ModelStore) gives the versions measured on the frozen split."""
    figures = _route_figures(session, catalog, limit)
    return Dashboard(**figures, per_day=messages_per_day(session), misroutes=misroutes(session, limit),
                     abandoned=abandoned_forms(session, vault, now or utcnow(), limit),
                     model_accuracy=frozen_scores(store) if store is not None else [])


def _route_figures(session: Session, catalog, limit: int) -> dict:
    routes = session.execute(select(Message.kind, Message.route).where(Message.direction == "in")).all()
    decisions: Counter = Counter()
    services: Counter = Counter()
    voice_confidence: list[float] = []
    for kind, route in routes:
        if not route:
            continue
        handed_off = route.get("intent") == HANDOFF_INTENT
        decisions["handoff" if handed_off else route.get("decision") or "unknown"] += 1
        if route.get("service_id"):
            services[route["service_id"]] += 1
        if kind == "voice" and route.get("confidence") is not None:
            voice_confidence.append(float(route["confidence"]))
    routed = sum(decisions.values())
    voice = sum(1 for kind, _ in routes if kind == "voice")
    return dict(
        decisions=dict(decisions),
        decision_rates={d: n / routed for d, n in decisions.items()} if routed else {},
        top_services=services.most_common(limit),
        top_departments=_departments(services, catalog).most_common(limit),
        voice_share=voice / len(routes) if routes else 0.0,
        voice_confidence_mean=sum(voice_confidence) / len(voice_confidence) if voice_confidence else None,
        voice_confidence_histogram=_histogram(voice_confidence))


def _histogram(values: list[float]) -> list[tuple[str, int]]:
    counts = Counter(next(i for i, edge in enumerate(CONFIDENCE_BINS) if v <= edge or edge == 1.0) for v in values)
    lows = (0.0, *CONFIDENCE_BINS[:-1])
    return [(f"{low:.1f}–{high:.1f}", counts[i]) for i, (low, high) in enumerate(zip(lows, CONFIDENCE_BINS))]


def misroutes(session: Session, limit: int = 10) -> list[Misroute]:
    """The most frequent (routed to, labelled as) pairs among the messages analysts labelled differently."""
    rows = session.execute(
        select(ReviewItem.intent, ReviewItem.label, func.count())
        .where(ReviewItem.status == "labelled", ReviewItem.intent.is_not(None), ReviewItem.label != ReviewItem.intent)
        .group_by(ReviewItem.intent, ReviewItem.label).order_by(func.count().desc(), ReviewItem.intent)
        .limit(limit))
    return [Misroute(predicted, label, n) for predicted, label, n in rows]


def abandoned_forms(session: Session, vault, now: datetime, limit: int = 10) -> list[Abandoned]:
    """Services whose forms citizens leave most: forms (open or paused) in conversations idle for
    ABANDONED_AFTER, with the same services' submitted applications for the rate."""
    left: Counter = Counter()
    idle = session.execute(select(Conversation.state).where(Conversation.updated_at <= now - ABANDONED_AFTER))
    for (state,) in idle:
        left.update(_forms_in(state or {}, vault))
    if not left:
        return []
    submitted = dict(session.execute(
        select(Application.service_id, func.count()).where(Application.service_id.in_(list(left)))
        .group_by(Application.service_id)).all())
    ranked = sorted(left.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [Abandoned(sid, n, submitted.get(sid, 0), round(n / (n + submitted.get(sid, 0)), 4)) for sid, n in ranked]


def _forms_in(state: dict, vault) -> set[str]:
    """Service ids of the open form and the paused drafts of one stored conversation state."""
    forms = {state["service_id"]} if state.get("service_id") and state.get("step") in FORM_STEPS else set()
    drafts = state.get("drafts")
    if isinstance(drafts, str) and drafts and vault is not None:
        drafts = vault.open_json(drafts)
    if isinstance(drafts, dict):
        forms.update(drafts)
    return forms


def _departments(services: Counter, catalog) -> Counter:
    departments: Counter = Counter()
    for service_id, n in services.items():
        spec = catalog.services.get(service_id) if catalog is not None else None
        departments[getattr(spec, "department", None) or service_id.split(".")[0]] += n
    return departments

"""The analysts' review queue: which citizen messages need a human look, and the labels analysts give them.

A message lands in the queue when the router was unsure (clarify), said out of scope, the citizen said
"No, not this" to the service we offered, picked a service from the clarify list (their pick is kept as
a suggested label), asked for a person, or a voice note was transcribed with low confidence.
Labelled items are what `mitra train` learns from next (`labelled_examples`).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysts.audit import record
from analysts.frozen_split import is_frozen_test_text
from core.db.models import Message, utcnow
from core.db.review_models import ReviewItem
from nlu import words
from nlu.entities import mask_pii
from nlu.training_data import LabelledText
from nlu.types import META_INTENTS, OUT_OF_SCOPE, RouteResult

LOW_CONFIDENCE = "low_confidence"
CLARIFIED = "clarified"
REJECTED = "rejected"
OUT_OF_SCOPE_REASON = "out_of_scope"
HANDED_OFF = "handed_off"
VOICE_LOW_CONFIDENCE = "voice_low_confidence"
REASONS = (LOW_CONFIDENCE, CLARIFIED, REJECTED, OUT_OF_SCOPE_REASON, HANDED_OFF, VOICE_LOW_CONFIDENCE)

VOICE_SURE = 0.6  # the dialogue asks "Did you say ...?" below this transcript confidence
STATUSES = ("open", "labelled", "skipped")


class ReviewError(ValueError):
    """An analyst's request cannot be done; the message says why (unknown item, unknown intent ...)."""


# ------------------------------------------------------------------------------------------- enqueue

def maybe_enqueue(session: Session, inbound: Message, message, route: RouteResult | None,
                  handed_off: bool = False) -> ReviewItem | None:
    """Called by the bot as it stores an inbound message (`inbound`, already masked) in `session`.

    A routed message is queued for its own reasons; a reaction ("No", a pick from the clarify list,
    asking for a person) adds a reason to the routed message it reacts to.
    """
    said = words.folded(getattr(message, "text", None))
    if route is not None and said not in words.YES | words.NO:  # a bare yes/no reacts; it asks for nothing
        reasons = _reasons_for_route(route, message, handed_off)
        return _add(session, inbound, route, reasons) if reasons else None
    reaction = _reaction(session, inbound, message, handed_off)
    if reaction is None:
        return None
    reason, suggested = reaction
    earlier = _last_routed(session, inbound)
    if earlier is None or earlier.route is None:
        return None
    return _add(session, earlier, RouteResult(**_route_fields(earlier.route)), [reason], suggested)


def _reasons_for_route(route: RouteResult, message, handed_off: bool) -> list[str]:
    reasons = []
    if route.decision == "clarify":
        reasons.append(LOW_CONFIDENCE)
    if route.decision == "out_of_scope":
        reasons.append(OUT_OF_SCOPE_REASON)
    if handed_off or route.intent == "human_agent":
        reasons.append(HANDED_OFF)
    confidence = getattr(getattr(message, "transcript", None), "confidence", None)
    if confidence is not None and float(confidence) < VOICE_SURE:
        reasons.append(VOICE_LOW_CONFIDENCE)
    return reasons


def _reaction(session: Session, inbound: Message, message, handed_off: bool) -> tuple[str, str | None] | None:
    """What this unrouted message says about the service we offered just before, if anything."""
    if handed_off:
        return HANDED_OFF, None
    choice = getattr(message, "choice_id", None) or ""
    said_no = choice in ("no", "none") or words.folded(getattr(message, "text", None)) in words.NO
    if not (said_no or choice.startswith("svc:")):
        return None  # most messages react to nothing we routed: no query
    offered = _last_reply(session, inbound)
    if offered is None:
        return None
    button_ids = {b.get("id") for b in offered.get("buttons", [])}
    row_ids = {r.get("id") for r in offered.get("rows", [])}
    if {"yes", "no", "menu"} <= button_ids and said_no:
        return REJECTED, None
    if "none" in row_ids and said_no:
        return REJECTED, None
    if "none" in row_ids and choice.startswith("svc:") and choice in row_ids:
        return CLARIFIED, choice[4:]
    return None


def _last_reply(session: Session, inbound: Message) -> dict | None:
    reply = session.scalar(select(Message.reply).where(
        Message.citizen_id == inbound.citizen_id, Message.direction == "out").order_by(Message.id.desc()).limit(1))
    return reply if isinstance(reply, dict) else None


def _last_routed(session: Session, inbound: Message, look_back: int = 10) -> Message | None:
    # an empty route is stored as JSON null, not SQL NULL, so the check is done here rather than in SQL
    recent = session.scalars(select(Message).where(
        Message.citizen_id == inbound.citizen_id, Message.direction == "in").order_by(Message.id.desc())
        .limit(look_back))
    return next((m for m in recent if isinstance(m.route, dict)), None)


def _route_fields(stored: dict) -> dict:
    from nlu.types import Alternative

    return {**{k: stored.get(k) for k in ("text", "normalized_text", "language", "intent", "service_id",
                                          "decision", "confidence", "model_version")},
            "alternatives": [Alternative(a["intent"], a["score"]) for a in stored.get("alternatives", [])]}


def _add(session: Session, inbound: Message, route: RouteResult, reasons: list[str],
         suggested: str | None = None) -> ReviewItem:
    if inbound.id is None:
        session.flush()  # the message needs its id before an item can point at it
    item = session.scalar(select(ReviewItem).where(ReviewItem.message_id == inbound.id))
    if item is None:
        item = ReviewItem(
            message_id=inbound.id, conversation_id=inbound.conversation_id, source="conversation",
            text=mask_pii(inbound.text or route.text or ""), transcript=inbound.transcript,
            language=route.language or "", reasons=[], decision=route.decision, intent=route.intent,
            confidence=route.confidence, model_version=route.model_version or inbound.model_version,
            alternatives=[{"intent": a.intent, "score": a.score} for a in route.alternatives],
            status="open")
        session.add(item)
    item.reasons = list(dict.fromkeys([*(item.reasons or []), *reasons]))
    if suggested:
        item.suggested_label = suggested
    return item


# ------------------------------------------------------------------------------------------- the queue

@dataclass
class QueuePage:
    items: list[ReviewItem]
    total: int


def list_items(session: Session, status: str = "open", limit: int = 50, offset: int = 0) -> QueuePage:
    if status not in (*STATUSES, "all"):
        raise ReviewError(f"unknown status {status!r}; use one of {', '.join((*STATUSES, 'all'))}")
    query = select(ReviewItem)
    counting = select(func.count(ReviewItem.id))
    if status != "all":
        query, counting = query.where(ReviewItem.status == status), counting.where(ReviewItem.status == status)
    items = list(session.scalars(query.order_by(ReviewItem.id).limit(max(1, min(limit, 500))).offset(offset)))
    return QueuePage(items, session.scalar(counting) or 0)


def item_as_dict(item: ReviewItem) -> dict:
    return {
        "id": item.id, "source": item.source, "text": item.text, "transcript": item.transcript,
        "language": item.language, "reasons": list(item.reasons or []), "decision": item.decision,
        "intent": item.intent, "confidence": item.confidence, "alternatives": list(item.alternatives or []),
        "model_version": item.model_version, "suggested_label": item.suggested_label, "status": item.status,
        "label": item.label, "corrected_text": item.corrected_text, "labelled_by": item.labelled_by,
        "labelled_at": item.labelled_at.isoformat() if item.labelled_at else None,
        "created_at": item.created_at.isoformat() if item.created_at else None,
    }


def allowed_labels(catalog) -> set[str]:
    return {*catalog.services, *META_INTENTS, OUT_OF_SCOPE}


def check_label(label: str, catalog) -> str:
    label = (label or "").strip()
    if label not in allowed_labels(catalog):
        raise ReviewError(f"unknown intent {label!r}: use a service id (e.g. revenue.caste_certificate), "
                          f"a meta intent ({', '.join(META_INTENTS)}) or {OUT_OF_SCOPE}")
    return label


def _get(session: Session, item_id: int) -> ReviewItem:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise ReviewError(f"no review item {item_id}")
    return item


def label_item(session: Session, item_id: int, label: str, catalog, who: str, role: str = "analyst") -> ReviewItem:
    """The right intent for the item's text."""
    label = check_label(label, catalog)
    item = _get(session, item_id)
    _mark(item, "labelled", label, who)
    record(session, who, role, "label", {"item": item.id, "label": label, "was": item.intent})
    return item


def skip_item(session: Session, item_id: int, who: str, role: str = "analyst") -> ReviewItem:
    item = _get(session, item_id)
    _mark(item, "skipped", None, who)
    record(session, who, role, "skip", {"item": item.id})
    return item


def correct_transcript(session: Session, item_id: int, corrected_text: str, catalog, who: str,
                       label: str | None = None, role: str = "analyst") -> ReviewItem:
    """The voice transcript was wrong: keep the corrected words (masked), and the intent if given."""
    corrected = mask_pii((corrected_text or "").strip())
    if not corrected:
        raise ReviewError("the corrected text is empty")
    item = _get(session, item_id)
    item.corrected_text = corrected
    if label:
        _mark(item, "labelled", check_label(label, catalog), who)
    else:
        item.labelled_by, item.labelled_at = who, utcnow()
    record(session, who, role, "correct_transcript", {"item": item.id, "label": label})
    return item


def _mark(item: ReviewItem, status: str, label: str | None, who: str) -> None:
    item.status, item.label, item.labelled_by, item.labelled_at = status, label, who, utcnow()


# ------------------------------------------------------------------------------------------- training data

def labelled_texts(session: Session) -> list[LabelledText]:
    """The analysts' labels as training data, without any line of the frozen test split."""
    items = session.scalars(select(ReviewItem).where(ReviewItem.status == "labelled", ReviewItem.label.is_not(None))
                            .order_by(ReviewItem.id))
    return [LabelledText(item.corrected_text or item.text, item.label, item.language or "", "analyst")
            for item in items if (item.corrected_text or item.text or "").strip()
            and not is_frozen_test_text(item.corrected_text or item.text)]


def labelled_examples(settings) -> list[LabelledText]:
    """Everything analysts have labelled, for `mitra train` (the database at settings.sqlalchemy_url)."""
    from core.db import init_db, make_session_factory

    sessions = make_session_factory(init_db(settings.sqlalchemy_url))
    with sessions() as session:
        return labelled_texts(session)

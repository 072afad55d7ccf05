"""Conversations with the real bot and router put the right messages in the review queue, masked."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlalchemy import select

from analysts import review
from bot.replies import IncomingMessage
from core.db.review_models import ReviewItem

_ids = itertools.count(1)

UNSURE_CANDIDATES = ["certificate", "certificate kavali", "application", "card kavali", "status", "payment", "my problem",
                     "help with land", "scheme", "office", "water", "loan", "register"]
FOREIGN_CANDIDATES = ["who won the football world cup", "recipe for chocolate cake", "tell me a joke about cats",
                      "what is the capital of france", "best smartphone under 20000"]


@dataclass
class Transcript:
    text: str
    confidence: float
    language: str = "en"


def say(bot, citizen: str, text: str | None = None, choice: str | None = None, **extra):
    return bot.handle(IncomingMessage(citizen, f"wamid.an{next(_ids)}", text=text, choice_id=choice, **extra))


def items(sessions) -> list[ReviewItem]:
    with sessions() as session:
        return list(session.scalars(select(ReviewItem).order_by(ReviewItem.id)))


def first_with(router, candidates, decision, offers: int = 0):
    """The first candidate the router gives `decision` (with at least `offers` services to offer)."""
    found = next((t for t in candidates if (r := router.route(t)).decision == decision
                  and len(router.services_to_offer(r)) >= offers), None)
    assert found is not None, f"none of {candidates} gets decision {decision!r} (offering {offers}+) any more"
    return found


def confident_text(router, catalog):
    return next(e.text for s in catalog.services.values() for e in s.examples
                if e.lang == "en" and router.route(e.text).decision == "route")


def test_a_confident_route_that_the_citizen_accepts_is_not_queued(make_bot, serving_router, sessions, catalog):
    bot = make_bot(serving_router)
    say(bot, "919800000001", confident_text(serving_router, catalog))
    say(bot, "919800000001", choice="yes")
    assert items(sessions) == []


def test_rejected_offer_queues_the_routed_message_with_its_alternatives(make_bot, serving_router, sessions, catalog):
    bot = make_bot(serving_router)
    text = confident_text(serving_router, catalog)
    routed = serving_router.route(text)
    say(bot, "919800000002", text)
    say(bot, "919800000002", choice="no")
    [item] = items(sessions)
    assert item.reasons == [review.REJECTED]
    assert item.text == text and item.intent == routed.intent and item.decision == "route"
    assert [a["intent"] for a in item.alternatives] == [a.intent for a in routed.alternatives]
    assert item.model_version == serving_router.version and item.status == "open"


def test_unsure_route_is_queued_and_the_citizens_pick_becomes_a_suggestion(make_bot, serving_router, sessions):
    bot = make_bot(serving_router)
    text = first_with(serving_router, UNSURE_CANDIDATES, "clarify", offers=2)  # a list, not a yes/no question
    replies = say(bot, "919800000003", text)
    rows = [r.id for reply in replies for r in reply.rows if r.id.startswith("svc:")]
    [item] = items(sessions)
    assert item.reasons == [review.LOW_CONFIDENCE] and item.decision == "clarify"
    assert len(rows) >= 2, rows
    say(bot, "919800000003", choice=rows[1])
    [item] = items(sessions)
    assert item.reasons == [review.LOW_CONFIDENCE, review.CLARIFIED]
    assert item.suggested_label == rows[1][4:]


def test_out_of_scope_and_handed_off_are_queued(make_bot, serving_router, sessions):
    bot = make_bot(serving_router)
    text = first_with(serving_router, FOREIGN_CANDIDATES, "out_of_scope")
    say(bot, "919800000004", text)
    say(bot, "919800000004", choice="agent")
    [item] = items(sessions)
    assert item.reasons == [review.OUT_OF_SCOPE_REASON, review.HANDED_OFF]
    assert item.intent == "out_of_scope"


def test_voice_note_heard_with_low_confidence_is_queued_with_its_transcript(make_bot, serving_router, sessions,
                                                                             catalog):
    bot = make_bot(serving_router)
    text = confident_text(serving_router, catalog)
    say(bot, "919800000005", transcript=Transcript(text, confidence=0.3))
    [item] = items(sessions)
    assert review.VOICE_LOW_CONFIDENCE in item.reasons
    assert item.transcript == text


def test_queue_never_holds_aadhaar_or_mobile_numbers(make_bot, serving_router, sessions):
    bot = make_bot(serving_router)
    text = first_with(serving_router, FOREIGN_CANDIDATES, "out_of_scope")
    say(bot, "919800000006", f"{text} my aadhaar 2345 6789 0124 and phone 9848012345")
    [item] = items(sessions)
    assert "2345 6789 0124" not in item.text and "9848012345" not in item.text
    assert "0124" in item.text  # the last four digits stay, so an analyst sees a number was there


def test_menu_taps_and_greetings_are_not_queued(make_bot, serving_router, sessions):
    bot = make_bot(serving_router)
    say(bot, "919800000007", "hi")
    say(bot, "919800000007", choice="menu")
    say(bot, "919800000007", choice="dept:1")
    say(bot, "919800000007", "no")
    assert [(i.text, i.reasons) for i in items(sessions)] == []

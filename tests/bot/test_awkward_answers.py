"""Every question of every service, met with what citizens also send instead of an answer ("I don't have it",
"why?", an emoji, two numbers at once...): each gets a reply and the question stays answerable. The kinds are
dealt out in turn, one per question, so every kind meets hundreds of questions and the catalog runs in under a
minute (tests/bot/test_forms.py holds the "I don't have it" for every kind of number)."""
from __future__ import annotations

import itertools

from tests.utils.chat import Chat, all_text, answers_for, open_by_menu

AWKWARD = ["I don't have it", "why?", "ok", "😀", "1", "మర్చిపోయాను", "naaku teliyadu", "x" * 500,
           "skip", "9848012345 4991 1866 5246", "back"]


def test_every_question_takes_an_awkward_message_and_then_its_answer(make_bot, catalog):
    bot = make_bot()
    today = bot.dialogue.clock().date()
    dealt = itertools.cycle(AWKWARD)
    askable = sorted(s.id for s in catalog.services.values() if s.outcome.value != "information" and s.fields)
    for n, service_id in enumerate(askable):
        service = catalog.services[service_id]
        chat = Chat(bot, citizen=f"9197{n:08d}")
        open_by_menu(chat, service)
        for spec in service.fields:
            awkward = next(dealt)
            replies = chat.say(awkward)
            assert replies, (service_id, spec.name, awkward)
            if "continue" in all_text(replies):
                chat.say("continue")  # the form was kept for later: it comes back
            chat.say(answers_for(spec, catalog, today)[0])

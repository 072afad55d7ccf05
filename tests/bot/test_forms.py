"""Filling a form as people do: several details at once, corrections, digressions and resuming, refusals that
keep the draft, drafts that wait for days, and every reply within WhatsApp's limits."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot import render
from catalog.formats import get_format
from catalog.loader import load_catalog
from catalog.schema import FieldType
from core.db import Application
from tests.utils.chat import (
    REFERENCE,
    TELUGU,
    VALID_AADHAAR,
    VALID_MOBILE,
    Chat,
    all_text,
    answer_until_summary,
    answers_for,
    fill_fields,
    first_service,
    open_by_menu,
)


@pytest.fixture
def service(catalog):
    """A certificate asking a name first, then Aadhaar, district and mobile among others."""
    found = first_service(catalog, "certificate", FieldType.aadhaar)
    kinds = [f.type for f in found.fields]
    if kinds[0] != FieldType.name or not {FieldType.district, FieldType.mobile} <= set(kinds):
        pytest.skip("no certificate service asks name first, then Aadhaar, district and mobile")
    return found


def fill_rest(chat: Chat, service, catalog, replies, language: str = "en") -> list:
    """Answer whatever the bot asks (in `language`) until the summary."""
    return answer_until_summary(chat.say, service, catalog, chat.bot.dialogue.clock().date(), replies,
                                shown=all_text, language=language,
                                at_summary=lambda r: bool(r[-1].buttons) and r[-1].buttons[0].id == "submit")


def test_several_details_in_one_message_fill_several_fields(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    district = catalog.gazetteer.districts[0]
    replies = chat.say(f"Ramu Kondapalli, aadhaar {VALID_AADHAAR[:4]} {VALID_AADHAAR[4:8]} {VALID_AADHAAR[8:]}, "
                       f"{district.name.en} district")
    text = all_text(replies)
    assert "XXXX XXXX 0124" in text and district.name.en in text
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    assert aadhaar.prompt.en not in text  # not asked: it was in the message
    summary = fill_rest(chat, service, catalog, replies)[-1]
    assert "Ramu Kondapalli" in summary.text and district.name.en in summary.text
    assert VALID_AADHAAR not in summary.text


@pytest.mark.parametrize(("said", "name"), [("maa nanna peru Kondapalli Venkata Ramana", "Kondapalli Venkata Ramana"),
                                          ("Tenali Ramakrishna", "Tenali Ramakrishna")])
def test_a_surname_that_is_a_town_stays_in_the_name(make_bot, catalog, said, name):
    """"maa nanna peru Kondapalli Venkata Ramana" to the death certificate's name noted the town Kondapalli and
    kept "Venkata Ramana" in a walk; a town said apart from the name ("Ravi, Guntur") is still noted."""
    service = catalog.services["municipal.death_certificate"]
    town = next(f for f in service.fields if f.type == FieldType.town)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    text = all_text(chat.say(said))
    assert "noted" not in text, text
    summary = fill_rest(chat, service, catalog, chat.say("15-02-2026"))[-1].text
    assert f": {name}\n" in summary, summary
    chat = Chat(make_bot(), citizen="919800000071")
    open_by_menu(chat, service)
    noted = all_text(chat.say("Kondapalli Venkata Ramana, Guntur"))
    assert "Guntur" in noted and town.prompt.en not in all_text(chat.say("15-02-2026")), noted


def test_a_single_answer_is_not_taken_apart(make_bot, catalog, service):
    """A mobile number asked for stays the mobile even though it looks like other things."""
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    replies = fill_rest(chat, service, catalog, chat.say("Ravi Kumar"))
    assert f"{VALID_MOBILE[:2]}XXXXXX{VALID_MOBILE[-2:]}" in replies[-1].text


def test_correction_by_name_at_the_summary_and_mid_form(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    summary = fill_rest(chat, service, catalog, chat.say("Ravi Kumar"))
    krishna = next(d for d in catalog.gazetteer.districts if d.id != catalog.gazetteer.districts[0].id)
    changed = chat.say(f"change district to {krishna.name.en}")
    assert f"District is now {krishna.name.en}" in changed[0].text
    assert changed[-1].buttons[0].id == "submit" and krishna.name.en in changed[-1].text
    mobile = next(f for f in service.fields if f.type == FieldType.mobile)
    asked = chat.say("my mobile is wrong")
    assert mobile.prompt.en in all_text(asked)
    back_to_summary = chat.say("9866012377")
    assert back_to_summary[-1].buttons[0].id == "submit" and "98XXXXXX77" in back_to_summary[-1].text
    assert summary[-1].text != back_to_summary[-1].text


@pytest.mark.parametrize(("language", "said"), [("te", "సరే సమర్పించండి"), ("en", "yes, submit it"),
                                               ("te", "avunu sare"), ("te", "సమర్పించు"), ("te", "pampandi")])
def test_a_typed_yes_with_more_words_submits_the_summary(make_bot, catalog, service, language, said):
    chat = Chat(make_bot())
    open_by_menu(chat, service, language=language)
    assert fill_rest(chat, service, catalog, chat.say("Ravi Kumar"), language=language)[-1].buttons[0].id == "submit"
    assert re.search(r"AP-[A-Z]+-\d{4}-\d+", all_text(chat.say(said))), said


def test_a_mobile_number_named_again_at_the_summary_replaces_it(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_rest(chat, service, catalog, chat.say("Ravi Kumar"))
    changed = chat.say("mobile number 9866012377")
    assert changed[-1].buttons[0].id == "submit" and "98XXXXXX77" in changed[-1].text, all_text(changed)
    still = chat.say("Ravi 9866012377")  # names no detail: the buttons are asked for
    assert "button" in all_text(still) and "98XXXXXX77" in still[-1].text


def _up_to_the_mobile_question(chat: Chat, service, catalog) -> None:
    mobile = next(f for f in service.fields if f.type == FieldType.mobile)
    replies, today = chat.say("Ravi Kumar"), chat.bot.dialogue.clock().date()
    while mobile.prompt.en not in all_text(replies):
        asked = [f for f in service.fields if f.prompt.en in all_text(replies)]
        assert asked, all_text(replies)
        replies = chat.say(answers_for(asked[-1], catalog, today)[0])


@pytest.mark.parametrize("said", ["same number", "this whatsapp number", "idhe number", "ఇదే నంబర్"])
def test_same_number_answers_the_mobile_question_with_the_whatsapp_number(make_bot, catalog, service, said):
    chat = Chat(make_bot(), citizen="919866012377")
    open_by_menu(chat, service)
    _up_to_the_mobile_question(chat, service, catalog)
    noted = all_text(chat.say(said))
    assert "writing from: 98XXXXXX77" in noted, noted


# "ఇదే నంబర్" ("this same number") is also routed, confidently, to the fancy vehicle number reservation: an answer
# to the mobile question all the same, not a new request (found walking the web chat in Telugu)
@pytest.mark.parametrize("said", ["same number", "ఇదే నంబర్"])
def test_on_the_web_chat_same_number_is_asked_to_be_typed(make_bot, router, catalog, service, said):
    chat = Chat(make_bot(router), citizen="web-0123456789abcdef", channel="web")
    open_by_menu(chat, service)
    _up_to_the_mobile_question(chat, service, catalog)
    asked_again = all_text(chat.say(said))
    assert "cannot see the number you write from" in asked_again, asked_again
    assert "Shall we start" not in asked_again and "draft" not in asked_again


def test_telugu_correction(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service, language="te")
    fill_rest_te = fill_rest(chat, service, catalog, chat.say("Ravi Kumar"), language="te")
    assert fill_rest_te[-1].buttons[0].id == "submit"
    district = next(f for f in service.fields if f.type == FieldType.district)
    asked = chat.say("జిల్లా మార్చండి")
    assert district.prompt.te in all_text(asked)


@pytest.mark.parametrize("language,say", [
    ("te", "జిల్లాను {te}గా మార్చండి"), ("te", "జిల్లా {te}గా మార్చండి"),
    ("en", "district ni {latin} ga marchandi"), ("en", "change the district to {en}"),
    ("en", "district is wrong, it should be {en}"), ("en", "the district should be {en}"),
    ("en", "district tappu, {latin}"), ("te", "జిల్లా తప్పు, {te}"),
    ("en", "district {latin} ki marchandi"), ("te", "జిల్లా {te}కు మార్చండి"),  # walked: "temple tirumala ki marchandi"
    ("en", "district {en}"), ("te", "జిల్లా {te}"), ("en", "jilla {latin}")])  # named again at the summary
def test_correction_with_a_value_in_three_tags(make_bot, catalog, service, language, say):
    chat = Chat(make_bot())
    open_by_menu(chat, service, language=language)
    fill_rest(chat, service, catalog, chat.say("Ravi Kumar"), language)
    first = catalog.gazetteer.districts[0]
    other = next(d for d in catalog.gazetteer.districts if d.id != first.id and any(a.isascii() for a in d.aliases))
    latin = next(a for a in other.aliases if a.isascii())
    changed = chat.say(say.format(te=other.name.te, en=other.name.en, latin=latin))
    assert changed[-1].buttons[0].id == "submit", all_text(changed)
    shown = other.name.te if language == "te" else other.name.en
    assert shown in changed[-1].text and first.name.get(language) not in changed[-1].text


def test_status_question_mid_form_is_answered_and_the_form_resumes(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    replies = chat.say("what is the status of AP-REV-2026-004321?")
    text = all_text(replies)
    assert "AP-REV-2026-004321" in text and "continue" in text and aadhaar.prompt.en in text
    assert aadhaar.prompt.en not in all_text(chat.say(VALID_AADHAAR))  # the answer still went to the form


def test_help_and_menu_mid_form_keep_the_draft_for_continue(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    helped = all_text(chat.say("help"))
    assert "menu" in helped and aadhaar.prompt.en in helped
    menu = chat.say("menu")
    assert menu[0].kind == "list" and "continue" in all_text(menu)
    resumed = all_text(chat.say("continue"))
    assert service.name.en in resumed and aadhaar.prompt.en in resumed
    summary = fill_rest(chat, service, catalog, chat.say(VALID_AADHAAR))
    assert "Ravi Kumar" in summary[-1].text


def test_another_request_mid_form_is_answered_and_the_draft_waits(make_bot, router, catalog, service):
    other = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                 if s.id != service.id and s.outcome.value != "status" and any(router.route(e.text).service_id == s.id and
                                               router.route(e.text).decision == "route"
                                               for e in s.examples if e.lang == "en"))
    request = next(e.text for e in other.examples if e.lang == "en" and router.route(e.text).service_id == other.id
                   and router.route(e.text).decision == "route")
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    replies = chat.say(request)
    text = all_text(replies)
    assert other.name.en in text and replies[-1].buttons[0].id == "yes"
    assert "continue" in text and service.name.en in text
    chat.say("no")
    resumed = all_text(chat.say("continue"))
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    assert aadhaar.prompt.en in resumed


@pytest.mark.parametrize(("said", "other"), [("annadanam", True), ("అన్నదానం", True), ("Lakshmi", False)])
def test_a_look_alikes_own_name_at_a_choice_asks_for_it(make_bot, router, catalog, said, other):
    """Walked: "annadanam" to the temple donation's purpose (e-hundi, development, goshala) was refused three
    times: one word that is the look-alike service's own name asks for it, and the donation waits. A one-word
    name that shares a word with a scheme's ("Lakshmi": Kalyana Lakshmi) is still no request."""
    service, annadanam = catalog.services["endowments.donation"], catalog.services["endowments.annadanam_donation"]
    purpose = next(i for i, f in enumerate(service.fields) if f.type == FieldType.choice)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:purpose], catalog, chat.bot.dialogue.clock().date())
    text = all_text(chat.say(said))
    assert (annadanam.name.en in text or annadanam.name.te in text) == other, text
    assert ("continue" in text) == other, text
    if other:  # and the temple already given goes with it, not asked again
        temple = next(f for f in annadanam.fields if f.type == FieldType.temple)
        started = chat.say("yes")
        assert temple.prompt.en not in all_text(started) and temple.prompt.te not in all_text(started)
        given = catalog.gazetteer.temples[0].name  # the temple fill_fields answered
        assert given.en in all_text(started) or given.te in all_text(started), all_text(started)


def test_number_words_mid_form_are_an_answer_not_another_request(make_bot, router, catalog, service):
    """Four Telugu digit words are a mobile number begun, not the 108 ambulance ("noota enimidi") that the
    router finds in them: the field asked refuses them politely and the form stays."""
    assert router.route("tommidi enimidi naalugu aidu").service_id != service.id
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    mobile_at = next(i for i, f in enumerate(service.fields) if f.type == FieldType.mobile)
    fill_fields(chat.say, service.fields[:mobile_at], catalog, chat.bot.dialogue.clock().date())
    replies = all_text(chat.say("tommidi enimidi naalugu aidu"))
    assert service.fields[mobile_at].prompt.en in replies and "continue" not in replies, replies


def test_three_refusals_keep_the_draft_and_offer_try_again(make_bot, catalog, service, sessions):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    for _ in range(4):
        gave_up = chat.say("1111")
    assert [b.id for b in gave_up[0].buttons] == ["retry", "menu", "agent"]
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    assert aadhaar.prompt.en in all_text(chat.say(choice="retry"))
    for _ in range(4):
        chat.say("1111")
    accepted = chat.say(VALID_AADHAAR)  # typing an answer after the offer is a new try
    assert aadhaar.prompt.en not in all_text(accepted)
    summary = fill_rest(chat, service, catalog, accepted)[-1]
    assert "Ravi Kumar" in summary.text  # nothing given before the refusals was lost
    chat.say(choice="submit")
    with sessions() as s:
        assert s.scalar(select(Application.service_id)) == service.id


def test_optional_field_can_be_skipped_after_refusals(make_bot, catalog):
    candidates = [s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                  if s.outcome.value not in ("information", "status")
                  and any(not f.required and f.type in (FieldType.number, FieldType.amount, FieldType.date)
                          for f in s.fields)]
    if not candidates:
        pytest.skip("no service has an optional number, amount or date field")
    service = candidates[0]
    optional = next(f for f in service.fields if not f.required and f.type in
                    (FieldType.number, FieldType.amount, FieldType.date))
    chat = Chat(make_bot())
    replies = open_by_menu(chat, service)
    today = chat.bot.dialogue.clock().date()
    fill_fields(chat.say, service.fields[:service.fields.index(optional)], catalog, today)
    for _ in range(4):
        replies = chat.say(answers_for(optional, catalog, today)[1])
    assert [b.id for b in replies[0].buttons] == ["retry", "skip", "agent"]
    after = chat.say(choice="skip")
    assert optional.prompt.en not in all_text(after)


def test_a_draft_waits_days_across_restarts(make_bot, catalog, service, clock):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    chat.say("menu")
    clock.now += timedelta(days=6)
    chat.bot = make_bot()
    welcome = all_text(chat.say("hi"))
    assert "unfinished application" in welcome and service.name.en in welcome
    resumed = all_text(chat.say("continue"))
    assert next(f for f in service.fields if f.type == FieldType.aadhaar).prompt.en in resumed
    summary = fill_rest(chat, service, catalog, chat.say(VALID_AADHAAR))[-1]
    assert "Ravi Kumar" in summary.text
    assert REFERENCE.search(chat.say(choice="submit")[0].text)
    assert "nothing" in chat.say("continue")[0].text.casefold() or "no unfinished" in chat.say("continue")[0].text


def test_starting_the_same_service_again_resumes_its_draft(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    resumed = all_text(open_by_menu(chat, service))
    assert "where you left it" in resumed
    assert next(f for f in service.fields if f.type == FieldType.aadhaar).prompt.en in resumed


def test_cancel_discards_only_on_purpose(make_bot, catalog, service):
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say("Ravi Kumar")
    chat.say("menu")
    assert "Cancelled" in chat.say("cancel")[0].text  # leaves the menu; the draft is still there
    assert service.name.en in chat.say("cancel")[0].text  # now the draft itself, by name
    assert "no unfinished" in chat.say("continue")[0].text


def test_summary_shows_prefilled_details_and_documents_once(make_bot, router, catalog):
    from tests.bot.test_free_text import routed_example

    service, text = routed_example(router, catalog, "te-latn")
    district = catalog.gazetteer.districts[0]
    chat = Chat(make_bot(router))
    chat.say(f"{text}, {district.name.en} jilla")
    started = chat.say("avunu")
    summary = fill_rest(chat, service, catalog, started, "te-latn")[-1]
    assert summary.text.count("(మీ సందేశం నుండి)") >= 1 and "(from your message)" not in summary.text
    keep_ready = "సిద్ధంగా ఉంచండి"
    assert summary.text.count(keep_ready) == (1 if service.documents else 0)
    assert "Keep ready" not in summary.text and "Submit it?" not in summary.text


def test_every_reply_of_a_walk_fits_whatsapp(make_bot, catalog):
    """Menus of every department, a bilingual summary: no reply breaks WhatsApp's limits."""
    chat = Chat(make_bot())
    replies = chat.say("menu")
    for department in catalog.departments_in_menu_order():
        replies += chat.say(str(department.menu_number))
        replies += chat.say("more") + chat.say("back")
    for reply in replies:
        assert_fits(reply)


def assert_fits(reply) -> None:
    limit = render.TEXT_MAX if reply.kind == "text" else render.INTERACTIVE_BODY_MAX
    assert len(reply.text) <= limit
    assert len(reply.buttons) <= render.BUTTONS_MAX and all(len(b.title) <= 20 for b in reply.buttons)
    assert len(reply.rows) <= render.LIST_MAX_ROWS
    assert all(len(r.title) <= 24 and len(r.description) <= 72 for r in reply.rows)


def test_long_bodies_are_split_not_cut():
    body = "\n".join(f"line {i} " + "x" * 60 for i in range(40)) + "\nSubmit it?"
    parts = render.fit(render.buttons(body, [("submit", "Submit")]))
    assert parts[-1].kind == "buttons" and parts[-1].text == "Submit it?"
    assert "\n".join(p.text for p in parts) == body
    for part in parts:
        assert_fits(part)
    long_text = render.fit(render.text("y" * 9000))
    assert [len(p.text) for p in long_text] == [4096, 4096, 808]
    rows = render.choice_list("pick", [(f"r{i}", "A very long service name that will not fit", "") for i in range(12)],
                              "Choose a service please")
    assert len(rows.rows) == 10 and rows.rows[0].description.startswith("A very long")
    assert_fits(rows)


def test_telugu_citizen_sees_no_english_half(make_bot, catalog, service):
    chat = Chat(make_bot())
    chat.say("నమస్కారం")
    replies = open_by_menu(chat, service, language="te")
    replies += chat.say("రవి కుమార్")
    for reply in replies:
        assert TELUGU.search(reply.text)
        assert not re.search(r"\b(?:the|your|please|what|is)\b", reply.text, re.IGNORECASE), reply.text


def test_menus_scale_past_nine_departments_and_ten_services(catalog, sessions, settings, clock):
    """A catalog of 45 departments, one with 25 services: pages of 9 + "More…", and any number works."""
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot
    from catalog.loader import Catalog

    template = catalog.departments_in_menu_order()[0]
    sample = catalog.by_department(template.id)[0]
    departments = {f"d{i}": template.model_copy(update={"id": f"d{i}", "menu_number": i}) for i in range(1, 46)}
    services = {f"d42.s{j}": sample.model_copy(update={"id": f"d42.s{j}", "department": "d42", "menu_path": (42, j)})
                for j in range(1, 26)}
    big = Catalog(departments, services, catalog.gazetteer, "big")
    bot = Bot(big, None, sessions, EmbeddedConnector.for_catalog(sessions, big, settings), settings, clock=clock)
    chat = Chat(bot)
    first = chat.say("menu")[0]
    assert len(first.rows) == 10 and first.rows[-1].id == "more" and first.rows[-1].description == "1/5"
    assert chat.say(choice="more")[0].rows[0].id == "dept:10"
    listing = chat.say("42")[0]
    assert [r.id for r in listing.rows[:2]] == ["svc:d42.s1", "svc:d42.s2"] and listing.rows[-1].id == "more"
    second = chat.say("more")[0]
    assert second.rows[0].id == "svc:d42.s10" and "10." in second.rows[0].title
    started = chat.say("23")
    assert sample.name.en in all_text(started) or sample.name.te in all_text(started)
    for reply in [first, listing, second]:
        assert_fits(reply)


def test_a_request_typed_where_a_name_is_asked_is_a_request(make_bot, router, catalog, service):
    other = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                 if s.id != service.id and s.outcome.value == "certificate"
                 and router.route(f"{s.name.en.lower()} kavali").service_id == s.id
                 and router.route(f"{s.name.en.lower()} kavali").decision == "route")
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    replies = chat.say(f"{other.name.en.lower()} kavali")
    assert replies[-1].buttons[0].id == "yes" and other.name.en in replies[-1].text
    assert "continue" in all_text(replies)
    chat.say("no")
    chat.say("continue")
    taken = chat.say("Ravi Kumar")  # a bare name is the answer, even if the router has an opinion on it
    assert service.fields[0].prompt.en not in all_text(taken)


@pytest.mark.parametrize("date_range", ["future", "past"])
def test_a_date_question_gives_an_example_the_field_would_take(make_bot, catalog, date_range):
    """A travel date's example is ahead of today, a birth date's behind it: the citizen may copy the example."""
    from datetime import datetime

    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.id)
                   if any(f.type == FieldType.date and f.date_range == date_range for f in s.fields)
                   and s.menu_path)
    bot = make_bot()
    chat = Chat(bot)
    today = bot.dialogue.clock().date()
    replies = open_by_menu(chat, service)
    before = service.fields[:next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)]
    replies = fill_fields(chat.say, before, catalog, today) if before else replies
    example = re.search(r"for example (\d\d-\d\d-\d{4})", all_text(replies)).group(1)
    assert (datetime.strptime(example, "%d-%m-%Y").date() > today) == (date_range == "future"), example
    # and a date it cannot read is asked again with the same kind of example (a visit was shown 15-08-1990)
    assert f"Write it like {example}." in all_text(chat.say("same")), example


@pytest.mark.parametrize(("service_id", "recent"), [("apsrtc.lost_luggage", True), ("welfare.old_age_pension", False)])
def test_a_journeys_example_is_a_recent_date_a_birth_dates_is_not(make_bot, catalog, service_id, recent):
    """"On which date did you travel? (for example 15-08-1990)": a journey or an incident is shown a date of last
    week, a birth date one long ago."""
    from datetime import datetime

    service = catalog.services[service_id]
    chat = Chat(make_bot())
    today = chat.bot.dialogue.clock().date()
    replies = open_by_menu(chat, service)
    before = service.fields[:next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)]
    replies = fill_fields(chat.say, before, catalog, today) if before else replies
    example = datetime.strptime(re.search(r"for example (\d\d-\d\d-\d{4})", all_text(replies)).group(1),
                                "%d-%m-%Y").date()
    assert example < today and ((today - example).days <= 31) == recent, example


def test_a_date_question_with_its_own_example_gets_no_second_one(make_bot, catalog):
    service = catalog.services["municipal.birth_certificate"]
    at = next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)
    assert re.search(r"\d\d-\d\d-\d{4}", service.fields[at].prompt.en)  # the catalog's prompt shows one
    bot = make_bot()
    chat = Chat(bot)
    open_by_menu(chat, service)
    asked = fill_fields(chat.say, service.fields[:at], catalog, bot.dialogue.clock().date())[-1].text
    assert len(re.findall(r"\d\d-\d\d-\d{4}", asked)) == 1, asked


def test_a_one_question_form_says_one_detail(make_bot, router, catalog):
    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                   if len(s.fields) == 1 and s.outcome.value != "information")
    started = all_text(open_by_menu(Chat(make_bot(router)), service))
    assert "I will ask for one detail." in started and "1 details" not in started


def test_today_and_tomorrow_are_india_s_not_the_server_s(make_bot, catalog, clock):
    """At 20:00 UTC it is already 01:30 the next day in Andhra Pradesh: "tomorrow" is the day after that."""
    from datetime import date, datetime

    clock.now = datetime(2026, 3, 2, 20, 0)  # 03-03-2026 01:30 IST
    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.id)
                   if any(f.type == FieldType.date and f.date_range == "future" for f in s.fields) and s.menu_path)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    india_today = date(2026, 3, 3)
    date_at = next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)
    fill_fields(chat.say, service.fields[:date_at], catalog, india_today)
    chat.say("tomorrow")
    summary = all_text(fill_fields(chat.say, service.fields[date_at + 1:], catalog, india_today))
    assert "04-03-2026" in summary, summary


@pytest.mark.parametrize("said", ["naa daggara pension ID ledu, aadhaar number undi", "I don't have my card",
                                  # each was refused with the format's rule, as if a wrong number had been sent
                                  "I don't remember it", "number gurthu ledu", "నేను మర్చిపోయాను"])
def test_i_dont_have_it_at_a_required_detail_says_where_it_is_and_keeps_the_form(make_bot, router, catalog, said):
    # "aadhaar" in the first had been read as a request for Bhu-Aadhaar, and the form left behind
    service = catalog.services["welfare.pension_status"]
    spec = next(f for f in service.fields if f.required and "pension_id" in f.format)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    replies = chat.say(said)
    text = all_text(replies)
    assert len(replies) == 1 and not replies[0].buttons, text
    assert "continue" in text and "1012345678" in text, text  # the format's rule: where the ID is printed
    assert spec.prompt.en in all_text(chat.say("continue"))
    assert service.name.en in all_text(chat.say("1012345678"))


@pytest.mark.parametrize("said", ["I don't have the pension ID", "పింఛను కార్డు పోయింది", "pension number gurthu ledu"])
def test_no_pension_id_is_asked_for_the_aadhaar_instead(make_bot, router, catalog, said):
    """The pension status takes the pension ID or the pensioner's Aadhaar: "I don't have the pension ID" had
    parked the form ("cannot go on without…") when the other number would do."""
    service = catalog.services["welfare.pension_status"]
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    text = all_text(chat.say(said))
    assert "Aadhaar number" in text and "4991 1866 5246" in text and "continue" not in text, text
    assert "1012345678" not in text, text  # not the pension ID's rule again
    assert service.name.en in all_text(chat.say("4991 1866 5246"))


@pytest.mark.parametrize(("said", "lost"), [("I lost my pension card", True), ("pension card poyindi", True),
                                             ("rice card poyindi", False)])
def test_a_lost_pension_card_at_the_offer_asks_for_the_aadhaar(make_bot, router, catalog, said, lost):
    """"pension card poyindi" answered to "Shall we check the pension status?" was read as a new request and
    offered duplicate rice cards and RCs: the citizen cannot give the pension ID, and the Aadhaar will do. A
    card the service does not take ("rice card") is still another request."""
    service = catalog.services["welfare.pension_status"]
    chat = Chat(make_bot(router))
    assert service.name.en in all_text(chat.say("check my pension status"))
    text = all_text(chat.say(said))
    assert ("Aadhaar number will do instead" in text) == lost, text
    if lost:
        assert service.name.en in all_text(chat.say("4991 1866 5246"))
    else:
        assert catalog.services["civil_supplies.rice_card_duplicate"].name.te in text, text  # said in Telugu


def _first_field_of_each_format(catalog):
    seen = {}
    asking = [s for s in catalog.services.values() if s.outcome.value != "information"]  # those ask no details
    for service in sorted(asking, key=lambda s: s.menu_path):
        for i, spec in enumerate(service.fields):
            if spec.required and spec.format and spec.format not in seen:
                seen[spec.format] = (service.id, i)
    return sorted(seen.items())


@pytest.mark.parametrize(("number_format", "where"), _first_field_of_each_format(load_catalog()))
def test_i_dont_have_it_is_answered_for_every_kind_of_number(make_bot, catalog, number_format, where):
    """"I don't have the number" at the RC status's "vehicle or application number" was a 500: a field that
    takes either of two formats had no rule to say where the number is found."""
    service_id, at = where
    service = catalog.services[service_id]
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:at], catalog, chat.bot.dialogue.clock().date())
    text = all_text(chat.say("I don't have the number"))
    assert "continue" in text, text


def test_i_dont_have_it_with_another_detail_says_where_it_is_found(make_bot, router, catalog):
    """Walked: "I don't know the IFSC, it is SBI Guntur main branch" noted the town and asked the IFSC again
    without a word on it: the town is noted, and the citizen is told where the IFSC is found."""
    service = catalog.services["agri_marketing.enam_registration"]
    ifsc = next(i for i, f in enumerate(service.fields) if f.format == "ifsc")
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:ifsc], catalog, chat.bot.dialogue.clock().date())
    text = all_text(chat.say("I don't know the IFSC, it is SBI Guntur main branch"))
    assert "Guntur" in text and "passbook" in text and "continue" in text, text
    assert service.fields[ifsc].prompt.en in all_text(chat.say("continue"))
    chat.say("SBIN0012345")
    assert "Guntur" in all_text(chat.say("9848012345"))  # the summary: the town was kept, not asked again


def test_a_town_given_for_the_district_is_confirmed_as_its_district(make_bot, catalog):
    service = catalog.services["commercial_taxes.professional_tax_enrolment"]
    district = next(i for i, f in enumerate(service.fields) if f.type == FieldType.district)
    chat = Chat(make_bot())
    open_by_menu(chat, service, language="te")
    fill_fields(chat.say, service.fields[:district], catalog, chat.bot.dialogue.clock().date(), language="te")
    asked = chat.say("మాది తెనాలి")
    assert "తెనాలి ఉన్న గుంటూరు జిల్లా" in all_text(asked) and [b.id for b in asked[-1].buttons] == ["yes", "no"]
    assert service.fields[district + 1].prompt.te in all_text(chat.say("అవును"))
    assert "గుంటూరు" in all_text(fill_fields(chat.say, service.fields[district + 1:], catalog,
                                             chat.bot.dialogue.clock().date(), language="te"))


def test_i_dont_have_a_later_number_said_at_the_town_is_about_that_number(make_bot, router, catalog):
    """Walked: "connection number teliyadu" to the water tax's town was "I do not know that place": it is about
    the number asked next, so where that is found is said, and the number found later resumes the form."""
    service = catalog.services["municipal.water_tax"]
    number = next(f for f in service.fields if f.format)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    assert service.fields[0].type == FieldType.town
    text = all_text(chat.say("connection number teliyadu"))
    assert "know that place" not in text and "continue" in text and get_format(number.format).example in text, text
    resumed = all_text(chat.say(get_format(number.format).example))
    assert "Continuing" in resumed and service.fields[0].prompt.en in resumed, resumed


def test_lost_said_at_a_place_question_is_not_a_lost_card(make_bot, router, catalog):
    """"I filed a lost report at the police station" to the duplicate licence's district was answered "cannot go
    on without the District": a place is known, not kept on a card that can be lost."""
    service = catalog.services["transport.duplicate_dl"]
    district = next(i for i, f in enumerate(service.fields) if f.type == FieldType.district)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:district], catalog, chat.bot.dialogue.clock().date())
    assert "cannot go on without" not in all_text(chat.say("I filed a lost report at the police station"))


@pytest.mark.parametrize("found", ["01-07-1957", "01/07/1957", "1.7.1957"])
def test_the_missing_detail_sent_alone_later_resumes_the_kept_form(make_bot, router, catalog, sessions, found):
    # walked: "born in 1957, don't know the date" kept the form; the date found and sent next got "I got a number,
    # but not what it is for"
    service = catalog.services["welfare.old_age_pension"]
    birth = next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:birth], catalog, date(2026, 3, 3))
    assert "continue" in all_text(chat.say("born in 1957, don't know the date"))
    replies = all_text(chat.say(found))
    assert "Continuing" in replies and service.fields[birth + 1].prompt.en in replies, replies
    summary = all_text(fill_fields(chat.say, service.fields[birth + 1:], catalog, date(2026, 3, 3)))
    assert "01-07-1957" in summary, summary


@pytest.mark.parametrize(("sent", "resumed"), [("ap 39 ab 1234", True), ("AP-39-AB-1234", True),
                                              ("RC status of AP39AB1234", False)])
def test_a_vehicle_number_sent_alone_later_resumes_the_kept_form(make_bot, router, catalog, sent, resumed):
    """Walked: "teliyadu" to the e-challan's vehicle number kept the form; the number found and sent next was read
    as a new request (a list of services). A request that holds a vehicle number is still a request."""
    service = catalog.services["police.echallan_payment"]
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    assert "continue" in all_text(chat.say("I don't know it"))
    text = all_text(chat.say(sent))
    assert ("Continuing" in text and service.fields[1].prompt.en in text) == resumed, text


def test_a_number_alone_that_fits_no_kept_question_is_still_asked_about(make_bot, router, catalog):
    service = catalog.services["welfare.old_age_pension"]
    birth = next(i for i, f in enumerate(service.fields) if f.type == FieldType.date)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields[:birth], catalog, date(2026, 3, 3))
    chat.say("born in 1957, don't know the date")
    assert "not what it is for" in all_text(chat.say("4991 1866 5246"))  # an Aadhaar number is no birth date


def test_i_dont_have_it_names_the_detail_not_its_question(make_bot, router, catalog):
    service = catalog.services["welfare.pension_status"]
    spec = next(f for f in service.fields if "pension_id" in f.format)
    chat = Chat(make_bot(router))
    open_by_menu(chat, service, language="te")
    text = all_text(chat.say("నా దగ్గర ఆ నంబర్ లేదు"))
    assert spec.prompt.te.rstrip(".?") not in text and "పింఛను ఐడీ లేదా ఆధార్ లేకుండా" in text, text


@pytest.mark.parametrize("number", ["234567890124", "2345 6789 0124"])
def test_a_long_number_alone_is_not_a_menu_pick(make_bot, router, number):
    replies = Chat(make_bot(router)).say(number)
    assert len(replies) == 1 and "number" in replies[0].text and not replies[0].rows, replies


def test_dates_told_after_submitting_are_india_dates(make_bot, catalog, service, clock):
    """At 20:00 UTC it is already the next day in India: the application was submitted on that day."""
    from datetime import datetime

    clock.now = datetime(2026, 3, 2, 20, 0)  # 01:30 IST on 3 March
    chat = Chat(make_bot())
    replies = open_by_menu(chat, service)
    fill_rest(chat, service, catalog, replies)
    done = all_text(chat.say(choice="submit"))
    reference = REFERENCE.search(done).group(0)
    due = f"{datetime(2026, 3, 3) + timedelta(days=service.sla_days):%d-%m-%Y}"
    assert f"by {due}" in done, done
    status = all_text(chat.say(f"status of {reference}"))
    assert "Submitted on 03-03-2026" in status and f"expected by {due}" in status, status


def test_a_reference_made_on_new_years_night_in_india_carries_the_new_year(make_bot, catalog, service, clock):
    from datetime import datetime

    clock.now = datetime(2026, 12, 31, 20, 0)  # 01:30 IST on 1 January 2027
    chat = Chat(make_bot())
    fill_rest(chat, service, catalog, open_by_menu(chat, service))
    assert "-2027-" in REFERENCE.search(all_text(chat.say(choice="submit"))).group(0)


def test_words_that_fit_the_form_being_filled_do_not_start_its_look_alike(make_bot, router, catalog):
    # "water not coming" at the village drinking-water complaint's problem question had parked the form and
    # offered the town's water complaint
    service = catalog.services["rural_water.drinking_water_complaint"]
    said = "tap water problem in our area"  # no option's words: not an answer either
    assert router.route(said).service_id in router.look_alikes().partners[service.id]
    chat = Chat(make_bot(router))
    open_by_menu(chat, service)
    text = all_text(chat.say(said))
    assert "continue" not in text and "municipal" not in text.casefold(), text


def test_a_later_detail_given_early_is_noted_and_the_question_asked_again(make_bot, catalog):
    service = catalog.services["rural_water.drinking_water_complaint"]
    kinds = [f.type for f in service.fields]
    assert kinds[:2] == [FieldType.choice, FieldType.district]
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    text = all_text(chat.say("Prakasam"))  # the district, said where the problem is asked
    assert "Prakasam" in text and service.fields[0].prompt.en in text and "try again" not in text, text
    assert service.fields[2].prompt.en in all_text(chat.say("1"))  # the district is not asked again



@pytest.mark.parametrize("asked", ["what happened to my {name} application", "naa {name} emaindi"])
def test_asking_after_a_request_one_has_made_gives_its_status(make_bot, router, catalog, service, asked):
    chat = Chat(make_bot(router))
    fill_rest(chat, service, catalog, open_by_menu(chat, service))
    reference = REFERENCE.search(all_text(chat.say(choice="submit"))).group(0)
    name = service.name.en.lower()
    assert router.route(asked.format(name=name)).service_id == service.id
    answer = all_text(chat.say(asked.format(name=name)))
    assert reference in answer and "Submitted on" in answer, answer


def test_asking_after_a_request_never_made_starts_it(make_bot, router, catalog, service):
    chat = Chat(make_bot(router))
    confirm = chat.say(f"what happened to my {service.name.en.lower()} application")[-1]
    assert confirm.buttons and confirm.buttons[0].id == "yes", confirm


def test_the_summary_lists_only_the_documents_the_choices_call_for(catalog):
    """An Aadhaar photo-and-fingerprint update needs the card, not a child's birth certificate."""
    from bot.application_desk import ApplicationDesk

    service = catalog.services["gsws.aadhaar_appointment"]
    desk = ApplicationDesk(catalog, None, None)
    update = desk.summary(service, {"aadhaar_service": "biometric_update"}, "en")
    child = desk.summary(service, {"aadhaar_service": "new_enrolment"}, "te")
    assert "The Aadhaar card" in update and "birth certificate" not in update
    assert "జనన ధృవీకరణ పత్రం" in child and "వేలిముద్ర" not in child.split("సిద్ధంగా ఉంచండి")[-1]


def test_a_mandal_named_after_its_town_is_shown_in_telugu(make_bot, router, catalog, clock):
    """"tenali" typed in Latin letters: the Telugu summary names the mandal in Telugu script."""
    service = catalog.services["revenue.income_certificate"]
    chat = Chat(make_bot(router))
    open_by_menu(chat, service, language="te")
    replies = []
    for spec in service.fields:
        replies = chat.say("tenali" if spec.type == FieldType.mandal else
                           answers_for(spec, catalog, clock.now.date(), "te")[0])
    summary = all_text(replies)
    assert "మండలం: తెనాలి" in summary and "tenali" not in summary.lower(), summary


@pytest.mark.parametrize("language", ["en", "te"])
def test_an_optional_question_says_optional_once(make_bot, catalog, language):
    """The electricity bill's receipt mobile says "(optional)" in its own words; the hint says it once more."""
    service = catalog.services["energy.pay_electricity_bill"]
    mobile = next(f for f in service.fields if f.type == FieldType.mobile)
    assert not mobile.required and "(" in mobile.prompt.get(language)
    chat = Chat(make_bot())
    open_by_menu(chat, service, language)
    asked = all_text(chat.say("1234567890123"))
    assert asked.count("optional" if language == "en" else "ఐచ్ఛికం") == 1, asked


@pytest.mark.parametrize("said", ["what are the options", "ఏమేమి ఉన్నాయి", "options em unnayi"])
def test_asking_for_the_options_shows_them_again_without_counting_a_try(make_bot, catalog, said):
    """Walked in the web chat: "what are the options" at the boat's type was "Sorry, please choose one of …" and a
    try spent."""
    service = catalog.services["fisheries.boat_registration"]
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    boat_type = next(i for i, f in enumerate(service.fields) if f.type == FieldType.choice)
    for spec in service.fields[:boat_type]:
        chat.say(answers_for(spec, catalog, chat.bot.dialogue.clock().date(), "en")[0])
    asked = chat.say(said)
    assert len(asked) == 1 and "Sorry" not in asked[0].text, all_text(asked)
    spec = service.fields[boat_type]
    assert asked[0].text.startswith(spec.prompt.en) and len(asked[0].buttons) == len(spec.choices)
    assert all(f"{i}. {c.label.en}" in asked[0].text for i, c in enumerate(spec.choices, 1))  # whole, not cut

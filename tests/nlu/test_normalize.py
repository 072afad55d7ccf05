import unicodedata

import pytest

from nlu.normalize import MAX_TEXT_CHARS, TextError, clean_input, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Pleeeease  HELP!!!", "please help!"),
        ("Caste   Certificate\n\tkavali", "caste certificate kavali"),
        ("kaaaavali???", "kavali?"),
        ("good book", "good book"),  # doubled letters are real spelling and stay
        ("wait...", "wait."),
        ("  ", ""),
        ("", ""),
    ],
)
def test_normalize_latin(raw, expected):
    assert normalize(raw) == expected


def test_zero_width_and_invisible_characters_are_removed():
    assert normalize("నా\u200cకు\u200d కా\u200bవాలి\ufeff") == "నాకు కావాలి"
    assert normalize("cer\u00adtificate\u2060") == "certificate"
    assert normalize("hi\x07 there\x1b") == "hi there"


def test_indic_digits_become_ascii():
    assert normalize("సర్వే నంబర్ ౧౨౩") == "సర్వే నంబర్ 123"
    assert normalize("१२३ ٤٥٦ ۷۸۹") == "123 456 789"


def test_digits_are_never_collapsed():
    assert normalize("2222 3333 1111") == "2222 3333 1111"


def test_telugu_elongation_collapses_but_real_words_stay():
    assert normalize("కావాాాలి") == "కావాలి"
    for word in ("అమ్మమ్మ", "పిల్లలు", "దుర్గమ్మ", "శ్రీకాకుళం", "కృష్ణా"):
        assert normalize(word) == unicodedata.normalize("NFC", word)


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Café ఔను")
    assert normalize(decomposed) == unicodedata.normalize("NFC", "café ఔను")


@pytest.mark.parametrize("text", ["Pleeeease HELP!!!", "నా\u200cకు  కావాాాలి ౧౨", "a  b\u200b c...."])
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize("raw", ["", "   \n\t ", "\u200b\u200c", b"", b"  "])
def test_clean_input_rejects_empty(raw):
    with pytest.raises(TextError, match="empty"):
        clean_input(raw)


def test_clean_input_rejects_invalid_utf8():
    with pytest.raises(TextError, match="UTF-8"):
        clean_input(b"\xff\xfe\x00\x81garbage\xc3")


def test_clean_input_rejects_control_garbage():
    garbage = "".join(chr(code) for code in range(1, 32) if chr(code) not in "\t\n\r") * 20
    with pytest.raises(TextError, match="binary"):
        clean_input(garbage)
    with pytest.raises(TextError, match="binary"):
        clean_input("hello\x00world")


def test_clean_input_keeps_case_and_decodes_bytes():
    assert clean_input("  Ravi   Kumar\u200b ".encode()) == "Ravi Kumar"
    assert clean_input("\ufeffనాకు కావాలి".encode()) == "నాకు కావాలి"


def test_clean_input_rejects_non_text_types():
    with pytest.raises(TextError):
        clean_input(12345)  # type: ignore[arg-type]


def test_clean_input_truncates_100kb_at_a_word_boundary():
    words = ["certificate", "కావాలి", "pension"]
    text = " ".join(words[i % 3] for i in range(20000))
    assert len(text.encode()) > 100_000
    cleaned = clean_input(text)
    assert len(cleaned) <= MAX_TEXT_CHARS
    assert len(cleaned) > MAX_TEXT_CHARS - 200
    assert cleaned.split(" ")[-1] in words
    assert text.startswith(cleaned)


def test_clean_input_truncates_one_huge_word_without_dangling_vowel_sign():
    text = "కా" * 5000
    cleaned = clean_input(text)
    assert len(cleaned) <= MAX_TEXT_CHARS
    assert unicodedata.category(cleaned[-1]) not in ("Mn", "Mc") or cleaned.endswith("కా")

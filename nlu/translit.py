"""Romanize Telugu (and the other scripts Whisper writes Telugu speech in), and fold spellings into one key.

`to_latin("కరెంటు బిల్లు") == "karentu billu"`; `phonetic_key` makes "karentu billu", "karentoo bill" and the
Devanagari or Kannada spelling of the same sounds meet, so places and services match across scripts.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indic_transliteration import sanscript

from nlu.normalize import ascii_digits

# Unicode block -> sanscript scheme. ISO 15919 keeps short/long e and o apart, which IAST does not.
_INDIC_BLOCKS: list[tuple[str, str, str]] = [
    ("\u0900", "\u097f", sanscript.DEVANAGARI),
    ("\u0980", "\u09ff", sanscript.BENGALI),
    ("\u0a00", "\u0a7f", sanscript.GURMUKHI),
    ("\u0a80", "\u0aff", sanscript.GUJARATI),
    ("\u0b00", "\u0b7f", sanscript.ORIYA),
    ("\u0b80", "\u0bff", sanscript.TAMIL),
    ("\u0c00", "\u0c7f", sanscript.TELUGU),
    ("\u0c80", "\u0cff", sanscript.KANNADA),
    ("\u0d00", "\u0d7f", sanscript.MALAYALAM),
]
_ARABIC_RANGE = ("\u0600", "\u06ff")
_RUN_RE = re.compile(r"[\u0900-\u0d7f\u0600-\u06ff\u200c\u200d]+")

# ISO 15919 letters with diacritics -> plain ASCII the way Telugu speakers write on WhatsApp.
_ISO_TO_PLAIN = [
    ("r̥̄", "ru"), ("l̥̄", "lu"), ("r̥", "ru"), ("l̥", "lu"), ("m̐", "n"),
    ("ā", "aa"), ("ī", "ee"), ("ū", "oo"), ("ē", "e"), ("ō", "o"),
    ("ṭ", "t"), ("ḍ", "d"), ("ṇ", "n"), ("ṉ", "n"), ("ḷ", "l"), ("ḻ", "l"), ("ṟ", "r"), ("ṛ", "r"),
    ("ś", "sh"), ("ṣ", "sh"), ("ñ", "n"), ("ṅ", "n"), ("ḥ", "h"), ("ẏ", "y"), ("ḵ", "k"), ("ġ", "g"),
]
_ANUSVARA_RE = re.compile(r"ṁ(?=[pbm])")

# Urdu/Arabic letters -> Latin. Short vowels are rarely written, so the result is consonant-heavy;
# phonetic_key does the rest.
_ARABIC_TO_LATIN = {
    "ا": "a", "آ": "aa", "أ": "a", "إ": "i", "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j",
    "چ": "ch", "ح": "h", "خ": "kh", "د": "d", "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "zh",
    "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q",
    "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n", "و": "o", "ہ": "h", "ه": "h",
    "ة": "a", "ھ": "h", "ء": "", "ی": "i", "ي": "i", "ى": "a", "ئ": "i", "ے": "e", "ۓ": "e", "ؤ": "o",
    "َ": "a", "ِ": "i", "ُ": "u", "ً": "an", "ٍ": "in", "ٌ": "un", "ّ": "", "ْ": "", "ٰ": "a",
    "،": ",", "؟": "?", "۔": ".", "؛": ";",
}


def _scheme_of(char: str) -> str | None:
    for low, high, scheme in _INDIC_BLOCKS:
        if low <= char <= high:
            return scheme
    return None


def _indic_to_latin(run: str, scheme: str) -> str:
    iso = sanscript.transliterate(run, scheme, sanscript.ISO)
    # ISO writes చ as "c" and ఛ as "ch"; WhatsApp Telugu writes "ch" and "chh".
    iso = iso.replace("ch", "\x00").replace("c", "ch").replace("\x00", "chh")
    iso = _ANUSVARA_RE.sub("m", unicodedata.normalize("NFC", iso))
    iso = re.sub(r"ṁ(?!\w)", "m", iso)  # word-final anusvara: "patraṁ" -> "patram"
    iso = iso.replace("ṁ", "n")
    if scheme != sanscript.TELUGU:
        iso = iso.replace("r̥", "ri")  # Hindi and most others say "kri", Telugu says "kru"
    for marked, plain in _ISO_TO_PLAIN:
        iso = iso.replace(marked, plain)
    return _strip_marks(iso)


def _arabic_to_latin(run: str) -> str:
    words = []
    for word in run.split(" "):
        latin = "".join(_ARABIC_TO_LATIN.get(char, "") for char in word)
        if word.startswith("و"):
            latin = "v" + latin[1:]
        elif word[:1] in ("ی", "ي"):
            latin = "y" + latin[1:]
        words.append(latin)
    return " ".join(words)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _split_runs(run: str) -> list[tuple[str, str | None]]:
    """Split a non-Latin run into pieces of one script each (a message can mix Telugu and Devanagari)."""
    pieces: list[tuple[str, str | None]] = []
    for char in run:
        if char in "\u200c\u200d":
            continue
        scheme = "arabic" if _ARABIC_RANGE[0] <= char <= _ARABIC_RANGE[1] else _scheme_of(char)
        if pieces and pieces[-1][1] == scheme:
            pieces[-1] = (pieces[-1][0] + char, scheme)
        else:
            pieces.append((char, scheme))
    return pieces


def _romanize_run(match: re.Match) -> str:
    out = []
    for piece, scheme in _split_runs(match.group(0)):
        if scheme == "arabic":
            out.append(_arabic_to_latin(piece))
        elif scheme:
            out.append(_indic_to_latin(piece, scheme).lower())
        else:
            out.append(piece)
    return "".join(out)


def to_latin(text: str) -> str:
    """Telugu, other Indic and Arabic/Urdu script -> plain lowercase ASCII; Latin text is left as it is."""
    if not text:
        return ""
    text = ascii_digits(unicodedata.normalize("NFC", text))
    return _RUN_RE.sub(_romanize_run, text)


# English spellings of Indian names, rewritten into the scheme's letters before it maps them to Telugu
_TO_SCHEME: list[tuple[re.Pattern, str]] = [(re.compile(p), r) for p, r in [
    (r"ksh", "kSh"), (r"ee", "ii"), (r"oo", "uu"), (r"\brao\b", "rAvu"),
    (r"n(?=[kgcjtdpb])", "M"),  # "venkata", "chandra": an anusvara, as Telugu writes them
]]


def to_telugu(text: str) -> str:
    """Latin letters -> Telugu script by sound ("rami kumar" -> "రమి కుమర్"): how a name heard in Latin letters
    is read back to a citizen who reads Telugu. Approximate (English spellings leave vowel length open)."""
    folded = text.lower()
    for pattern, replacement in _TO_SCHEME:
        folded = pattern.sub(replacement, folded)
    return sanscript.transliterate(folded, "itrans_dravidian", sanscript.TELUGU)


# Folding rules, applied in order to lowercase ASCII. Aspirates first, so "th" never becomes "t"+"h" twice.
_FOLDS: list[tuple[re.Pattern, str]] = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"c(?!h)(?=[eiy])", "s"),  # English soft c: "certificate", "office"
        (r"c(?!h)", "k"),  # English hard c: "current", "card"
        (r"chh|ch", "c"),
        (r"sh", "s"),
        (r"([kgjtdpb])h", r"\1"),
        (r"f", "p"),
        (r"au|ow", "o"),
        (r"w", "v"),
        (r"z", "j"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"ee|ii", "i"),
        (r"oo|uu|ou", "u"),
        (r"ai|ei", "e"),
        (r"(?<=[kgtdpbsvjm])ru(?=[a-z])", "ri"),  # Telugu "krushna", Hindi and English "krishna"
        (r"(?<=[^aeiou])y(?=[^aeiouy])", "e"),  # English "hyderabad" says "haiderabad"
        (r"([a-z])\1+", r"\1"),
        # Telugu adds a final "u" to consonant endings ("billu", "karentu", "gunturu"); English does not.
        (r"(?<=[a-z]{3})u\b", ""),
    ]
]
_NON_LETTERS_RE = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def phonetic_key(text: str) -> str:
    """One folded romanized form for matching across scripts and spellings: aspirates, vowel length,
    retroflex/dental, sh/s, w/v, z/j, doubled letters and the Telugu final "u" all folded; non-letters
    become single spaces."""
    latin = _strip_marks(to_latin(text)).lower()
    words = _NON_LETTERS_RE.sub(" ", latin).split()
    return " ".join(_fold_word(word) for word in words if word)


def _fold_word(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def similarity(a: str, b: str) -> float:
    """0..100: how alike two texts sound, by their phonetic keys."""
    from rapidfuzz import fuzz

    return fuzz.ratio(phonetic_key(a), phonetic_key(b))

"""Which language a citizen wrote in: English, Telugu script, Telugu in Latin letters, or a mix."""
from __future__ import annotations

import re
import unicodedata
from typing import Literal

from nlu.normalize import normalize

DetectedLanguage = Literal["en", "te", "te-latn", "mixed"]

_WORD_RE = re.compile(r"[a-z\u00c0-\u024f\u0900-\u0DFF\u0600-\u06FF]+")
# A code or number with letters in it ("BK2EE495C828", "AP02620240001234") is no word of any language: its
# letters ("ee") must not count as Telugu.
_CODE_RE = re.compile(r"[a-z0-9]*[0-9][a-z0-9]*")

# Below this share of Latin words, a few English words inside Telugu script are ordinary Telugu usage
# ("నాకు రేషన్ card కావాలి").
_MIXED_LATIN_SHARE = 0.34

# Romanized Telugu words and how sure each one makes us; short ones ("lo", "ki") are also English-ish noise.
TELUGU_WORDS: dict[str, float] = {
    **dict.fromkeys(
        "kavali kaavali kavalli kaavaali kavalenu kaavalenu cheyali cheyyali cheyandi cheyyandi chesanu chesaanu "  # noqa: SIM905
        "chesina chesindi cheppandi cheppu cheyadam ivvandi ivandi ivvali ivvaledu ledu ledhu leru raledu raaledu "
        "raledhu undi undhi unnadi unnayi unnaru unnanu emiti emiti enti enthi entha enta ekkada eppudu elaa "
        "naaku naku naa maaku maa meeru miru mee memu nenu nenu manaku kosam repu ellundi ninna monna "
        "ivala ivvala eeroju eroju roju vachindi vastundi raavali ravali kattali kattaali kadtanu kattanu "
        "kattandi cheyinchali chupinchandi chudandi cheppandi pampandi pampinchandi teliyadu telusu kadu kaadu "
        "avunu avnu sare saripoledu pani panichestundi ayindi avvaledu poyindi poindi dorakaledu "
        "raavaledu ravadam ledhu lekunda gurinchi daggara nunchi nundi valla dwara tho inka inkaa "
        "ippudu appudu evaru evari ela emi em emaindi enduku yenduku dabbulu rupayalu rupaayalu "
        "sarvu babu garu andi amma ayya annayya akka chelli thammudu kavala kavalenu kaavala chudali chudandi "
        "chey cheyi cheyyi cheyyocha cheyocha ledha leda undha unda untunda untundi vastunda istara istaru ivvara "
        "ayyinda ayinda unnaya vachaya vachinda vachindhi baaledu baledu pettali marchali teesukovali emaina "
        "meeda peru illu pelli ayyaka raitulu ee ikkada akkada chala chaala konchem kotha paata ante avvatledu "
        "avvaledu ivvaledu kaavalante kavalante cheppali cheppandi cheyinchukovali tagindi kattaledu".split(),
        2.0,
    ),
    **dict.fromkeys("ela elaa em emi naa maa mee tho ga kuda kooda pedda chinna".split(), 1.0),  # noqa: SIM905
    **dict.fromkeys("ki ku lo ni nu ni ke".split(), 0.5),  # noqa: SIM905
}

# Common English words: they pull a Latin-script message towards "en".
ENGLISH_WORDS: frozenset[str] = frozenset(
    """i me my mine we our you your he she it they them their is am are was were be been being have has had
    do does did done the a an and or but if of to in on at for from with by about into over after before
    this that these those what which who whom whose when where why how please want need apply applied get
    got can could would should will shall may might must not no yes want wants wanted check status know tell
    give send help show new old still yet there here some any all more most much many very just also only
    than then so too again kindly sir madam hello hi thanks thank dear application certificate card bill
    payment pay paid book booking ticket complaint issue problem number date today tomorrow yesterday""".split()  # noqa: SIM905
)

# Endings typical of Telugu words written in Latin letters, tried only on words that are not English:
# verb endings ("chudali", "vastunda", "chestanu") count as much as a known word, noun case endings half.
_TELUGU_VERB_SUFFIX_RE = re.compile(
    r"(?:[aeiou]li|ala|andi|indi|undi|unda|inda|anda|aya|ara|aru|anu|tanu|ledu|ledha|leda|ocha|occha|tara|"
    r"taru|tunda|tundi|tunna|ayi|oyindi|oindi|indhi|ndhi|ndha|nnam|nnamu)$"
)
# ...and the -am of Telugu nouns after a vowel and n, r or l (darshanam, srisailam, aadivaaram), which English
# words rarely end in (program, team and madam have no vowel-consonant before it)
_TELUGU_SUFFIX_RE = re.compile(r"(?:amu|aamu|alu|aalu|ulu|lu|ku|ki|lo|ni|nu|ga|gaa|laki|laku|[aeiou][nrl]am)$")


def script_profile(text: str) -> dict[str, float]:
    """Share of Telugu, Latin and other-script letters among all letters, plus the letter count."""
    telugu = latin = other = 0
    for char in text:
        if "\u0c00" <= char <= "\u0c7f":
            if char.isalpha() or _is_mark(char):
                telugu += 1
        elif char.isascii():
            if char.isalpha():
                latin += 1
        elif "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
            latin += 1
        elif char.isalpha() or _is_mark(char):
            other += 1
    letters = telugu + latin + other
    if not letters:
        return {"telugu": 0.0, "latin": 0.0, "other": 0.0, "letters": 0}
    return {"telugu": telugu / letters, "latin": latin / letters, "other": other / letters, "letters": letters}


READABLE_SHARE = 0.8  # a transcript is shown only when this share of its letters is in the citizen's script


def readable(text: str, language: str | None) -> bool:
    """Whether a citizen who writes `language` (te: Telugu script; en, te-latn: Latin letters) can read `text`:
    a voice note heard in Thai, Devanagari or Urdu letters is never shown back. Unknown language: no."""
    if not language:
        return False
    profile = script_profile(text)
    script = "telugu" if language == "te" else "latin"
    return profile["letters"] > 0 and profile[script] >= READABLE_SHARE


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(_CODE_RE.sub(" ", normalize(text)))


def _script_of(word: str) -> str:
    if any("\u0c00" <= c <= "\u0c7f" for c in word):
        return "telugu"
    if all(c.isascii() or "\u00c0" <= c <= "\u024f" for c in word):
        return "latin"
    return "other"


def latin_scores(text: str) -> tuple[float, float]:
    """(Telugu evidence, English evidence) for a message in Latin letters."""
    telugu = english = 0.0
    for word in _words(text):
        if word in TELUGU_WORDS:
            telugu += TELUGU_WORDS[word]
        elif word in ENGLISH_WORDS:
            english += 1.0
        elif len(word) >= 4 and _TELUGU_VERB_SUFFIX_RE.search(word):
            telugu += 1.0
        elif len(word) >= 4 and _TELUGU_SUFFIX_RE.search(word):
            telugu += 0.5
    return telugu, english


def _latin_language(text: str) -> DetectedLanguage:
    telugu, english = latin_scores(text)
    if telugu >= 1.0 and telugu >= english:
        return "te-latn"
    return "en"


def detect_language(text: str) -> DetectedLanguage:
    """"te" when Telugu script dominates, "mixed" when Telugu script comes with a substantial share of Latin
    words, otherwise "en" or "te-latn" from romanized-Telugu word evidence. Text with no letters is "en".
    Other Indic scripts (Whisper sometimes writes Telugu speech in Kannada or Devanagari letters) are
    romanized first and judged like Latin text."""
    words = _words(text)
    counts = {"telugu": 0, "latin": 0, "other": 0}
    for word in words:
        counts[_script_of(word)] += 1
    if counts["telugu"]:
        latin_share = counts["latin"] / (counts["telugu"] + counts["latin"])
        return "mixed" if latin_share >= _MIXED_LATIN_SHARE else "te"
    if counts["other"] > counts["latin"]:
        from nlu.translit import to_latin

        return _latin_language(to_latin(text))
    return _latin_language(text)

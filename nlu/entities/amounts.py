"""Rupee amounts: "Rs 500", "₹1,20,000", "1.5 lakh", "500 rupayalu"."""
from __future__ import annotations

import re

from nlu.entities.dates import _R
from nlu.entities.text import fold
from nlu.normalize import normalize
from nlu.translit import phonetic_key

_NUMBER = r"(\d{1,3}(?:,\d{2,3})+|\d+)(?:\.(\d{1,2}))?"
_MULTIPLIERS = {
    **dict.fromkeys(("lakh", "lakhs", "lac", "lacs", "l", "laksha", "lakshalu", "లక్ష", "లక్షలు", "లక్షల"), 100_000),
    **dict.fromkeys(("crore", "crores", "cr", "koti", "kotlu", "కోటి", "కోట్లు"), 10_000_000),
    **dict.fromkeys(("thousand", "thousands", "k", "vela", "velu", "veyyi", "వేలు", "వేల", "వెయ్యి"), 1000),
    **dict.fromkeys(("hundred", "vandalu", "vanda", "వందలు", "వంద"), 100),
}
_MULTIPLIER = "(" + "|".join(sorted(map(re.escape, _MULTIPLIERS), key=len, reverse=True)) + ")"
_CURRENCY_BEFORE = r"(?:rs\.?|inr|₹|రూ\.?|rupees)"
_CURRENCY_AFTER = (r"(?:rupees|rupee|rupayalu|rupaayalu|rupayal|rupaylu|rs\.?|inr|₹|/-|"
                   r"రూపాయలు|రూపాయిలు|రూపాయి|రూ\.?)")
_AMOUNT_BEFORE_RE = re.compile(
    rf"(?<![a-z]){_CURRENCY_BEFORE}\s*{_NUMBER}(?:\s*{_MULTIPLIER}{_R})?(?:\s*/-)?"
)
_AMOUNT_AFTER_RE = re.compile(rf"(?<![\d.,]){_NUMBER}(?:\s*{_MULTIPLIER})?\s*{_CURRENCY_AFTER}(?![a-z])")
_BARE_AMOUNT_RE = re.compile(rf"\s*{_NUMBER}(?:\s*{_MULTIPLIER})?\s*")


# An amount said in parts, each smaller than the one before ("1 lakh 20 thousand", "రెండు లక్షల యాభై వేలు")
_PART_RE = re.compile(rf"(\d+(?:\.\d+)?)\s*{_MULTIPLIER}(?![a-z\u0c00-\u0c7f])")
_PART_JOINER_RE = re.compile(r"[\s,]*(?:(?:and|mariyu|మరియు)\s+)?")
# Words for a wage: around an amount they name it, and with no period said they mean a month's (nlu/answers)
WAGE_WORDS = frozenset({"salary", "jeetham", "jeetam", "jitham", "జీతం", "wage", "wages", "kooli", "కూలి"})
# Words around a bare amount that say nothing else ("around 1 lakh only", "maa aadayam 80000", "sumaru 50 vela")
AMOUNT_FILLER = WAGE_WORDS | frozenset({
    "only", "around", "about", "approx", "approximately", "nearly", "total", "totally", "income", "my", "our", "is",
    "maa", "naa", "ma", "na", "aadayam", "adayam", "aadaayam", "sumaru", "daadapu", "dadapu", "matrame", "maatrame",
    "andi", "మా", "నా", "ఆదాయం", "సుమారు", "దాదాపు", "మాత్రమే", "అండి"})


def _added_up(folded: str) -> str:
    """"1 lakh 20 thousand" -> "120000": the parts of one amount, added."""
    parts, out, pos, i = list(_PART_RE.finditer(folded)), [], 0, 0
    while i < len(parts):
        run = [parts[i]]
        for following in parts[i + 1:]:
            if (not _PART_JOINER_RE.fullmatch(folded[run[-1].end():following.start()])
                    or _MULTIPLIERS[following[2]] >= _MULTIPLIERS[run[-1][2]]):
                break
            run.append(following)
        if len(run) > 1:
            total = sum(_amount_value(part[1], None, part[2]) for part in run)
            out.append(folded[pos:run[0].start()] + format_amount(total))
            pos = run[-1].end()
        i += len(run)
    return "".join(out) + folded[pos:]


def _amount_value(whole: str, fraction: str | None, multiplier: str | None) -> float:
    value = float(whole.replace(",", "") + ("." + fraction if fraction else ""))
    return value * _MULTIPLIERS.get(multiplier or "", 1)


def format_amount(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")


def amount_matches(folded: str):
    for m in _AMOUNT_BEFORE_RE.finditer(folded):
        yield m.start(), m.end(), _amount_value(m[1], m[2], m[3])
    for m in _AMOUNT_AFTER_RE.finditer(folded):
        yield m.start(), m.end(), _amount_value(m[1], m[2], m[3])


_TENS = {
    **dict.fromkeys(("twenty", "iravai", "ఇరవై"), 20), **dict.fromkeys(("thirty", "muppai", "ముప్పై"), 30),
    **dict.fromkeys(("forty", "nalabhai", "నలభై"), 40), **dict.fromkeys(("fifty", "yabhai", "యాభై"), 50),
    **dict.fromkeys(("sixty", "aravai", "అరవై"), 60), **dict.fromkeys(("seventy", "debbai", "డెబ్బై"), 70),
    **dict.fromkeys(("eighty", "enabhai", "ఎనభై"), 80), **dict.fromkeys(("ninety", "tombhai", "thombhai", "తొంభై"), 90),
}
# Number words a citizen may write instead of figures, with the "-of us"/"-గురు" forms used for people.
NUMBER_WORDS: dict[str, int] = {
    **{w: n for n, words in enumerate([
        ("zero", "sunna", "sunnaa", "సున్నా"),
        ("one", "a", "an", "okati", "okka", "oka", "okaru", "okkaru", "ఒకటి", "ఒక", "ఒక్క", "ఒకరు", "ఒక్కరు",
         "okkadine", "okkadini", "okkadanne", "ఒక్కడినే", "ఒక్కదాన్నే", "ఒక్కరినే"),  # "I alone"
        ("two", "rendu", "iddaru", "iddaram", "రెండు", "ఇద్దరు", "ఇద్దరం"),  # -am: "we two"
        ("three", "moodu", "mudu", "mugguru", "mugguram", "మూడు", "ముగ్గురు", "ముగ్గురం"),
        ("four", "naalugu", "nalugu", "naluguru", "naaluguru", "naluguram", "నాలుగు", "నలుగురు", "నలుగురం"),
        ("five", "aidu", "ayidu", "aiduguru", "ayiduguru", "aiduguram", "ఐదు", "అయిదు", "ఐదుగురు",
         "అయిదుగురు", "ఐదుగురం"),
        ("six", "aaru", "aruguru", "aaruguru", "aaruguram", "ఆరు", "ఆరుగురు", "ఆరుగురం"),
        ("seven", "edu", "eedu", "yedu", "eduguru", "ఏడు", "ఏడుగురు"),
        ("eight", "enimidi", "yenimidi", "enimidimandi", "ఎనిమిది", "ఎనిమిదిమంది"),
        ("nine", "tommidi", "thommidi", "తొమ్మిది"),
        ("ten", "padi", "padimandi", "పది", "పదిమంది"),
        ("eleven", "padakondu", "పదకొండు"), ("twelve", "pannendu", "పన్నెండు"),
        ("thirteen", "padamudu", "పదమూడు"), ("fourteen", "padnalugu", "padhnalugu", "పద్నాలుగు"),
        ("fifteen", "padihenu", "padhihenu", "padihene", "పదిహేను"), ("sixteen", "padahaaru", "padaharu", "పదహారు"),
        ("seventeen", "padihedu", "padhihedu", "పదిహేడు"), ("eighteen", "paddenimidi", "పద్దెనిమిది"),
        ("nineteen", "pandommidi", "pantommidi", "పందొమ్మిది"),
    ]) for w in words},
    **_TENS,
    **dict.fromkeys(("half", "ara", "అర"), 0.5),
}
_WORD_RE = re.compile(r"[a-z\u0c00-\u0c7f]+")
_UNITS = [w for w, n in NUMBER_WORDS.items() if n in range(1, 10) and w not in ("a", "an")]
_TENS_AND_UNIT = re.compile(  # "twenty five", "ఇరవై ఐదు": one number in two words
    rf"(?<![\w\u0c00-\u0c7f])({'|'.join(sorted(_TENS, key=len, reverse=True))})[\s-]+"
    rf"({'|'.join(sorted(_UNITS, key=len, reverse=True))})(?![\w\u0c00-\u0c7f])")


def words_to_figures(folded: str) -> str:
    """"రెండు లక్షలు" -> "2 లక్షలు", "three of us" -> "3 of us", "iravai aidu velu" -> "25 velu"; other words
    stay as they are."""
    folded = _TENS_AND_UNIT.sub(lambda m: f"{_TENS[m[1]] + NUMBER_WORDS[m[2]]:g}", folded)

    def figure(m: re.Match) -> str:
        value = NUMBER_WORDS.get(m.group(0))
        if value is None:
            return _glued(m.group(0))
        if m.group(0) in ("a", "an") and not _before_multiplier(folded, m.end()):
            return m.group(0)
        return f"{value:g}"
    return _WORD_RE.sub(figure, folded)


_GLUED_MULTIPLIER = re.compile(rf"(.+?)({'|'.join(sorted((w for w in _MULTIPLIERS if len(w) > 2), key=len, reverse=True))})")


def _glued(word: str) -> str:
    """A number word written together with its multiplier, as Telugu writes it: "పదివేలు" -> "10 వేలు"."""
    glued = _GLUED_MULTIPLIER.fullmatch(word)
    value = NUMBER_WORDS.get(glued[1]) if glued else None
    # not "one": romanized "okavela" is "in case", not a thousand
    return f"{value:g} {glued[2]}" if value is not None and value > 1 else word


# A number read out digit by digit, as a mobile or Aadhaar number is in a voice note: "nine eight four…",
# "తొమ్మిది ఎనిమిది…", "double seven" (Indian English for 77).
_DIGIT_WORDS = {w: f"{n:g}" for w, n in NUMBER_WORDS.items() if n in range(10) and w not in ("a", "an")}


def _digits_by_sound() -> dict[str, str]:
    """Romanized digit words by phonetic key, so other spellings count ("ennimidi", "thommidhi", "okkati");
    a key two digits share ("aidu" 5 and "edu" 7 both fold to "edu") is left out: only its exact words count."""
    keys: dict[str, set[str]] = {}
    for word, digit in _DIGIT_WORDS.items():
        if word.isascii():
            keys.setdefault(phonetic_key(word), set()).add(digit)
    return {key: digits.pop() for key, digits in keys.items() if len(digits) == 1}


_DIGITS_BY_SOUND = _digits_by_sound()


def _digit_word(token: str) -> str | None:
    if token in _DIGIT_WORDS:
        return _DIGIT_WORDS[token]
    if token.isascii() and token.isalpha() and len(token) >= 3:
        return _DIGITS_BY_SOUND.get(phonetic_key(token))
    return None
_REPEATS = {"double": 2, "dabul": 2, "డబుల్": 2, "triple": 3, "tripul": 3, "ట్రిపుల్": 3}
MIN_DIGITS_READ_OUT = 4  # fewer are a count ("two"), not a number read out


def digits_read_out(text: str) -> str | None:
    """The figures of a number read out digit by digit ("nine eight four eight zero …" -> "9848 0…", words
    that are not digits kept as they are), or None when fewer than MIN_DIGITS_READ_OUT digits were said."""
    out, said, repeat = [], 0, 1
    for token in fold(normalize(text or "")).split():
        if token in _REPEATS:
            repeat = _REPEATS[token]
            continue
        digit = _digit_word(token)
        said += digit is not None
        out.append(digit * repeat if digit else token)
        repeat = 1
    return " ".join(out) if said >= MIN_DIGITS_READ_OUT else None


# Whisper writes the "nine" that opens a number read out as "I" ("nine eight four eight zero one two three four
# five" -> "I-848-012345" with espeak-ng's English voice): an "I" joined to the figures after it is that nine.
_NINE_HEARD_AS_I = re.compile(r"(?<![a-z0-9])i(?=[ -]?\d)")


def nine_heard_as_i(text: str) -> str | None:
    """`text` with such an "I" written as 9 ("i-848-012345"), or None when it has none."""
    folded = fold(normalize(text or ""))
    nine = _NINE_HEARD_AS_I.sub("9", folded)
    return nine if nine != folded else None


def _before_multiplier(text: str, end: int) -> bool:
    following = text[end:].split()
    return bool(following) and following[0] in _MULTIPLIERS


def parse_number(s: str) -> float | None:
    """A count or quantity in figures or words: "3", "ఐదుగురు", "three of us", "2.5", "aidu"."""
    folded = words_to_figures(fold(normalize(s or "")))
    numbers = re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])", folded.replace(",", ""))
    if len(numbers) != 1:
        return None
    value = float(numbers[0])
    amount = parse_amount(folded)  # "2 lakh" is a number too
    return amount if amount is not None and amount != value else value


# an amount in figures among other words: "he earns 8000 a month", "నెలకు 8 వేలు వస్తాయి"
# standing apart as a word: "5e+07" or "123/4" holds no amount
_FIGURES_RE = re.compile(rf"(?<!\S){_NUMBER}(?:\s*{_MULTIPLIER}(?![a-z\u0c00-\u0c7f]))?(?![^\s,;!?.]|[.,]\S)")


# number words said with their multiplier ("padihenu velu", "ఇరవై ఐదు వేలు"): an amount, though said in words
_WORDED_AMOUNT_RE = re.compile(
    rf"(?<![\w\u0c00-\u0c7f])(?:[a-z\u0c00-\u0c7f]+[\s-]+)?[a-z\u0c00-\u0c7f]+?\s*{_MULTIPLIER}(?![a-z\u0c00-\u0c7f])")


def amount_among_words(s: str) -> float | None:
    """The one amount in a longer answer ("my father is a daily labourer, he earns 8000", "నెలకు పదిహేను వేలు
    వస్తుంది"), in figures or in words with its multiplier, where `parse_amount` wants the amount alone; None
    where there is none or more than one ("2 acres, 50000"). A number word alone ("oka") is no amount."""
    found = amounts_among_words(s)
    return found[0] if len(found) == 1 else None


def amounts_among_words(s: str) -> list[float]:
    """Every amount in a longer answer, in the order said ("bill came 4500 instead of usual 800": 4500, 800)."""
    folded = _WORDED_AMOUNT_RE.sub(lambda m: words_to_figures(m[0]), fold(normalize(s or "")))
    return [_amount_value(m[1], m[2], m[3]) for m in _FIGURES_RE.finditer(_added_up(folded))]


def parse_amount(s: str) -> float | None:
    """Rupees in `s`: "Rs 500", "₹1,200", "500 rupayalu", "1.5 lakh", "1.2L", "రెండు లక్షలు", or a bare "500".
    Negative -> None."""
    folded = _added_up(words_to_figures(fold(normalize(s or ""))))
    if re.search(r"(?<![\w])-\s*(?:rs\.?\s*|₹\s*)?\d", folded):
        return None
    found = sorted(amount_matches(folded))
    if found:
        return found[0][2]
    bare = _BARE_AMOUNT_RE.fullmatch(" ".join(w for w in folded.split() if w not in AMOUNT_FILLER))
    return _amount_value(bare[1], bare[2], bare[3]) if bare else None

"""A choice by its number, its label or a synonym in any script, a misspelling, or its meaning.

Stages from surest to least sure; the first that singles out one choice wins. Matching by meaning scores the
answer against each choice's texts with the router's sentence encoder and is never sure enough to skip the
confirmation (confidence below CONFIRM_BELOW).
"""
from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz

from catalog.schema import OWN_WORDS, Bilingual, Choice, ServiceField
from nlu.answers.types import Answer, AnswerContext, Suggestion, Unclear
from nlu.answers.words import compact, fold_words, latin_words, sound_key
from nlu.entities.places import case_ending_stems
from nlu.entities.positions import ordinal_position
from nlu.normalize import ascii_digits

_NUMBER_RE = re.compile(r"^\s*(?:option|opt|no\.?|number|#|నంబర్)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)
# Words that say nothing about which choice is meant.
_FILLER = frozenset(
    """for my the a an of to is are we i am our it its me please category caste kulam vargam type kind
    kosam kavali kaavali ki ku lo naa maa memu nenu andi garu mem maaku naaku కోసం కావాలి మా నా మేము నేను
    మాది మేం వర్గం కులం""".split()  # noqa: SIM905
)
# Choices a request cannot be taken to name in passing (mentioned_choice).
_NOT_MENTIONS = frozenset({"other", "others", "yes", "no", "none", "avunu", "kaadu", "ledu", "అవును", "కాదు", "లేదు"})
_WORD_MATCH = 85.0
_FUZZY_SURE = 88.0
_FUZZY_MAYBE = 72.0
_STEM = 5  # letters (code points) an option's word needs before an inflected form of it counts
_MEANING_MARGIN = 0.015  # e5 similarities crowd together; the gap, not the level, tells
# The catch-all option ("Other", "Something else", "Other function"); not an "other" that lists what it is
# ("Sikh, Buddhist, Jain or Parsi")
_CATCH_ALL = ("other", "something else")
_OWN_WORDS_MAX = 120
_LONG_NUMBER = re.compile(r"\d(?:[\s-]?\d){5,}")
_SAYS_SOMETHING = re.compile(r"[\u0c05-\u0c39]|[a-z]*[aeiouy][a-z]*[a-z]", re.IGNORECASE)  # a Telugu letter or a word


def _names(choice: Choice) -> list[str]:
    """What names a choice: its value, labels and synonyms, and each part of a label that names two things
    ("Hotel or restaurant": "restaurant"; "డ్రైనేజీ / కాలువ": "కాలువ")."""
    labels = (choice.label.en, choice.label.te)
    parts = [p.strip() for label in labels for p in _ALTERNATIVES.split(label)]
    return list(dict.fromkeys([choice.value.replace("_", " "), *labels, *choice.synonyms,
                               *(p for p in parts if len(p) >= 3 and p not in labels)]))


_ALTERNATIVES = re.compile(r"\s+or\s+|\s*/\s*|\s+లేదా\s+")


def _answer(choice: Choice, confidence: float) -> Answer:
    return Answer(choice.value, choice.label.en, confidence)


def _suggest(choices) -> tuple[Suggestion, ...]:
    return tuple(Suggestion(c.value, c.label.en, c.label.te) for c in choices)


def _by_number(spec: ServiceField, text: str) -> Choice | None:
    m = _NUMBER_RE.match(ascii_digits(text))
    if m and 1 <= int(m.group(1)) <= len(spec.choices):
        return spec.choices[int(m.group(1)) - 1]
    return None


def _by_place(spec: ServiceField, text: str) -> Choice | None:
    """"the second one", "rendodi": after the choice's own names, so a choice called "First class" stays itself."""
    place = ordinal_position(text, len(spec.choices))
    return None if place is None else spec.choices[place]


def exact_choice(spec: ServiceField, text: str) -> Choice | None:
    """The choice the whole text names: a label, the value or a synonym, in any script or a sound-alike spelling."""
    said, key = compact(text), sound_key(text)
    for choice in spec.choices:
        for name in _names(choice):
            # Sound-alike keys only for longer words: "bc" and "bcc" share the key "bk".
            if said == compact(name) or len(key) >= 4 and key == sound_key(name):
                return choice
    return None


def _contains(words: list[str], name_words: list[str]) -> bool:
    n = len(name_words)
    return n > 0 and any(words[i:i + n] == name_words for i in range(len(words) - n + 1))


def _named(spec: ServiceField, text: str, names=_names) -> list[tuple[int, Choice, list[str]]]:
    """Choices one of whose names appears whole in the text ("we are SC"), with that name's length and words,
    longest first."""
    words, latin = _said_plainly(fold_words(text)), _said_plainly(latin_words(text))
    stems = [_stem(w) for w in latin]
    best: dict[str, tuple[int, Choice, list[str]]] = {}
    for choice in spec.choices:
        for name in names(choice):
            name_words = fold_words(name)
            if len(compact(name)) < 2:
                continue
            name_latin = latin_words(name)
            if _contains(words, name_words) or _contains(latin, name_latin) or _contains(stems, name_latin):
                length = len(compact(name))
                if length > best.get(choice.value, (0,))[0]:
                    best[choice.value] = (length, choice, name_latin)
    return sorted(best.values(), key=lambda item: -item[0])


_NOT_JOINED = {"isn", "hasn", "wasn", "aren", "haven", "hadn", "weren"}  # "isn't" is split as "isn", "t"


def _said_plainly(words: list[str]) -> list[str]:
    """English negation as an option names it: "isn't working", "has not been working" -> "… not working"."""
    plain: list[str] = []
    for word in words:
        if word == "t" and plain and plain[-1] in _NOT_JOINED:
            plain[-1] = "not"
        elif not (word in ("been", "yet") and plain and plain[-1] == "not"):
            plain.append(word)
    return plain


def _stem(word: str) -> str:
    """A word without its ending: a Telugu case ending ("aavuki", to the cow, is "aavu"; "aavulaki", to the cows,
    is "aavulu": a plural's "-lu" is "-la" before the ending) or an English plural ("street lights" names Street
    light)."""
    telugu = next(iter(case_ending_stems(word, shortest=3)), None)
    if telugu:
        return telugu[:-1] + "u" if telugu.endswith("la") and len(telugu) >= 5 else telugu
    if len(word) >= 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _contained(spec: ServiceField, text: str, names=_names) -> list[Choice]:
    """The choice named whole in an answer. A longer name wins over the names inside it ("daughter in law" over
    "daughter", "power tiller" over the "Power" of "Power or battery sprayer"); options named apart ("my son's
    wife": Son, and Wife or husband) leave them all, to be asked."""
    ranked = _named(spec, text, names)
    if any(not _contains(ranked[0][2], words) for _, _, words in ranked[1:]):
        return [c for _, c, _ in ranked]
    return [c for _, c, _ in ranked[:1]]


def mentioned_choice(spec: ServiceField, request: str) -> Choice | None:
    """The one choice a service request already names ("street light not working" -> Light not working), to
    fill the field before it is asked. Stricter than an answer: a request names things in passing, so two
    choices named apart (not one name inside the other's), a catch-all "other" or a bare yes or no fill nothing."""
    named = _contained(spec, request, _mentionable_names)
    return named[0] if len(named) == 1 else None


def _mentionable_names(choice: Choice) -> list[str]:
    if choice.value in _NOT_MENTIONS:
        return []
    return [name for name in _names(choice) if compact(name) not in _NOT_MENTIONS]


def _content(words: list[str]) -> list[str]:
    return [w for w in words if len(w) >= 3 and w not in _FILLER]


def _shared_words(spec: ServiceField, text: str) -> list[tuple[float, Choice]]:
    """Choices sharing a meaningful word with the answer ("for my daughter's college fees" -> fees)."""
    said = _content(fold_words(text)) + _content(latin_words(text))
    scored = []
    for choice in spec.choices:
        mine = {w for name in _names(choice) for w in _content(fold_words(name)) + _content(latin_words(name))}
        hits = [max((100.0 if _inflected(w, m) else fuzz.ratio(w, m) for m in mine), default=0) for w in said]
        matched = [w for w, score in zip(said, hits, strict=True) if score >= _WORD_MATCH]
        if matched:
            scored.append((sum(len(w) for w in matched), choice))
    return sorted(scored, key=lambda item: -item[0])


def _inflected(said: str, word: str) -> bool:
    """A Telugu word with an ending on an option's word: "chaduvutondi", "చదువుతోంది" (studies) on "chaduvu",
    "చదువు". Only stems of five letters or more: shorter ones begin too many other words."""
    return len(word) >= _STEM and said.startswith(word)


def _fuzzy(spec: ServiceField, text: str) -> list[tuple[float, Choice]]:
    said = compact(text)
    scored = []
    for choice in spec.choices:
        score = max(fuzz.ratio(said, compact(name)) for name in _names(choice))
        scored.append((score, choice))
    return sorted(scored, key=lambda item: -item[0])


def _by_meaning(spec: ServiceField, text: str, encoder) -> list[tuple[float, Choice]]:
    texts, owners = [], []
    for choice in spec.choices:
        for name in (choice.label.en, choice.label.te, *choice.synonyms):
            texts.append(name)
            owners.append(choice)
    vectors = encoder.encode([text, *texts])
    scores = vectors[1:] @ vectors[0]
    best: dict[str, tuple[float, Choice]] = {}
    for score, choice in zip(np.asarray(scores, dtype=float), owners, strict=True):
        if score > best.get(choice.value, (-1.0, choice))[0]:
            best[choice.value] = (float(score), choice)
    return sorted(best.values(), key=lambda item: -item[0])


def parse_choice(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    if ctx.choice_id and ctx.choice_id.startswith("opt:"):
        picked = next((c for c in spec.choices if c.value == ctx.choice_id[4:]), None)
        if picked:
            return _answer(picked, 1.0)
    picked = _by_number(spec, text) or exact_choice(spec, text) or _by_place(spec, text)
    if picked:
        return _answer(picked, 1.0)
    contained = _contained(spec, text)
    if len(contained) == 1:
        return _answer(contained[0], 0.95)
    if len(contained) > 1:
        return _unclear(spec, contained)
    shared = _shared_words(spec, text)
    if shared and (len(shared) == 1 or shared[0][0] > shared[1][0]):
        return _answer(shared[0][1], 0.85 if shared[0][0] >= 5 else 0.7)
    fuzzy = _fuzzy(spec, text)
    if fuzzy[0][0] >= _FUZZY_SURE and (len(fuzzy) == 1 or fuzzy[1][0] < _FUZZY_SURE):
        return _answer(fuzzy[0][1], 0.9)
    near = [c for score, c in fuzzy if score >= _FUZZY_MAYBE]
    if len(near) == 1:
        return _answer(near[0], 0.6)
    if len(near) > 1:
        return _unclear(spec, near[:5])
    if ctx.encoder is not None and len(text.strip()) >= 3:
        meant = _by_meaning(spec, text, ctx.encoder)
        if len(meant) > 1 and meant[0][0] - meant[1][0] >= _MEANING_MARGIN:
            return _answer(meant[0][1], 0.6)
        return _unclear(spec, [c for _, c in meant[:3]])
    return _unclear(spec, [])


def as_other(spec: ServiceField, text: str) -> Answer | None:
    """An answer that names none of the options ("bank loan kosam" for a purpose), kept in the citizen's own words
    under the catch-all option and confirmed; None where the field has no catch-all or the text has no words."""
    catch_all = next((c for c in spec.choices
                      if c.value == "other" and c.label.en.casefold().startswith(_CATCH_ALL)), None)
    words = " ".join(text.split())[:_OWN_WORDS_MAX].strip(" .,!")
    if catch_all is None or not _SAYS_SOMETHING.search(words) or _LONG_NUMBER.search(words):
        return None  # a long number (an Aadhaar, a mobile) would be stored unmasked in the readable fields
    return Answer(f"{catch_all.value}{OWN_WORDS}{words}", f"{catch_all.label.en} ({words})", 0.6)


def options_text(spec: ServiceField) -> Bilingual:
    """The numbered choices in each language, so a Telugu reply lists them as the Telugu list rows do."""
    return Bilingual(en=", ".join(f"{i}. {c.label.en}" for i, c in enumerate(spec.choices, 1)),
                     te=", ".join(f"{i}. {c.label.te}" for i, c in enumerate(spec.choices, 1)))


def _unclear(spec: ServiceField, near: list[Choice]) -> Unclear:
    return Unclear("invalid_choice", {"options": options_text(spec)}, suggestions=_suggest(near))

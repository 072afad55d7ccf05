"""Understanding a citizen's answer to one form field, in English, Telugu script and romanized Telugu.

    parse_answer(field, text, ctx) -> Answer(value, display, confidence) | Unclear(key, values, reason_en,
                                                                                  reason_te, suggestions)

One module per kind of answer: choices, places, names, dates, numbers (counts and amounts), identifiers
(catalog.formats), yes/no, text and survey numbers. An Answer below CONFIRM_BELOW confidence should be
confirmed with the citizen; an Unclear's suggestions are what they may have meant ("did you mean …?").
"""
from __future__ import annotations

import re

from catalog.schema import FieldType, ServiceField
from nlu.answers.choices import as_other, parse_choice
from nlu.answers.dates import parse_date_answer
from nlu.answers.identifiers import format_of, parse_identifier
from nlu.answers.names import clean_name, names_by_whose, parse_name, whose_name
from nlu.answers.numbers import parse_amount_answer, parse_number_answer, rupees
from nlu.answers.places import PLACE_KINDS, parse_place, strip_kind_words
from nlu.answers.text import parse_survey, parse_text
from nlu.answers.types import CONFIRM_BELOW, Answer, AnswerContext, Suggestion, Unclear
from nlu.answers.yes_no import NO, parse_yes_no

__all__ = ["CONFIRM_BELOW", "PLACE_KINDS", "Answer", "AnswerContext", "Suggestion", "Unclear", "clean_name", "format_of",
           "is_skip", "names_by_whose", "parse_answer", "parse_yes_no", "rupees", "says_not_at_hand",
           "says_this_number", "strip_kind_words", "whose_name"]

# The one list of words that leave an optional field empty, in English, Telugu script and romanized Telugu
# (the dialogue's Skip after refusals uses it too). "ledu"/"vaddu" may be a choice ("No"), so not for choices.
SKIP_WORDS = frozenset({
    "skip", "skip it", "skip this", "-", "none", "nil", "na", "n/a", "not available", "don't have", "dont have",
    "don't know", "dont know", "no need", "leave it",
    "దాటవేయి", "దాటవేయండి", "స్కిప్", "స్కిప్ చేయి", "స్కిప్ చేయండి", "వదిలేయి", "వదిలేయండి", "వద్దు", "లేదు",
    "తెలియదు", "అవసరం లేదు", "లేవు",
    "dataveyi", "daataveyi", "datavey", "dataveyandi", "daataveyandi", "vadileyi", "vadileyandi", "vadilei",
    "vaddu", "ledu", "levu", "teliyadu", "theliyadu", "avasaram ledu", "skip chey", "skip cheyyi", "skip cheyi",
    "skip cheyyandi", "skip cheyandi", "skip chesey", "skip cheseyandi", "skip చేయి", "skip చేయండి"})
_MAYBE_A_CHOICE = frozenset({"vaddu", "ledu", "levu", "వద్దు", "లేదు", "లేవు", "none", "nil", "na", "n/a"})


# "I don't have it" or "I don't know it" inside a longer answer ("naa daggara pension ID ledu", "card poyindi",
# "I don't know my USC"): said to a detail a service cannot go without, the form waits until the citizen has it
_NOT_AT_HAND = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:don'?t have|do not have|don'?t know|do not know|not with me|lost|no idea|ledu|"
    r"don'?t remember|do not remember|can'?t remember|cannot remember|forgot|forgotten|gurthu ledu|gurtu ledu|"
    r"marchipoya\w*|marichipoya\w*|గుర్తు లేదు|గుర్తులేదు|మర్చిపోయా[\w\u0c00-\u0c7f]*|"
    r"levu|teliyadu|theliyadu|poyindi|pogottukunna\w*|లేదు|లేవు|తెలియదు|పోయింది|పోగొట్టుకున్నా[\w\u0c00-\u0c7f]*)"
    r"(?![\w\u0c00-\u0c7f])")


# "Any bus is fine", "ఏదైనా పర్వాలేదు": no preference, to an optional choice (an option it names still counts)
_ANY_WILL_DO = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:any|anything|any one|whichever|whatever|no preference|doesn'?t matter|"
    r"does not matter|edaina|yedaina|emaina|ఏదైనా|ఏదైన|parledu|paravaledu|parvaledu|పర్వాలేదు|ఫరవాలేదు)"
    r"(?![\w\u0c00-\u0c7f])")


# "The number I am writing from" given to a mobile question: "same number", "use this whatsapp number", "ee number",
# "idhe number", "ఇదే నంబర్" (on WhatsApp the sender's number is that number)
_THIS_NUMBER = re.compile(
    r"^(?:(?:use|take|it\s+is|its|it's)\s+)?(?:(?:my|naa|na|maa)\s+)?(?:same|this|the same|ee|idhe|ide|idey|adhe|ade|ఇదే|ఈ|అదే)\s+"
    r"(?:(?:whatsapp|mobile|phone|వాట్సాప్|మొబైల్|ఫోన్)\s+)?(?:number|no|nambar|nembar|నంబర్|నంబరు|నెంబర్)(?![\w\u0c00-\u0c7f])\D{0,40}$"
    r"|^(?:my\s+)?whatsapp\s+(?:number|no)$|^same$|^idhe$|^ఇదే$", re.IGNORECASE)


def says_this_number(text: str | None) -> bool:
    said = " ".join((text or "").casefold().split()).strip(" .!")
    return _THIS_NUMBER.match(said) is not None and not any(w in NO for w in said.split())  # "this number is wrong"


def says_any_will_do(text: str) -> bool:
    return _ANY_WILL_DO.search((text or "").casefold().replace("’", "'")) is not None


def says_not_at_hand(text: str) -> bool:
    return _NOT_AT_HAND.search((text or "").casefold().replace("’", "'")) is not None


def is_skip(text: str, choice: bool = False) -> bool:
    """The citizen leaves an optional field empty ("skip", "దాటవేయి", "skip cheyyandi", "ledu"); for a choice
    field "ledu" and "vaddu" may be its option No, so they are not a skip there."""
    said = " ".join((text or "").casefold().strip(" .!").split())
    return said in SKIP_WORDS and not (choice and said in _MAYBE_A_CHOICE)


_NAMED_A_NUMBER = ("_number", "_no")


def _number_not_at_hand(text: str) -> bool:
    """"number teliyadu sir", "card poyindi", "I don't know" to an optional card or document number, count or
    amount: left out, as a skip is (a required one is the dialogue's "where to find it")."""
    return says_not_at_hand(text) and not any(ch.isdigit() for ch in text)


def _says_nothing_of_it(text: str) -> bool:
    """A yes or no, a skip, "I don't know": not an answer to keep as the citizen's own words."""
    return is_skip(text) or says_not_at_hand(text) or parse_yes_no(text) is not None


def parse_answer(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    text = (text or "").strip()
    if not spec.required and is_skip(text, choice=spec.type == FieldType.choice):
        return Answer("", "—")
    numeric = format_of(spec) is not None or spec.type in (FieldType.number, FieldType.amount) or \
        spec.type == FieldType.text and spec.name.endswith(_NAMED_A_NUMBER)  # a registration number, free text
    if numeric and _number_not_at_hand(text):
        if not spec.required:  # "I don't know the ward number"
            return Answer("", "—")
        if spec.type == FieldType.text:  # "number gurthu ledu" is not the number: the dialogue says where to find
            return Unclear("invalid_text")  # it and keeps the form
    if format_of(spec) is not None:
        return parse_identifier(spec, text)
    kind = spec.type
    if kind == FieldType.choice:
        chosen = parse_choice(spec, text, ctx)
        if isinstance(chosen, Unclear) and not spec.required and says_any_will_do(text):
            return Answer("", "—")
        if isinstance(chosen, Unclear) and not chosen.suggestions and not _says_nothing_of_it(text):
            return as_other(spec, text) or chosen  # near two options, "did you mean" comes first
        return chosen
    if kind in PLACE_KINDS:
        return parse_place(spec, text, ctx)
    if kind == FieldType.name:  # "skip", "I don't know": no name, and the dialogue says what that means
        return Unclear("not_a_name") if is_skip(text) or says_not_at_hand(text) else \
            parse_name(text, whose_name(spec.name))
    if kind == FieldType.date:
        return parse_date_answer(spec, text, ctx)
    if kind == FieldType.number:
        return parse_number_answer(spec, text)
    if kind == FieldType.amount:
        return parse_amount_answer(spec, text)
    if kind == FieldType.survey_number:
        return parse_survey(text)
    return parse_text(text)

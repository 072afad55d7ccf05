"""A person's name: "my name is …", "నా పేరు …", "naa peru … andi" removed; Telugu script kept as written.
When the message carries more (an Aadhaar number, a district), the name is the part that looks like one; words
said about the name instead of it ("why do you need my name", "aadhaar lo unna peru") are no name."""
from __future__ import annotations

import re

from nlu.answers.types import Answer, Unclear
from nlu.answers.yes_no import NO, YES

_INTRO = re.compile(
    r"^\s*(?:my\s+name\s+is|my\s+name|name\s*(?:is|:|-)?|i\s+am|i'm|this\s+is|it\s+is|its|it's|"
    r"(?:(?:my|our|the)\s+)?(?:father|mother|husband|wife|son|daughter|guardian|child|baby)(?:'s)?\s+name"
    r"(?:\s+is)?|(?:his|her|their)\s+name(?:\s+is)?|"
    # a child named as whose it is ("my daughter Sravani", "మా అమ్మాయి శ్రావణి"): no question is named for a
    # son or a daughter, so the name is the one asked for, whoever's it is
    r"(?:my|our|naa|na|maa|ma|నా|మా)\s*(?:son|daughter|koduku|kuthuru|kooturu|abbayi|ammayi|కొడుకు|కూతురు|అబ్బాయి|"
    r"అమ్మాయి)(?:\s+(?:is|peru|పేరు))?|"
    # whose name it is, in Telugu: "vaadi peru" (his), "maa abbayi peru" (our boy's), "పాప పేరు" (the girl's)
    r"(?:(?:naa|na|maa|ma)\s+)?(?:nanna|amma|tandri|thandri|talli|bharta|bhartha|bharya|bhaarya|abbayi|ammayi|"
    r"babu|papa|bidda|koduku|kuthuru|kooturu|vaadi|vadi|vaari|vari|aame|aayana|ayana)\s+peru|"
    r"(?:(?:నా|మా)\s*)?(?:నాన్న|అమ్మ|తండ్రి|తల్లి|భర్త|భార్య|అబ్బాయి|అమ్మాయి|బాబు|పాప|బిడ్డ|కొడుకు|కూతురు|వాడి|"
    r"వారి|ఆమె|ఆయన)\s*పేరు|"
    r"naa\s+peru|na\s+peru|naa\s+pery|peru|నా\s*పేరు|పేరు|nenu|neenu|నేను)(?:\s*[:,\-]\s*|\s+)",
    re.IGNORECASE,
)
# whole words only in Latin letters ("Kakani", "Perumalla" keep their "ani" and "peru"); Telugu script may glue
# "గారు" on ("రామారావుగారు"), and no Telugu name ends in an independent vowel such as "అ"
_OUTRO = re.compile(r"(?:\s+(?:(?:ani\s+)?(?:naa|na)\s+peru|ani|andi|garu|please|pls)|"
                    r"\s*(?:(?:అని\s+)?నా\s*పేరు|అని|అండి|గారు))\s*[.!]*\s*$", re.IGNORECASE)
_NOT_NAME = re.compile(r"[\d@#$%^&*_=+<>{}\[\]|\\/~`]")
# Words no name holds: a message with one speaks about the name ("the name on the card", "enduku?")
_ABOUT_A_NAME = frozenset("""the is are was do does did you your my want need know why what how which who please
    tell name on of for to can will should not dont don't idea he she him his her they them their were died
    expired passed
    kavali ledu undi unna enduku endhuku emiti enti evaru cheppanu cheppalenu teliyadu theliyadu peru lo
    aayana ayana aame aavida athanu atanu athani vaadu vaadi
    jarigindi jarigindhi jarigina ayindi aindi unnam unnamu unnanu untanu untamu untaru vundi vunnam chesaru
    chesamu chesanu vachindi
    కావాలి లేదు ఉంది ఉన్న ఎందుకు ఏమిటి ఏంటి ఎలా ఎవరు చెప్పను చెప్పలేను తెలియదు పేరు
    ఆయన ఆమె ఆవిడ అతను అతని వాడు వాడి జరిగింది జరిగిన అయింది ఉన్నాం ఉన్నాము ఉన్నాను ఉంటాను ఉంటాము ఉంటారు
    చేశారు చేశాము చేశాను వచ్చింది""".split())  # noqa: SIM905
# A child not named yet ("ఇంకా పేరు పెట్టలేదు", "peru inka pettaledu", "not named yet"): hospitals write "Baby of"
# and the mother's name, and the name is added to the register later
_NOT_NAMED_YET = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:not\s+(?:yet\s+)?named|no\s+name\s+yet|name\s+not\s+(?:yet\s+)?(?:given|kept|decided)|"
    r"ha(?:ve|s)n'?t\s+(?:been\s+)?named|ha(?:ve|s)\s+not\s+(?:been\s+)?named|pettaledu|pettaledhu|"
    r"పెట్టలేదు|పెట్టలే)(?![\w\u0c00-\u0c7f])", re.IGNORECASE)
_BABY_OF = re.compile(r"^(?:baby|b)\s*(?:of|/\s*o)\s+(?P<mother>.+)$", re.IGNORECASE)
_YES_OR_NO = YES | NO  # a yes or no alone ("ok", "sare") is an answer to something else
_PARTS = re.compile(r"[,;\n]|\s+(?:and|mariyu|మరియు)\s+")


# Whose name a part of a message gives ("mother is Lakshmi Devi, father Ramesh"), by the word before it; a
# field's own name says whose name it asks for (mother_name, husband_name)
_WHOSE_WORDS = {
    "mother": "mother amma talli తల్లి అమ్మ", "father": "father nanna tandri thandri నాన్న తండ్రి",
    "husband": "husband bharta bhartha భర్త", "wife": "wife bharya bhaarya aavida భార్య ఆవిడ",
    # at a wedding "the girl" and "the boy" are the bride and the groom ("ammayi peru Sravani")
    "bride": "bride vadhuvu pellikuthuru ammayi పెళ్లికూతురు వధువు అమ్మాయి",
    "groom": "groom varudu pellikoduku abbayi పెళ్లికొడుకు వరుడు అబ్బాయి", "seller": "seller", "buyer": "buyer",
}
_WHOSE = {word: whose for whose, spoken in _WHOSE_WORDS.items() for word in spoken.split()}
_WHOSE_PART = re.compile(
    r"^(?:(?:my|our|the|naa|na|maa|ma|నా|మా)\s*)?(?P<who>" + "|".join(sorted(_WHOSE, key=len, reverse=True)) +
    r")(?:'s)?(?![\w\u0c00-\u0c7f])(?:\s*(?:name|peru|పేరు))?(?:\s+(?:is|was)|\s*[:=\-])?\s+(?P<name>\S.*)$",
    re.IGNORECASE)


def whose_name(field_name: str) -> str | None:
    """Whose name a field asks for ("mother_name" -> "mother"), where its name says so."""
    return next((word for word in field_name.split("_") if word in _WHOSE_WORDS), None)


def names_by_whose(text: str) -> tuple[dict[str, str], str]:
    """({"mother": "Lakshmi Devi", "father": "Ramesh"}, "Aarav") from "Aarav, mother is Lakshmi Devi, father
    Ramesh": the names said to be whose, and the rest of the message."""
    found, rest = {}, []
    for part in _PARTS.split(text or ""):
        said = _WHOSE_PART.match(part.strip())
        name = clean_name(said["name"]) if said else ""
        if said and _acceptable(name):
            found.setdefault(_WHOSE[said["who"].casefold()], name)
        elif part.strip():
            rest.append(part.strip())
    return found, ", ".join(rest)


# "late Ramesh Babu", "స్వర్గీయ రామారావు": said of a person who has died, not a part of the name on a record
_LATE = re.compile(r"^(?:late\.?|lt\.?|swargiya|swargeeya|divangata|స్వర్గీయ|దివంగత)\s+(?=\S)", re.IGNORECASE)


# Said right after a place, these make it the place, not a part of the name ("Ramesh, Guntur district")
_PLACE_WORDS = frozenset("""district dist jilla zilla town city village mandal lo loni nundi nunchi ki ku from
    జిల్లా పట్టణం గ్రామం మండలం లో నుండి""".split())  # noqa: SIM905
_BUILDINGS = frozenset("""hospital govt government area colony nagar road street ward bus stand station office
    school college temple market""".split())  # noqa: SIM905
_BEFORE_A_PLACE = frozenset("from in at of near ooru village town".split())  # noqa: SIM905
_INTRO_WORDS = frozenset("is am name peru పేరు nenu నేను".split())  # noqa: SIM905


def place_in_name(text: str, start: int, end: int) -> bool:
    """Whether a place found at text[start:end] of an answer to a name's question is a part of the name:
    "Kondapalli Venkata Ramana", "Tenali Ramakrishna" (surnames are often places). It is, when a word of the
    name runs on from it with only a space between, not a word that makes it a place ("from Guntur", "Guntur
    district", "Guntur lo"); "Ramesh, Guntur" and "Ramesh from Guntur" name the place."""
    before = re.search(r"([^\W\d]+)\s+$", text[:start])
    after = re.match(r"\s+([^\W\d]+)", text[end:])
    if after and after[1].casefold() in _PLACE_WORDS or before and before[1].casefold() in _BEFORE_A_PLACE:
        return False
    return bool(after) and _a_name_word(after[1]) or bool(before) and before[1].casefold() not in _INTRO_WORDS \
        and _a_name_word(before[1])


def _a_name_word(word: str) -> bool:
    """Not an abbreviation ("Guntur GGH": the hospital) nor a word for a place or building."""
    return not _letters_only([word.casefold()]) and word.casefold() not in _PLACE_WORDS | _BUILDINGS


# the name as a paper has it: "certificate lo Sravani ani undi", "పత్రంలో శ్రావణి అని ఉంది", "in the certificate it
# is Sravani" (a correction's "name on the certificate")
_ON_THE_PAPER = re.compile(
    r"^(?:(?:in|on)\s+(?:the\s+|my\s+|her\s+|his\s+)?)?(?:birth\s+|death\s+)?(?:certificate|card|aadhaar|aadhar|"
    r"record|records|patram|పత్రం|సర్టిఫికెట్|ఆధార్)\s*(?:lo|లో|లోని)?(?:\s+(?:it\s+(?:is|says)|it's|its|is))?\s+"
    r"|\s+(?:ani|అని)\s+(?:undi|vundi|unnadi|undhi|raasaru|rasaru|padindi|ఉంది|ఉన్నది|రాశారు|పడింది)\s*[.!]*$",
    re.IGNORECASE)


def clean_name(text: str) -> str:
    name = _ON_THE_PAPER.sub("", " ".join((text or "").split()))
    for _ in range(2):
        name = _INTRO.sub("", name)
        name = _OUTRO.sub("", name)
        name = _LATE.sub("", name.strip(" .,:-"))
    return name.strip(" .,:-")


def _acceptable(name: str) -> bool:
    return 2 <= len(name) <= 100 and not _NOT_NAME.search(name) and any(ch.isalpha() for ch in name) \
        and not _about_a_name(name)


def _about_a_name(text: str) -> bool:
    said = [w.strip("?.,!") for w in text.casefold().split()]
    return any(w in _ABOUT_A_NAME for w in said) or all(w in _YES_OR_NO for w in said) or _letters_only(said)


def _letters_only(said: list[str]) -> bool:
    """An abbreviation without a vowel ("GGH", "RTC", "PHC": a hospital said with the town) names no person."""
    return bool(said) and all(w.isascii() and w.isalpha() and not set(w) & set("aeiouy") for w in said)


def parse_name(text: str, whose: str | None = None) -> Answer | Unclear:
    """A name; for a field asking `whose` ("mother"), the part of the message said to be that person's."""
    if _NOT_NAMED_YET.search(text or ""):
        return Unclear("not_named_yet")
    by_whose, rest = names_by_whose(text)
    if whose in by_whose:
        return Answer(by_whose[whose], by_whose[whose])
    if by_whose and whose:  # "Father: Ramesh" asked for the mother's name
        return Unclear("someone_elses_name")
    if len(by_whose) == 1 and not rest:  # "my father Ramesh Babu" asked the name of the person who died
        name = next(iter(by_whose.values()))
        return Answer(name, name)
    text = rest if by_whose and rest else text  # "Aarav, mother Lakshmi": the name not said to be another's
    whole = clean_name(text)
    baby_of = _BABY_OF.match(whole)
    if baby_of and _acceptable(baby_of["mother"]):
        mother = baby_of["mother"]
        named = f"Baby of {mother.title() if mother.isascii() and mother.islower() else mother}"
        return Answer(named, named)
    if _acceptable(whole):
        return Answer(whole, whole)
    # "Ramu Kondapalli, aadhaar 4991 1866 5246, Guntur district": the first part that is a name.
    for part in _PARTS.split(text or ""):
        name = clean_name(part)
        if _acceptable(name):
            return Answer(name, name, confidence=0.9)
    return Unclear("not_a_name" if _about_a_name(clean_name(text)) else "invalid_name")

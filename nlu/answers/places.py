"""A district, town or temple by any spelling: "Guntur jilla", "గుంటూరు జిల్లా", "Srisailam", "kanaka durga gudi".
A near miss gets "did you mean …?" suggestions instead of a plain refusal."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from catalog.schema import FieldType, Place, ServiceField
from nlu import words
from nlu.answers.names import parse_name
from nlu.answers.types import Answer, AnswerContext, Suggestion, Unclear
from nlu.answers.words import compact
from nlu.entities import match_place, town_or_temple
from nlu.translit import to_latin

PLACE_KINDS = {FieldType.district: "districts", FieldType.town: "towns", FieldType.temple: "temples",
               FieldType.mandal: "mandals", FieldType.village: "villages"}
# Words around a place name that say what kind of place it is, not which.
_KIND_WORDS = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:district|dist|jilla|zilla|jillaa|zila|జిల్లా|జిల్లాలో|mandal|mandalam|మండలం|town|city|"
    r"village|gramam|ooru|uru|ఊరు|గ్రామం|పట్టణం|నగరం|temple|gudi|devasthanam|devalayam|aalayam|alayam|గుడి|ఆలయం|"
    r"దేవస్థానం|దేవాలయం|sri|shri|శ్రీ|swamy|swami|స్వామి|ammavari|అమ్మవారి|in|at|to|from|lo|ki|ku|nundi|"
    r"my|is|the|maadi|naadi|మాది|నాది)(?![\w\u0c00-\u0c7f])",
    re.IGNORECASE,
)
_SUGGEST_CUTOFF = 60.0
PLACE_IN_A_DISTRICT = 0.7  # a town for its district: confirmed, as a town's name may be another district's too


def strip_kind_words(text: str) -> str:
    return " ".join(_KIND_WORDS.sub(" ", text or "").split())


def _romanized(text: str) -> str:
    return re.sub(r"[^a-z]", "", to_latin(text).lower())


def _near_misses(text: str, places: list[Place]) -> list[Place]:
    spellings = {}
    for place in places:
        for spelling in place.spellings():
            spellings.setdefault(_romanized(spelling), place)
    found = process.extract(_romanized(text), list(spellings), scorer=fuzz.ratio, limit=8,
                            score_cutoff=_SUGGEST_CUTOFF)
    unique: list[Place] = []
    for key, _score, _ in found:
        if spellings[key] not in unique:
            unique.append(spellings[key])
    return unique[:3]


_VILLAGE_WORDS = ("village", "gramam", "ooru", "town", "ఊరు", "గ్రామం", "పట్టణం")


def name_alone(spec: ServiceField, text: str) -> str:
    """The place's name without the word for its kind: "Gudur mandalam", "గూడూరు మండలంలో" -> "Gudur", "గూడూరు";
    a citizen asked their mandal may name it as their village ("maa ooru Pedakakani")."""
    kinds = words.FIELD_WORDS.get(spec.type.value, set()) | set(_VILLAGE_WORDS)
    kind = "|".join(sorted(map(re.escape, kinds), key=len, reverse=True))
    said = re.sub(rf"(?<![\w\u0c00-\u0c7f])(?:{kind})(?:\s*(?:lo|లో))?(?![\w\u0c00-\u0c7f])", " ", text or "",
                  flags=re.IGNORECASE)
    return " ".join(said.split()).strip(" .,:-")


# "naa mandal Ponnur", "మా మండలం పొన్నూరు": the word for whose place it is goes with the word for its kind
_POSSESSIVE = re.compile(r"^(?:my|our|naa|na|maa|ma|నా|మా)\s+(?:is\s+)?(?=\S)", re.IGNORECASE)


def _as_said(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    """A place with no list of its kind (a mandal): its name as said, or, where the name is a gazetteer town's
    (a mandal is named after its headquarters: Tenali, Gudur), that town's, so either script shows it in both."""
    said = parse_name(_POSSESSIVE.sub("", name_alone(spec, text)))
    if not isinstance(said, Answer):  # "why", "teliyadu": no place, and no person's name asked for either
        return Unclear("not_a_place") if said.key in ("not_a_name", "not_named_yet") else said
    # spelled as the town is, not only alike: "Kovur" (Nellore) is not "Kovvur" (East Godavari), whose sounds match
    town = match_place(said.value, ctx.gazetteer.towns)
    if town is not None and any(compact(said.value) == compact(s) for s in town.spellings()):
        return Answer(town.name.en, town.name.en, said.confidence)
    # not a town's name whole ("Ongole Rural" is a mandal of its own); typed in lower case, written as a name
    name = said.value.title() if said.value.isascii() and said.value.islower() else said.value
    return Answer(name, name, said.confidence)


def parse_place(spec: ServiceField, text: str, ctx: AnswerContext) -> Answer | Unclear:
    """A place from the gazetteer's list for its kind; while there is no list (mandals), its name as said."""
    places = getattr(ctx.gazetteer, PLACE_KINDS[spec.type], None) or []
    if not places:
        return _as_said(spec, text, ctx)
    for attempt in (text, strip_kind_words(text)):
        place = match_place(attempt, places) if attempt else None
        if place:
            return Answer(place.id, place.name.en)
    if spec.type == FieldType.district and (district := _district_of_a_place(text, ctx.gazetteer)):
        return district
    key = "invalid_district" if spec.type == FieldType.district else "invalid_place"
    near = _near_misses(strip_kind_words(text) or text, places)
    return Unclear(key, suggestions=tuple(Suggestion(p.id, p.name.en, p.name.te) for p in near))


def _district_of_a_place(text: str, gazetteer) -> Answer | None:
    """A town or temple said where the district is asked ("maadi Tenali"): its district, to be confirmed ("Did you mean
    Guntur district, where Tenali is?"), as citizens name the place they know."""
    for attempt in (text, strip_kind_words(text)):
        place = town_or_temple(attempt, gazetteer) if attempt else None
        district = gazetteer.district(place.district) if place else None
        if district:
            return Answer(district.id, district.name.en, PLACE_IN_A_DISTRICT,
                          ("district_holding", {"district": district.name, "place": place.name}))
    return None

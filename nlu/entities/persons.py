"""How many people a booking is for, said in the request: "for 2 people", "three of us", "iddariki",
"ముగ్గురం", "4 tickets". Only counts of people: a bare number is not one."""
from __future__ import annotations

import re

from nlu.entities.amounts import NUMBER_WORDS

_COUNT_WORDS = sorted((w for w, n in NUMBER_WORDS.items() if n == int(n) and 1 <= n <= 12 and len(w) > 2),
                      key=len, reverse=True)
_NUMBER = r"(\d{1,2}|" + "|".join(map(re.escape, _COUNT_WORDS)) + ")"
_PEOPLE = (r"people|persons?|members|adults|passengers|travell?ers|pilgrims|devotees|tickets|seats|of us|"
           r"mandi(?:ki|mi)?|manam|వ్యక్తులు|మంది(?:కి)?|టికెట్లు")
# a count followed by who: "2 people", "three of us", "5 మంది"
_COUNT_OF_PEOPLE_RE = re.compile(rf"(?<![\w.]){_NUMBER}\s*(?:{_PEOPLE})(?!\w)")
# words that are a count of people by themselves ("iddaru", "ముగ్గురు", from NUMBER_WORDS), with the Telugu case
# endings: "iddariki", "ముగ్గురికి", "naluguram"; the stem is the word without its final vowel
_PEOPLE_WORD_VALUE = {w[:-1]: int(n) for w, n in NUMBER_WORDS.items()
                      if n >= 2 and w.endswith(("guru", "daru", "గురు", "దరు"))}
_PEOPLE_WORD_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _PEOPLE_WORD_VALUE), key=len, reverse=True))
                             + r")(?:u|am|iki|ini|ు|ం|ికి|ిని)(?!\w)")
# as typed in chat, the "-uri-" of the case forms often becomes "-iri-": "muggiriki", "naluginiki" (for four)
_SPOKEN_STEM_VALUE = {w[:-4]: int(n) for w, n in NUMBER_WORDS.items() if n >= 3 and w.endswith("guru")}
_SPOKEN_WORD_RE = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _SPOKEN_STEM_VALUE), key=len, reverse=True))
                             + r")gi(?:riki|rini|niki)(?!\w)")


def persons_matches(folded: str):
    """(start, end, count) for each count of people in lowercased text."""
    for m in _COUNT_OF_PEOPLE_RE.finditer(folded):
        said = m.group(1)
        yield m.start(), m.end(), int(said) if said.isdigit() else int(NUMBER_WORDS[said])
    for m in _PEOPLE_WORD_RE.finditer(folded):
        yield m.start(), m.end(), _PEOPLE_WORD_VALUE[m.group(1)]
    for m in _SPOKEN_WORD_RE.finditer(folded):
        yield m.start(), m.end(), _SPOKEN_STEM_VALUE[m.group(1)]

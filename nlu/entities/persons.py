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
# words that are a count of people by themselves, with the Telugu case endings: "iddaru", "ముగ్గురికి", "naluguram"
_PEOPLE_WORD_RE = re.compile(r"(?<!\w)(iddar|muggur|nalugur|naalugur|aidugur|ayidugur|aarugur|arugur|edugur|"
                             r"ఇద్దర|ముగ్గుర|నలుగుర|ఐదుగుర|అయిదుగుర|ఆరుగుర|ఏడుగుర)(?:u|am|iki|ini|ు|ం|ికి|ిని)(?!\w)")
_PEOPLE_WORD_VALUE = {"iddar": 2, "muggur": 3, "nalugur": 4, "naalugur": 4, "aidugur": 5, "ayidugur": 5, "aarugur": 6,
                      "arugur": 6, "edugur": 7, "ఇద్దర": 2, "ముగ్గుర": 3, "నలుగుర": 4, "ఐదుగుర": 5, "అయిదుగుర": 5,
                      "ఆరుగుర": 6, "ఏడుగుర": 7}


def persons_matches(folded: str):
    """(start, end, count) for each count of people in lowercased text."""
    for m in _COUNT_OF_PEOPLE_RE.finditer(folded):
        said = m.group(1)
        yield m.start(), m.end(), int(said) if said.isdigit() else int(NUMBER_WORDS[said])
    for m in _PEOPLE_WORD_RE.finditer(folded):
        yield m.start(), m.end(), _PEOPLE_WORD_VALUE[m.group(1)]

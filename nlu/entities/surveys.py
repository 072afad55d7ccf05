"""Land survey numbers: "survey no 123/4A", "సర్వే నం. 45-2", or a bare "123/4A" as an answer."""
from __future__ import annotations

import re

from nlu.entities.text import fold
from nlu.normalize import normalize

_SURVEY_RE = re.compile(
    r"(?<![a-z])(?:survey|sy|s\.?\s?y|సర్వే|సర్వె)\.?\s*(?:no|nos|number|num|nr|నంబర్|నంబరు|నెం|నం)?\.?\s*[:.#]?\s*"
    r"(\d{1,5}(?:\s?[/-]\s?\d{1,4}[a-z]?)*(?:[a-z](?![a-z]))?)(?![\d/])"
)


def survey_matches(folded: str):
    for m in _SURVEY_RE.finditer(folded):
        yield m.start(), m.end(), re.sub(r"\s", "", m[1]).upper()


def parse_survey_number(s: str) -> str | None:
    folded = fold(normalize(s or ""))
    found = list(survey_matches(folded))
    if found:
        return found[0][2]
    bare = re.fullmatch(r"\s*(\d{1,5}(?:[/-]\d{1,4}[a-z]?)*[a-z]?)\s*", folded)
    return bare[1].upper() if bare else None

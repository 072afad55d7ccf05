"""Free text (a description, an address) and land survey numbers."""
from __future__ import annotations

import re

from nlu.answers.types import Answer, Unclear
from nlu.entities import parse_survey_number

# "I told you, Uppada": said to the clerk, not part of the answer the record keeps
_TOLD_ALREADY = re.compile(
    r"^(?:i\s+(?:already\s+)?told\s+(?:you|u)(?:\s+(?:already|before))?|as\s+i\s+said|"
    r"(?:nenu\s+)?(?:mundhe|munde|already)\s+(?:cheppanu|chepanu|chepa|cheppa)(?:\s+(?:kada|ga|kadha))?|"
    r"(?:cheppanu|chepanu)\s+(?:kada|ga|kadha)|(?:నేను\s+)?ముందే\s+చెప్పాను(?:\s+కదా)?|చెప్పాను\s+కదా)"
    r"\s*[,.:!-]?\s+(?=\S)", re.IGNORECASE)


def parse_text(text: str) -> Answer | Unclear:
    text = _TOLD_ALREADY.sub("", " ".join((text or "").split()))
    return Answer(text, text) if 2 <= len(text) <= 500 else Unclear("invalid_text")


def parse_survey(text: str) -> Answer | Unclear:
    survey = parse_survey_number(text)
    return Answer(survey, survey) if survey else Unclear("invalid_survey_number")

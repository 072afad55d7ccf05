"""Free text (a description, an address) and land survey numbers."""
from __future__ import annotations

from nlu.answers.types import Answer, Unclear
from nlu.entities import parse_survey_number


def parse_text(text: str) -> Answer | Unclear:
    text = " ".join((text or "").split())
    return Answer(text, text) if 2 <= len(text) <= 500 else Unclear("invalid_text")


def parse_survey(text: str) -> Answer | Unclear:
    survey = parse_survey_number(text)
    return Answer(survey, survey) if survey else Unclear("invalid_survey_number")

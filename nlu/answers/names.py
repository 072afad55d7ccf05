"""A person's name: "my name is …", "నా పేరు …", "naa peru … andi" removed; Telugu script kept as written.
When the message carries more (an Aadhaar number, a district), the name is the part that looks like one."""
from __future__ import annotations

import re

from nlu.answers.types import Answer, Unclear

_INTRO = re.compile(
    r"^\s*(?:my\s+name\s+is|my\s+name|name\s*(?:is|:|-)?|i\s+am|i'm|this\s+is|it\s+is|its|it's|"
    r"naa\s+peru|na\s+peru|naa\s+pery|peru|నా\s*పేరు|పేరు|నేను)\s*[:,\-]?\s*",
    re.IGNORECASE,
)
_OUTRO = re.compile(r"\s*(?:ani|anI|అని|andi|అండి|garu|గారు|please|pls)\s*[.!]*\s*$", re.IGNORECASE)
_NOT_NAME = re.compile(r"[\d@#$%^&*_=+<>{}\[\]|\\/~`]")
_PARTS = re.compile(r"[,;\n]|\s+(?:and|mariyu|మరియు)\s+")


def clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    for _ in range(2):
        name = _INTRO.sub("", name)
        name = _OUTRO.sub("", name)
    return name.strip(" .,:-")


def _acceptable(name: str) -> bool:
    return 2 <= len(name) <= 100 and not _NOT_NAME.search(name) and any(ch.isalpha() for ch in name)


def parse_name(text: str) -> Answer | Unclear:
    whole = clean_name(text)
    if _acceptable(whole):
        return Answer(whole, whole)
    # "Ramu Kondapalli, aadhaar 4991 1866 5246, Guntur district": the first part that is a name.
    for part in _PARTS.split(text or ""):
        name = clean_name(part)
        if _acceptable(name):
            return Answer(name, name, confidence=0.9)
    return Unclear("invalid_name")

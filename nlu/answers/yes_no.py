"""Yes and no as people say them, in English, Telugu script and romanized Telugu."""
from __future__ import annotations

import re

YES = frozenset(
    """yes y yeah yea yep yup ok okay okey k sure correct right exactly absolutely fine done confirm confirmed
    proceed submit
    avunu avnu aunu avunandi avunu andi sare sari saree sarey sare andi ha haa haan han ji correctu
    అవును ఔను అవునండి సరే సరి హా ఓకే కరెక్ట్ సమర్పించండి 👍 👌 ✅""".split()  # noqa: SIM905
)
NO = frozenset(
    """no n nope nah nay wrong incorrect not no thanks kadu kaadu kaadhu kadhu ledu ledhu vaddu voddu
    vaddhu oddu kaadandi vaddandi కాదు వద్దు లేదు కాదండి వద్దండి తప్పు""".split()  # noqa: SIM905
)
_EDGE = re.compile(r"^[\s.!?,;:*'\"]+|[\s.!?,;:*'\"]+$")
_EMOJI_MARKS = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F]")  # skin tones and the emoji presentation mark


def without_emoji_marks(text: str) -> str:
    """"👍🏽" is "👍": skin tones and the presentation mark do not change what an emoji says."""
    return _EMOJI_MARKS.sub("", text)


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither ("yes it is", "అవును సరే" count)."""
    words = _EDGE.sub("", without_emoji_marks((text or "").casefold())).replace(",", " ").split()
    if not words:
        return None
    said_yes = any(w in YES for w in words)
    said_no = any(w in NO for w in words)
    if said_yes == said_no:
        return None
    return said_yes

"""What an identifier format is: how it cleans what a citizen typed, checks it, shows it and masks it."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

# Words people put in front of a number: "USC 1234...", "no. 123", "నం. 123", "number: 123".
_LEADING_WORDS = (
    "number", "numbr", "num", "no", "nr", "nu", "sankhya", "nambar", "nambaru", "nembar",
    "నంబర్", "నంబరు", "నెంబర్", "నెంబరు", "నం", "నెం", "సంఖ్య", "is", "my", "our",
    # "my", "our", "this is" in romanized Telugu ("na number idi ...") and Telugu script
    "naa", "na", "maa", "ma", "idi", "నా", "మా", "ఇది",
)
_SEPARATORS = " \t\n-_.:#,;'\"()[]"


@dataclass(frozen=True)
class Wording:
    """A short text in English and Telugu script."""

    en: str
    te: str

    def get(self, language: str) -> str:
        return self.te if language.startswith("te") else self.en


class FormatError(ValueError):
    """The answer is not a valid identifier of this kind; the reasons say what one looks like."""

    def __init__(self, reason_en: str, reason_te: str):
        super().__init__(reason_en)
        self.reason_en = reason_en
        self.reason_te = reason_te

    def reason(self, language: str) -> str:
        return self.reason_te if language.startswith("te") else self.reason_en


@dataclass(frozen=True)
class Parsed:
    value: str  # what is stored and sent to the department
    display: str  # how the citizen sees it (grouped like the document prints it)


def ascii_digits(text: str) -> str:
    """Telugu ౦–౯ and every other Unicode decimal digit to 0–9."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdigit() and not ch.isascii() and unicodedata.decimal(ch, None) is not None
        else ch
        for ch in text
    )


def mask_last(value: str, keep: int = 4) -> str:
    """Every letter and digit but the last `keep` becomes X; spacing is kept."""
    total = sum(ch.isalnum() for ch in value)
    seen, out = 0, []
    for ch in value:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > total - keep else "X")
        else:
            out.append(ch)
    return "".join(out)


def _leading(words: tuple[str, ...], glued: bool) -> re.Pattern:
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    # A format's own cue may touch the number ("USC1234..."); a generic word needs a gap ("no.123", "no 123").
    after = r"(?![a-z\u0c00-\u0c7f])" if glued else r"(?:[\s.:#\-()/]+|$)"
    return re.compile(rf"^(?:{alternatives}){after}[\s.:#\-()/]*", re.IGNORECASE)


_GENERIC = _leading(_LEADING_WORDS, glued=False)


def _strip_words(text: str, cues: tuple[str, ...], glued: bool = True) -> str:
    """Drop the words a citizen wrote before the number ("my USC no. 123" -> "123")."""
    own = _leading(cues, glued=glued) if cues else None
    previous = None
    text = text.strip(_SEPARATORS)
    while previous != text:
        previous = text
        if own is not None:
            text = own.sub("", text).strip(_SEPARATORS)
        text = _GENERIC.sub("", text).strip(_SEPARATORS)
    return text


def without_names(text: str, names: tuple[str, ...]) -> str:
    """Drop the words that name the detail, written before it ("LLR number is AP026..." -> "AP026..."); each
    must stand apart from the number, which may begin with the same letters."""
    return _strip_words(text, names, glued=False)


@dataclass(frozen=True)
class IdentifierFormat:
    """One kind of identifier (electricity USC, rice card, FIR...).

    `pattern` is matched in full against the compact form: upper case, Telugu digits as 0–9, cue words and
    separators removed (except the characters in `keep`). `value` and `display` build the stored and the shown
    text from that match; `valid` adds a check a pattern cannot express (a checksum).
    """

    name: str
    label: Wording
    example: str
    rule: Wording  # the refusal reason: what a valid one looks like
    pattern: re.Pattern
    personal: bool = False
    cues: tuple[str, ...] = ()
    keep: str = ""
    value: Callable[[re.Match], str] = field(default=lambda m: m.group(0))
    display: Callable[[re.Match], str] | None = None
    valid: Callable[[str], bool] | None = None
    masker: Callable[[str], str] = mask_last

    def normalize(self, text: str) -> str:
        """The compact upper-case form of what was typed, before it is checked."""
        cleaned = _strip_words(ascii_digits(text or ""), self.cues)
        dropped = "".join(ch for ch in _SEPARATORS if ch not in self.keep)
        compact = "".join(ch for ch in cleaned if ch not in dropped)
        return compact.upper()

    def check(self, text: str) -> Parsed:
        """The identifier in `text`, or FormatError with a reason the citizen understands."""
        compact = self.normalize(text)
        match = self.pattern.fullmatch(compact)
        if match is None or (self.valid is not None and not self.valid(compact)):
            raise FormatError(self.rule.en, self.rule.te)
        value = self.value(match)
        shown = self.display(match) if self.display else value
        return Parsed(value=value, display=shown)

    def mask(self, value: str) -> str:
        """What may be shown in logs and summaries: personal numbers keep only their last digits."""
        if not value:
            return value
        return self.masker(value) if self.personal else value

    def owner(self, value: str) -> IdentifierFormat:
        """The format a stored value is of: this one (an either-format answers with the option that took it)."""
        return self

    def accepts(self, text: str) -> bool:
        try:
            self.check(text)
        except FormatError:
            return False
        return True

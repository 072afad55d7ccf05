"""Clean up what citizens type before anything tries to understand it.

`clean_input` guards the door (empty, binary, huge messages); `normalize` folds away the differences that
carry no meaning (invisible characters, Indic digits, "pleeeease", case, spacing).
"""
from __future__ import annotations

import re
import unicodedata

MAX_TEXT_CHARS = 4096

# How far back from the cut we look for a space, so a truncated message does not end mid-word.
_WORD_BOUNDARY_WINDOW = 200
# Below this share of printable characters a message is treated as binary garbage.
_MIN_PRINTABLE_SHARE = 0.85

_WHITESPACE_RE = re.compile(r"\s+")
# Letters (and Indic vowel signs) repeated three or more times: "pleeeease", "kaaavali", "ాాా".
_ELONGATION_RE = re.compile(r"([^\W\d_]|[\u0900-\u0DFF])\1{2,}")
_REPEATED_PUNCT_RE = re.compile(r"([!?.,;:\-_*~'\"`])\1+")
# Three dots are an ellipsis in the middle of a sentence; they carry no meaning either.
_ELLIPSIS_RE = re.compile(r"\u2026")


class TextError(ValueError):
    """The message cannot be read as text; the message says why in plain words."""


def _is_invisible(char: str) -> bool:
    """Zero-width joiners, soft hyphens, BOMs, bidi marks, variation selectors and control characters."""
    if char in "\t\n\r":
        return False
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return True
    return "\ufe00" <= char <= "\ufe0f"


def _remove_invisible(text: str) -> str:
    return "".join(char for char in text if not _is_invisible(char))


def ascii_digits(text: str) -> str:
    """Telugu ౦-౯, Devanagari, Arabic-Indic and every other Unicode decimal digit to 0-9."""
    out = []
    for char in text:
        if char.isdigit() and not char.isascii():
            value = unicodedata.decimal(char, None)
            out.append(str(value) if value is not None else char)
        else:
            out.append(char)
    return "".join(out)


def _lower_latin(text: str) -> str:
    # str.lower() is safe here: Telugu has no case and the few letters whose lowercase is longer
    # (Turkish dotted I) only appear in names we would not match anyway.
    return text.lower()


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text).strip()


def normalize(text: str) -> str:
    """One canonical form of a citizen's message, used for matching and classification.

    NFC, invisible characters removed, all decimal digits ASCII, letters repeated 3+ times kept once,
    repeated punctuation kept once, whitespace collapsed, Latin lowercased. Idempotent.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _remove_invisible(text)
    text = _ELLIPSIS_RE.sub(".", text)
    text = ascii_digits(text)
    text = _ELONGATION_RE.sub(r"\1", text)
    text = _REPEATED_PUNCT_RE.sub(r"\1", text)
    text = _lower_latin(text)
    return collapse_whitespace(unicodedata.normalize("NFC", text))


def _decode(raw: str | bytes) -> str:
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, (bytes, bytearray)):
        raise TextError(f"expected text, got {type(raw).__name__}")
    try:
        return bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextError(
            f"the message is not readable text (invalid UTF-8 at byte {exc.start}); please type your message again"
        ) from exc


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    # Zero-width joiners and other format characters are harmless: they are dropped, not counted.
    visible = [char for char in text if not char.isspace() and unicodedata.category(char) != "Cf"]
    if not visible:
        return False
    printable = sum(1 for char in visible if char.isprintable() and not _is_invisible(char))
    return printable / len(visible) < _MIN_PRINTABLE_SHARE


def truncate_at_word(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Cut `text` to at most `limit` characters, at the last space before the limit when there is one."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - _WORD_BOUNDARY_WINDOW)
    if space > 0:
        return cut[:space].rstrip()
    # No space nearby (one long word): never leave a dangling vowel sign or virama.
    while cut and unicodedata.category(cut[-1]) in ("Mn", "Mc"):
        cut = cut[:-1]
    return cut


def clean_input(raw: str | bytes) -> str:
    """Check a raw incoming message and return it readable: NFC, invisible characters gone, spacing collapsed,
    at most MAX_TEXT_CHARS characters. Case and digits are kept (names, addresses); use `normalize` to match.

    Raises TextError for empty messages and binary garbage.
    """
    text = _decode(raw)
    # Only a bounded prefix matters: this keeps a 100 KB message as cheap as a 5 KB one.
    head = text[: MAX_TEXT_CHARS * 2]
    if _looks_binary(head[:MAX_TEXT_CHARS]):
        raise TextError("the message looks like binary data, not text; please type your message again")
    head = unicodedata.normalize("NFC", head)
    head = collapse_whitespace(_remove_invisible(head))
    if not head:
        raise TextError("the message is empty; please type what you need")
    return truncate_at_word(head)

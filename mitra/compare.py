"""Constant-time comparison of secrets that arrive as text from the outside world."""
from __future__ import annotations

import hmac


def same_secret(given: str | bytes, expected: str | bytes) -> bool:
    """True when equal, in time independent of where they differ.

    `hmac.compare_digest` refuses str with non-ASCII characters (TypeError); a forged token, header or
    query parameter may carry any character, so both sides are compared as UTF-8 bytes.
    """
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")

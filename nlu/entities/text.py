"""What every extractor shares: the folded text they search and the characters already claimed."""
from __future__ import annotations

from nlu.normalize import ascii_digits


def fold(text: str) -> str:
    """Lowercase and ASCII digits, one character for one character, so match positions stay valid."""
    out = []
    for char in ascii_digits(text):
        lower = char.lower()
        out.append(lower if len(lower) == 1 else char)
    return "".join(out)


class Claimed:
    """Which characters an entity already covers (a mask keeps long messages linear, not quadratic)."""

    def __init__(self, length: int):
        self.mask = bytearray(length)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.mask[start:end])

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)

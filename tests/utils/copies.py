"""The copy check: is a test message (nearly) a text the router trains on?

Everything the router is built from counts: the catalog's examples, synonyms and names, the meta intents and
out-of-scope sentences (nlu/data/meta_intents.yaml) and the analysts' labels. A message is a copy when, after
nlu.normalize, it equals a training text, contains a whole training text of three words or more (or is contained
in one), or is similar to one by rapidfuzz ratio or token-set ratio.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.normalize import normalize

SIMILAR_RATIO = 88
SIMILAR_TOKEN_SET = 92
CONTAINED_MIN_WORDS = 3
SHARE_OF_WORDS = 0.5


@dataclass(frozen=True)
class Copy:
    message: str
    training_text: str
    why: str  # "equal", "contains", "contained", "ratio NN", "token-set NN"


def training_texts(catalog, analysts_labels=()) -> list[str]:
    """The normalized texts the router trains on (nlu.router.default_examples) plus the given analysts' labels."""
    from nlu.router import default_examples

    return sorted({normalize(e.text) for e in default_examples(catalog, analysts_labels)} - {""})


def copies(messages: list[str], training: list[str]) -> list[Copy]:
    """Every message that copies, contains or nearly copies a training text (one finding per message)."""
    found: dict[str, Copy] = {}
    known = set(training)
    inside_training = _long_enough_parts(training)
    normalized = [normalize(m) for m in messages]
    for message, norm in zip(messages, normalized):
        if norm in known:
            found[message] = Copy(message, norm, "equal")
            continue
        overlaps = [part for part in _long_enough_parts([norm]) if part in known] + inside_training.get(norm, [])
        if overlaps:
            overlap = min(overlaps)
            found[message] = Copy(message, overlap, "contains" if len(overlap) < len(norm) else "contained")
    for scorer, cutoff, name in ((fuzz.ratio, SIMILAR_RATIO, "ratio"),
                                 (fuzz.token_set_ratio, SIMILAR_TOKEN_SET, "token-set")):
        scores = process.cdist(normalized, training, scorer=scorer, score_cutoff=cutoff, workers=-1)
        for i, j in zip(*scores.nonzero()):
            if messages[i] not in found and _meaningful(normalized[i], training[j], name):
                found[messages[i]] = Copy(messages[i], training[j], f"{name} {int(scores[i, j])}")
    return [found[m] for m in messages if m in found]


def _long_enough_parts(texts: list[str]) -> dict[str, list[str]]:
    """Each run of whole words in a text that is three words or more and at least half of the text, mapped to
    the texts holding it: one text "contains most" of another when the other is one of its runs."""
    parts: dict[str, list[str]] = {}
    for text in texts:
        words = text.split()
        shortest = max(CONTAINED_MIN_WORDS, math.ceil(SHARE_OF_WORDS * len(words)))
        for size in range(shortest, len(words) + 1):
            for start in range(len(words) - size + 1):
                parts.setdefault(" ".join(words[start:start + size]), []).append(text)
    return parts


def _meaningful(message: str, training: str, scorer: str) -> bool:
    if scorer != "token-set":
        return True
    shorter, longer = sorted((len(message.split()), len(training.split())))
    return shorter >= CONTAINED_MIN_WORDS and shorter >= SHARE_OF_WORDS * longer

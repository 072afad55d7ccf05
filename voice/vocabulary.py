"""The catalog's own words, given to the recognizer as a prompt so that it writes them when it hears them.

Whisper continues the text it is shown before the audio (faster-whisper's `initial_prompt` / `hotwords`,
openai-whisper's `prompt`, transformers' `prompt_ids`: all the same tokens after <|startofprev|>). A list
of the catalog's names makes "adangal", "Aarogyasri" and "Annadata Sukhibhava" likely spellings instead of
"angle" and "and data suck in". The prompt has room for about 220 tokens, far fewer than the catalog's
names, so terms are chosen by kind; which kinds go in was chosen by measurement (bench/voice_bench.py
`bias`, figures in docs/benchmarks.md). Built at run time from whatever catalog is loaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from catalog.schema import TELUGU_RE

# Whisper's prompt may hold at most half its 448-token context, less one for <|startofprev|>.
MAX_PROMPT_TOKENS = 223
# A word the recognizer splits into this many pieces or more is one it does not know: worth prompting.
UNFAMILIAR_PIECES = 3
KINDS = ("unfamiliar", "unfamiliar_places", "services", "synonyms", "places", "romanized")
# What goes in when the prompt is switched on (MITRA_ASR_CATALOG_PROMPT): chosen on the tuning half of the bench
# (docs/benchmarks.md, "Recognition biased to the catalog"). Telugu speech gets none: generic Whisper writes it
# in other scripts, and no Telugu prompt was measured to help (a Telugu fine-tuned model may differ).
DEFAULT_KINDS = {"en": ("unfamiliar",), "te": ()}
DEFAULT_PROMPT_TOKENS = 60
LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
PHRASE_BREAK_RE = re.compile(r"[()/,.;:!?]")


@dataclass(frozen=True)
class Vocabulary:
    """Terms per language ("en", "te"), most important first, and which kinds each language's prompt takes."""

    terms: dict[str, dict[str, tuple[str, ...]]]  # language -> kind -> terms
    kinds: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    # prompt length in tokens: a long prompt costs decoding time and, as a comma list, makes Whisper answer
    # with lists of names (measured, docs/benchmarks.md)
    budget: int = DEFAULT_PROMPT_TOKENS

    def chosen(self, language: str) -> list[str]:
        picked: dict[str, None] = {}
        for kind in self.kinds.get(language, ()):
            # "en:unfamiliar" takes another language's terms (Latin-script scheme names for Telugu speech)
            source, _, name = kind.rpartition(":")
            picked.update(dict.fromkeys(self.terms.get(source or language, {}).get(name, ())))
        return list(picked)

    def with_kinds(self, kinds: dict[str, tuple[str, ...]], budget: int | None = None) -> Vocabulary:
        return Vocabulary(self.terms, dict(kinds), budget or self.budget)


def _script_ok(text: str, language: str) -> bool:
    telugu = bool(TELUGU_RE.search(text))
    return telugu if language == "te" else not telugu and bool(LATIN_WORD_RE.search(text))


def catalog_vocabulary(catalog, kinds: dict[str, tuple[str, ...]] | None = None,
                       budget: int = DEFAULT_PROMPT_TOKENS) -> Vocabulary:
    """Service names and synonyms, districts, towns and temples, in each language's script."""
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    gazetteer = catalog.gazetteer
    places = [*gazetteer.districts, *gazetteer.temples, *gazetteer.towns]
    for language in ("en", "te"):
        services = [getattr(s.name, language) for s in catalog.services.values()]
        synonyms = [t for s in catalog.services.values() for t in getattr(s.synonyms, language)]
        place_names = [getattr(p.name, language) for p in places] + [a for p in places for a in p.aliases]
        terms[language] = {
            "services": _unique(t for t in services if _script_ok(t, language)),
            "places": _unique(_short_place(t) for t in place_names if _script_ok(t, language)),
            "synonyms": _unique(t for t in synonyms if _script_ok(t, language)),
        }
    # romanized Telugu ("caste certificate kavali"): how generic Whisper may spell Telugu speech in Latin letters
    terms["te"]["romanized"] = _unique(t for s in catalog.services.values() for t in s.synonyms.te_latn)
    return Vocabulary(terms, dict(kinds if kinds is not None else DEFAULT_KINDS), min(budget, MAX_PROMPT_TOKENS))


def with_unfamiliar(vocabulary: Vocabulary, pieces) -> Vocabulary:
    """Add the "unfamiliar" kinds: the runs of words in English names and synonyms ("unfamiliar") and in place
    names ("unfamiliar_places") that `pieces(word)`
    (the recognizer's tokenizer) splits into UNFAMILIAR_PIECES or more, i.e. the words it would otherwise hear
    as something else ("adangal", "Annadata Sukhibhava"); the most widely used first."""
    terms = {}
    for language, kinds in vocabulary.terms.items():
        found = {}
        if language == "en":
            found["unfamiliar"] = _rank_runs([*kinds.get("services", ()), *kinds.get("synonyms", ())], pieces)
            found["unfamiliar_places"] = _rank_runs(kinds.get("places", ()), pieces)
        terms[language] = {**kinds, **found}
    return Vocabulary(terms, vocabulary.kinds, vocabulary.budget)


def _rank_runs(texts, pieces) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for text in texts:
        for run in _unfamiliar_runs(text, pieces):
            counts[run.casefold()] = counts.get(run.casefold(), 0) + 1
            spelled.setdefault(run.casefold(), run)
    return tuple(spelled[k] for k in sorted(counts, key=lambda k: -counts[k]))


def _unfamiliar_runs(text: str, pieces) -> list[str]:
    """Runs of unfamiliar words, not across brackets or commas: "Ticket (PNR) status" gives "PNR", not
    "Ticket PNR"."""
    runs = []
    for chunk in PHRASE_BREAK_RE.split(text):
        current: list[str] = []
        for word in [*chunk.split(), ""]:
            if word and LATIN_WORD_RE.fullmatch(word) and pieces(word) >= UNFAMILIAR_PIECES:
                current.append(word)
                continue
            if current:
                runs.append(" ".join(current))
            current = []
    return runs


def _short_place(name: str) -> str:
    """"Srisailam Sri Bhramaramba Mallikarjuna Swamy Temple" is a name no one says whole; the aliases carry
    the short forms, so long official names are cut to their first words."""
    return " ".join(name.split()[:3])


def _unique(items) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        item = " ".join(str(item).split())
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return tuple(seen.values())


def pack_prompt(terms: list[str], count_tokens, budget: int = MAX_PROMPT_TOKENS) -> str:
    """As many terms as fit in `budget` tokens, comma-separated (Whisper's prompt is plain text)."""
    chosen: list[str] = []
    used = 0
    for term in terms:
        cost = count_tokens(f" {term},")
        if used + cost > budget:
            continue
        chosen.append(term)
        used += cost
    return ", ".join(chosen)

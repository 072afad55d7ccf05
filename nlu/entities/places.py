"""Districts, towns and temples by any spelling, in any script, small typos forgiven."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from catalog.schema import Gazetteer, Place
from nlu.entities.text import Claimed
from nlu.translit import phonetic_key, to_latin
from nlu.types import Entity

# Words that look like place names to a fuzzy matcher but are everyday words.
_NEVER_FUZZY = frozenset(
    """kavali kaavali cheyali cheyandi ivvandi kattali undi ledu raledu pension ration current
    certificate status ticket tickets booking darshan temple district town village mandal office
    income caste birth death water bill billu amount number mobile aadhaar name address father mother
    husband paper power fodder fallen flour ammavari ammavaru ammavaari adavi kalapa marcala""".split()  # noqa: SIM905
)
# Case endings glued to Telugu words: "guntur-lo", "vijayawada-ki", "హైదరాబాద్-నుంచి", "ఆవు-కి" (as phonetic keys).
CASE_ENDINGS = ("nunci", "nundi", "loni", "lo", "ki", "ku", "ni", "ke", "nu", "ga")
_TOKEN_RE = re.compile(r"[a-z0-9\u0900-\u0d7f\u0600-\u06ff\u00c0-\u024f]+", re.IGNORECASE)
_MAX_PLACE_WORDS = 5


@dataclass(frozen=True)
class _PlaceKey:
    kind: str
    place: Place
    words: int


# In free text, names shorter than 7 key letters are matched only exactly (by phonetic key): at five or six
# letters a typo and another word look the same ("kalapa" timber, "kadapa" the town). An answer to "which
# district?" is known to be a place, so there shorter names may carry a typo too.
_FREE_TEXT_FUZZY = {"min_letters": 7, "cutoff": 85.0}
_ANSWER_FUZZY = {"min_letters": 5, "cutoff": 80.0}


class PlaceIndex:
    """Phonetic keys of every spelling of every place, for exact and fuzzy lookup."""

    def __init__(self, places_by_kind: dict[str, list[Place]]):
        self.exact: dict[str, list[_PlaceKey]] = {}
        self.romanized: dict[str, set[str]] = {}  # key -> the spellings it came from, romanized
        for kind, places in places_by_kind.items():
            for place in places:
                for spelling in place.spellings():
                    key = phonetic_key(spelling)
                    if not key:
                        continue
                    joined = key.replace(" ", "")
                    entry = _PlaceKey(kind, place, len(key.split()))
                    entries = self.exact.setdefault(joined, [])
                    if entry not in entries:
                        entries.append(entry)
                    self.romanized.setdefault(joined, set()).add(_romanized(spelling))
        self.longest_key = max(map(len, self.exact), default=0)
        # Fuzzy candidates share the first letter: it keeps the search small and "kadapa" away from "adoni".
        self.keys_by_initial: dict[str, list[str]] = {}
        for key in self.exact:
            self.keys_by_initial.setdefault(key[0], []).append(key)

    def lookup(self, joined: str, words: int, fuzzy: bool, romanized: str = "",
               min_letters: int = 7, cutoff: float = 85.0) -> tuple[list[_PlaceKey], float]:
        for candidate in [joined, *case_ending_stems(joined)]:
            if candidate in self.exact:
                return [e for e in self.exact[candidate] if abs(e.words - words) <= 1], 100.0
        if not fuzzy or len(joined) < min_letters:
            return [], 0.0
        choices = self.keys_by_initial.get(joined[0], [])
        best = process.extractOne(joined, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if choices else None
        if best is None:
            return [], 0.0
        key, score, _ = best
        # Folding makes different words meet ("father" and "paderu" are one letter apart as keys), so the
        # spelling itself must be close as well.
        spelled = max(fuzz.ratio(romanized or joined, r) for r in self.romanized[key])
        if spelled < cutoff - 5:
            return [], 0.0
        return [e for e in self.exact[key] if e.words == words], min(score, spelled)


def _romanized(text: str) -> str:
    return re.sub(r"[^a-z]", "", to_latin(text).lower())


def case_ending_stems(word: str, shortest: int = 4) -> list[str]:
    """What is left of a romanized word when a Telugu case ending is dropped, the likeliest first:
    "gunturulo" -> ["gunturu", "guntur"] ("gunturu" + "lo", and the Telugu "u" dropped again); none for a word
    without one. A stem is at least `shortest` letters."""
    stems = []
    for suffix in CASE_ENDINGS:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            stem = word[: -len(suffix)]
            stems.append(stem)
            if stem.endswith("u") and len(stem) > 4:
                stems.append(stem[:-1])
    return stems


_INDEXES: dict[int, tuple[object, PlaceIndex]] = {}
_MAX_INDEXES = 32  # gazetteers and place lists seen; the real ones are loaded once per process


def _index_for(owner: object, places_by_kind: dict[str, list[Place]]) -> PlaceIndex:
    cached = _INDEXES.get(id(owner))
    if cached is None or cached[0] is not owner:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        cached = (owner, PlaceIndex(places_by_kind))  # keeping owner alive keeps id() unique
        _INDEXES[id(owner)] = cached
    return cached[1]


@dataclass
class _PlaceHit:
    kind: str
    place: Place
    start: int
    end: int
    score: float
    words: int


@dataclass
class _Token:
    start: int
    end: int
    key: str  # phonetic key without spaces
    romanized: str
    common: bool  # an everyday word that must not be fuzzy-matched to a place


def _tokens(text: str, blocked: Claimed | None) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        if blocked and blocked.overlaps(m.start(), m.end()):
            continue
        word = m.group(0)
        key = phonetic_key(word).replace(" ", "")
        romanized = _romanized(word)
        common = key in _NEVER_FUZZY or romanized in _NEVER_FUZZY or word.lower() in _NEVER_FUZZY
        tokens.append(_Token(m.start(), m.end(), key, romanized, common))
    return tokens


def _place_hits(text: str, index: PlaceIndex, blocked: Claimed | None = None) -> list[_PlaceHit]:
    # An n-gram's phonetic key is its words' keys joined, so each word is folded once, not once per n-gram.
    tokens = _tokens(text, blocked)
    hits = []
    for i, first in enumerate(tokens):
        joined = romanized = ""
        common = False
        for n in range(1, _MAX_PLACE_WORDS + 1):
            if i + n > len(tokens):
                break
            last = tokens[i + n - 1]
            if n > 1 and _gap_breaks(text, tokens[i + n - 2].end, last.start):
                break
            joined, romanized, common = joined + last.key, romanized + last.romanized, common or last.common
            if len(joined) > index.longest_key + 4:
                break
            if not last.key or n > 1 and (len(last.key) <= 2 or last.key in CASE_ENDINGS):
                continue  # "tirupati ki": the case ending is matched with its word, not as one more word
            entries, score = index.lookup(joined, n, not common, romanized, **_FREE_TEXT_FUZZY)
            for entry in entries:
                hits.append(_PlaceHit(entry.kind, entry.place, first.start, last.end, score, n))
    return hits


def _gap_breaks(text: str, left: int, right: int) -> bool:
    """Only spaces, dots and hyphens may sit between the words of one place name."""
    return right - left > 3 or bool(re.search(r"[^\s.\-]", text[left:right]))


def _choose_places(hits: list[_PlaceHit], length: int) -> list[_PlaceHit]:
    """Per kind, keep the best non-overlapping hits: exact before fuzzy, longer before shorter."""
    chosen: list[_PlaceHit] = []
    taken: dict[str, Claimed] = {}
    # Exact hits: the longest wins ("east godavari" over "godavari"); fuzzy ones: the closest wins.
    for hit in sorted(hits, key=lambda h: (h.score < 100, -h.score, -(h.end - h.start), h.start)):
        claimed = taken.setdefault(hit.kind, Claimed(length))
        if not claimed.overlaps(hit.start, hit.end):
            claimed.take(hit.start, hit.end)
            chosen.append(hit)
    return chosen


def match_place(s: str, places: list[Place]) -> Place | None:
    """The place `s` names (any script, small typos forgiven, extra words like "district" ignored)."""
    if not s or not places:
        return None
    text = s.strip()
    index = _index_for(places, {"place": places})
    whole = phonetic_key(text).replace(" ", "")
    if whole:
        entries, _ = index.lookup(whole, len(phonetic_key(text).split()), True, _romanized(text), **_ANSWER_FUZZY)
        if entries:
            return entries[0].place
    hits = _choose_places(_place_hits(text, index), len(text))
    return max(hits, key=lambda h: (h.score, h.end - h.start)).place if hits else None


def district_for(s: str, gazetteer: Gazetteer) -> Place | None:
    """The district a citizen means, also when they name its town or temple ("rajahmundry" -> East Godavari)."""
    place = match_place(s, gazetteer.districts)
    if place:
        return place
    found = town_or_temple(s, gazetteer)
    return gazetteer.district(found.district) if found else None


def town_or_temple(s: str, gazetteer: Gazetteer) -> Place | None:
    """A town or temple named in `s` that the gazetteer places in a district ("rajahmundry", "Simhachalam")."""
    found = match_place(s, gazetteer.towns) or match_place(s, gazetteer.temples)
    return found if found and found.district else None


def _gazetteer_index(gazetteer: Gazetteer) -> PlaceIndex:
    return _index_for(gazetteer, {"district": gazetteer.districts, "town": gazetteer.towns,
                                  "temple": gazetteer.temples})


def place_entities(text: str, gazetteer: Gazetteer, claimed: Claimed) -> list[Entity]:
    index = _gazetteer_index(gazetteer)
    hits = _choose_places(_place_hits(text, index, claimed), len(text))
    hits = [h for h in hits if not _kind_said_otherwise(text, h) and _meant_as_place(text, h)]
    return [Entity(h.kind, h.place.id, text[h.start:h.end], h.start, h.end) for h in _merge_adjacent(text, hits)]


# "Guntur district" names the district only, "Guntur town" the town only (the name is both)
_KIND_WORDS = {"district": ("town", "city", "pattanam", "nagaram", "పట్టణం", "నగరం"),
               "town": ("district", "dist", "jilla", "zilla", "జిల్లా")}


def _meant_as_place(text: str, hit: _PlaceHit) -> bool:
    """A town named like an everyday word counts in passing only with a case ending of place: glued on
    ("కావలిలో", in Kavali) or as the next word ("kavali lo"); "కావాలి" (I need) is not the town."""
    if not hit.place.everyday_word:
        return True
    said = phonetic_key(text[hit.start:hit.end]).replace(" ", "")
    names = {phonetic_key(s).replace(" ", "") for s in hit.place.spellings()}
    after = text[hit.end:].split(maxsplit=1)
    return (any(said == name + ending for name in names for ending in CASE_ENDINGS)
            or bool(after) and phonetic_key(after[0].strip(".,;:!?")).replace(" ", "") in _ENDINGS_OF_PLACE)


_ENDINGS_OF_PLACE = ("lo", "loni", "nunci", "nundi")  # in, from; not "ki" ("peddanna ki", to elder brother)


def _kind_said_otherwise(text: str, hit: _PlaceHit) -> bool:
    after = text[hit.end:].split(maxsplit=1)
    return bool(after) and after[0].strip(".,;:!?").casefold() in _KIND_WORDS.get(hit.kind, ())


def _merge_adjacent(text: str, hits: list[_PlaceHit]) -> list[_PlaceHit]:
    """"simhachalam simhadri appanna": two spellings of one place side by side are one mention."""
    merged: list[_PlaceHit] = []
    for hit in sorted(hits, key=lambda h: (h.kind, h.start)):
        last = merged[-1] if merged else None
        if last and last.kind == hit.kind and last.place.id == hit.place.id and not text[last.end:hit.start].strip():
            last.end = max(last.end, hit.end)
        else:
            merged.append(hit)
    return merged


# A place a recognizer wrote as it heard it ("in Gunter", "from Vijaywada"): capitalized after a word that
# introduces a place, matched as loosely as an answer to a place's question is
_HEARD_PLACE_RE = re.compile(r"\b(?:in|at|from|near|to)\s+([A-Z][a-z]{4,})\b")


def places_heard(text: str, gazetteer: Gazetteer, found: list[Entity]) -> list[Entity]:
    """Places in a voice note's transcript that `place_entities` leaves to an exact spelling, of kinds not in
    `found` yet."""
    index, have = _gazetteer_index(gazetteer), {e.type for e in found}
    heard = []
    for m in _HEARD_PLACE_RE.finditer(text):
        word = m.group(1)
        entries, _ = index.lookup(phonetic_key(word).replace(" ", ""), 1, True, _romanized(word), **_ANSWER_FUZZY)
        places = {(e.kind, e.place.id) for e in entries if e.kind not in have}
        heard += [Entity(kind, place_id, word, m.start(1), m.end(1)) for kind, place_id in sorted(places)]
    return heard

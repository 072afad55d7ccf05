"""Repeated messages are answered from the router's cache, keyed on the normalized text and model version."""
from nlu.route_cache import Ranking, RankingCache
from nlu.router import Router


def _fresh(router, size=4):
    return Router(router.model, router.catalog, router.store, cache_size=size)


def test_repeated_message_is_served_from_the_cache_with_the_same_answer(router):
    fresh = _fresh(router)
    first = fresh.route("caste certificate kavali")
    again = fresh.route("  Caste certificate KAVALI ")
    assert (fresh.cache.misses, fresh.cache.hits) == (1, 1)
    assert again.service_id == first.service_id == "revenue.caste_certificate"
    assert again.confidence == first.confidence
    assert [a.intent for a in again.alternatives] == [a.intent for a in first.alternatives]
    assert again.text == "Caste certificate KAVALI"  # the citizen's own words, not the cached message's


def test_a_batch_with_repeats_encodes_each_text_once_and_keeps_the_order(router):
    fresh = _fresh(router)
    results = fresh.route_many(["hi", "menu", "hi", "current bill kattali"])
    assert [r.intent for r in results] == ["greet", "menu", "greet", "energy.pay_electricity_bill"]
    assert len(fresh.cache) == 3


def test_cache_forgets_the_least_recently_used_text_beyond_its_size():
    cache = RankingCache(size=2)
    ranking = Ranking(fused=None, order=None, confidence=0.9, in_scope_similarity=0.8)
    cache.put("v1", "hi", ranking)
    cache.put("v1", "menu", ranking)
    assert cache.get("v1", "hi") is ranking  # "hi" is now the most recent
    cache.put("v1", "caste certificate", ranking)
    assert cache.get("v1", "menu") is None
    assert cache.get("v1", "hi") is ranking
    assert cache.get("v2", "hi") is None  # another model version never sees v1's answers


def test_a_new_model_version_is_not_answered_from_the_old_versions_cache(router):
    fresh = _fresh(router)
    fresh.route("hi")
    fresh.cache.put(router.version + "-old", "menu", fresh.cache.get(router.version, "hi"))
    assert fresh.route("menu").intent == "menu"

"""Look-alike services (issue 16): found from the trained model, resolved by the citizen's words, by the place
they name or gave earlier, or by one question listing just them; never by a guess."""
from __future__ import annotations

import pytest

URBAN, RURAL = "municipal.building_permission", "panchayat_raj.building_permission"


@pytest.fixture(scope="module")
def look_alikes(router):
    return router.look_alikes()


def test_the_model_finds_the_urban_rural_and_community_look_alikes(look_alikes):
    pairs = set(look_alikes.pairs())
    assert tuple(sorted((URBAN, RURAL))) in pairs
    assert ("municipal.water_tap_connection", "rural_water.new_tap_connection") in pairs
    assert any({"social_welfare.sc_hostel_admission", "bc_welfare.bc_hostel_admission"} == set(p) for p in pairs)
    assert all("." in a and "." in b for a, b in pairs)  # services only: no meta intent or out of scope
    assert len(pairs) < 0.5 * len({s for p in pairs for s in p}) ** 2  # a relation, not everything


def test_words_that_only_one_side_uses_tell_them_apart(look_alikes):
    assert {"vilage", "pancayat"} & look_alikes.cues(RURAL, URBAN)
    assert not look_alikes.cues(RURAL, URBAN) & look_alikes.cues(URBAN, RURAL)


@pytest.mark.parametrize("text", ["I need building permission for my house", "illu kattadaniki permission kavali",
                                  "ఇల్లు కట్టడానికి అనుమతి కావాలి"])
def test_a_request_that_fits_both_is_asked_not_guessed(router, text):
    result = router.route(text)
    assert result.decision == "clarify"
    assert set(result.look_alikes) == {URBAN, RURAL} and result.service_id in (URBAN, RURAL)


def test_a_named_town_or_the_words_decide(router):
    in_town = router.route("building permission for my house in Vijayawada")
    assert (in_town.decision, in_town.service_id, in_town.look_alikes) == ("route", URBAN, [])
    in_village = router.route("building permission for my house in our village panchayat")
    assert in_village.service_id == RURAL and not in_village.look_alikes


GENERAL, SPECIFIC = "revenue.income_certificate", "revenue.agricultural_income_certificate"


def test_a_service_named_with_a_qualifier_is_the_specific_case(look_alikes):
    assert SPECIFIC in look_alikes.specific[GENERAL]
    assert not look_alikes.specific.get(URBAN, frozenset()) & {RURAL}  # two departments: a place, not a qualifier


@pytest.mark.parametrize("text", ["I need an income certificate", "ఆదాయ ధృవీకరణ పత్రం కావాలి"])
def test_the_general_case_is_not_asked_about_the_specific_one(router, text):
    """A farmer who needs the agricultural income certificate says so; "income certificate" alone is the other."""
    result = router.route(text)
    assert (result.decision, result.service_id, result.look_alikes) == ("route", GENERAL, [])


def test_the_specific_case_is_taken_by_its_words(router):
    result = router.route("income certificate for my agricultural land")
    assert (result.service_id, result.look_alikes) == (SPECIFIC, [])


TOWN_TAX, VILLAGE_TAX = "municipal.property_tax", "panchayat_raj.house_tax"


def test_the_catalog_declares_look_alikes_the_model_may_not_pair(look_alikes, catalog):
    assert TOWN_TAX in catalog.services[VILLAGE_TAX].look_alikes
    assert VILLAGE_TAX in look_alikes.partners[TOWN_TAX] and TOWN_TAX in look_alikes.partners[VILLAGE_TAX]
    assert VILLAGE_TAX in look_alikes.near([TOWN_TAX, "revenue.income_certificate"])  # ranked low or not at all


@pytest.mark.parametrize("text", ["house tax kattali", "ఇంటి పన్ను కట్టాలి", "I want to pay house tax"])
def test_house_tax_is_asked_town_or_village(router, text):
    result = router.route(text)
    assert result.decision == "clarify" and set(result.look_alikes) == {TOWN_TAX, VILLAGE_TAX}, result


@pytest.mark.parametrize(("text", "service"), [("house tax for my house in Guntur", TOWN_TAX),
                                               ("panchayat house tax kattali", VILLAGE_TAX),
                                               ("house tax kattali maa ooru lo", VILLAGE_TAX),
                                               ("nagaram lo inti pannu kattali", TOWN_TAX),
                                               ("aasthi pannu kattali municipality ki", TOWN_TAX)])
def test_house_tax_is_settled_by_the_place_or_the_words(router, text, service):
    result = router.route(text)
    assert (result.service_id, result.look_alikes) == (service, []), result


STREET_LIGHT, VILLAGE_COMPLAINT = "municipal.street_light_complaint", "panchayat_raj.village_complaint"


@pytest.mark.parametrize("text", ["maa veedhilo light veladam ledu", "మా వీధిలో దీపం వెలగడం లేదు"])
def test_an_everyday_word_does_not_settle_a_declared_pair(router, text):
    # "veedhilo" (in our street) occurs only in the town's texts, but a village has streets too
    result = router.route(text)
    assert result.decision == "clarify" and set(result.look_alikes) >= {STREET_LIGHT, VILLAGE_COMPLAINT}, result


@pytest.mark.parametrize(("text", "service"), [("maa veedhilo light veladam ledu, maa ooru lo", VILLAGE_COMPLAINT),
                                               ("మా పట్టణంలో వీధిలో దీపం వెలగడం లేదు", STREET_LIGHT)])
def test_a_declared_pair_is_settled_by_the_place(router, text, service):
    result = router.route(text)
    assert (result.service_id, result.look_alikes) == (service, []), result

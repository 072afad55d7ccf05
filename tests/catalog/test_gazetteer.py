import pytest

from catalog.loader import load_gazetteer
from catalog.schema import TELUGU_RE

AP_DISTRICTS = {
    "Srikakulam", "Parvathipuram Manyam", "Vizianagaram", "Visakhapatnam", "Alluri Sitharama Raju", "Anakapalli",
    "Kakinada", "East Godavari", "Dr. B.R. Ambedkar Konaseema", "Eluru", "West Godavari", "NTR", "Krishna",
    "Palnadu", "Guntur", "Bapatla", "Prakasam", "Sri Potti Sriramulu Nellore", "Kurnool", "Nandyal",
    "Ananthapuramu", "Sri Sathya Sai", "YSR Kadapa", "Annamayya", "Tirupati", "Chittoor",
}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_all_26_districts_of_andhra_pradesh(gazetteer):
    assert len(gazetteer.districts) == 26
    assert {d.name.en for d in gazetteer.districts} == AP_DISTRICTS
    assert all(d.district is None for d in gazetteer.districts)


def test_enough_towns_and_temples(gazetteer):
    assert len(gazetteer.towns) >= 40
    assert len(gazetteer.temples) >= 15


@pytest.mark.parametrize("kind", ["districts", "towns", "temples"])
def test_ids_unique_within_each_kind(gazetteer, kind):
    ids = [p.id for p in getattr(gazetteer, kind)]
    assert len(ids) == len(set(ids))


def test_district_references_are_valid(gazetteer):
    district_ids = {d.id for d in gazetteer.districts}
    for place in [*gazetteer.towns, *gazetteer.temples]:
        assert place.district is None or place.district in district_ids, place.id
    # only towns outside Andhra Pradesh have no district; every temple here is in the state
    assert all(t.district for t in gazetteer.temples)
    outside = {t.id for t in gazetteer.towns if t.district is None}
    assert outside >= {"hyderabad", "chennai", "bengaluru"}
    assert outside <= {"hyderabad", "chennai", "bengaluru", "secunderabad"}


def test_every_telugu_name_is_telugu_script(gazetteer):
    for place in [*gazetteer.districts, *gazetteer.towns, *gazetteer.temples]:
        letters = [c for c in place.name.te if c.isalpha()]
        assert letters and all(TELUGU_RE.match(c) for c in letters), place.name.te


@pytest.mark.parametrize(
    "kind, place_id, district",
    [
        ("towns", "rajamahendravaram", "east_godavari"),
        ("towns", "vijayawada", "ntr"),
        ("towns", "srisailam", "nandyal"),
        ("towns", "puttaparthi", "sri_sathya_sai"),
        ("temples", "tirumala_venkateswara", "tirupati"),
        ("temples", "kanaka_durga", "ntr"),
        ("temples", "simhachalam", "visakhapatnam"),
    ],
)
def test_known_places_sit_in_the_right_district(gazetteer, kind, place_id, district):
    place = next(p for p in getattr(gazetteer, kind) if p.id == place_id)
    assert place.district == district


def test_common_old_names_are_aliases(gazetteer):
    spellings = {s.lower() for d in gazetteer.districts for s in d.spellings()}
    assert {"vizag", "vishakapatnam", "anantapur", "kadapa", "cuddapah", "nellore"} <= spellings
    towns = {s.lower(): t.id for t in gazetteer.towns for s in t.spellings()}
    assert towns["rajahmundry"] == "rajamahendravaram"
    assert towns["bezawada"] == "vijayawada"


def test_no_spelling_names_two_places_of_one_kind(gazetteer):
    for kind in ("districts", "towns", "temples"):
        seen: dict[str, str] = {}
        for place in getattr(gazetteer, kind):
            for spelling in {s.lower() for s in place.spellings()}:
                assert seen.setdefault(spelling, place.id) == place.id, (kind, spelling)

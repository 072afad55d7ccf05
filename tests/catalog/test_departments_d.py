"""Quality checks for the department files of catalog set D (menus 23-37).

Each file is loaded on its own with the real loader, so a broken file elsewhere does not hide a problem here;
cross-file references are checked against the whole catalog.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalog.loader import SERVICES_DIR, _load_department_file
from catalog.schema import FieldType, Outcome

# id -> (code, menu number, fewest services)
DEPARTMENTS_D = {
    "women_child": ("WCD", 23, 4),
    "labour": ("LAB", 24, 3),
    "housing": ("HSG", 25, 3),
    "water_resources": ("WRD", 26, 3),
    "rural_water": ("RWS", 27, 3),
    "forest": ("FOR", 28, 3),
    "industries": ("IND", 29, 3),
    "skill_development": ("SKL", 30, 3),
    "fisheries": ("FSH", 31, 3),
    "animal_husbandry": ("AHD", 32, 3),
    "tourism": ("TOU", 33, 3),
    "commercial_taxes": ("CTD", 34, 3),
    "youth_sports": ("YTH", 35, 3),
    "fire": ("FIR", 36, 3),
    "gsws": ("GSW", 37, 3),
}


def _load(department_id: str):
    return _load_department_file(Path(SERVICES_DIR) / f"{department_id}.yaml")


@pytest.fixture(scope="module")
def files_d():
    return {dept: _load(dept) for dept in DEPARTMENTS_D}


@pytest.fixture(scope="module")
def services_d(files_d):
    return [s for parsed in files_d.values() for s in parsed.services]


@pytest.mark.parametrize("department_id", sorted(DEPARTMENTS_D))
def test_department_header_and_menu_paths(files_d, department_id):
    code, menu, fewest = DEPARTMENTS_D[department_id]
    parsed = files_d[department_id]
    assert (parsed.department.id, parsed.department.code, parsed.department.menu_number) == (
        department_id, code, menu)
    paths = [tuple(s.menu_path) for s in parsed.services]
    assert paths == [(menu, n) for n in range(1, len(paths) + 1)], "menu paths must run 1, 2, 3... in file order"
    assert len(paths) >= fewest


def test_examples_cover_each_language_and_are_unique(services_d):
    seen: Counter[str] = Counter()
    for service in services_d:
        tags = Counter(e.lang for e in service.examples)
        assert 10 <= len(service.examples) <= 12, service.id
        assert min(tags[lang] for lang in ("en", "te", "te-latn")) >= 3, (service.id, dict(tags))
        seen.update(e.text.strip().lower() for e in service.examples)
    repeated = [text for text, count in seen.items() if count > 1]
    assert not repeated, f"examples used twice (they would teach two intents the same words): {repeated}"


def test_synonyms_in_every_script(services_d):
    for service in services_d:
        assert len(service.synonyms.en) >= 2 and len(service.synonyms.te) >= 2, service.id
        assert len(service.synonyms.te_latn) >= 2, service.id


def test_fields_are_what_a_workflow_can_collect(services_d):
    for service in services_d:
        assert 1 <= len(service.fields) <= 7, service.id
        if service.outcome == Outcome.status:
            assert any(f.type == FieldType.identifier for f in service.fields), (
                f"{service.id}: a status lookup needs a reference number field")
        for field in service.fields:
            if field.name in ("date_of_birth", "incident_date", "achievement_date"):
                assert field.date_range == "past", (service.id, field.name)
            if field.name in ("travel_date", "check_in_date", "visit_date", "booking_date", "appointment_date"):
                assert field.date_range == "future", (service.id, field.name)


def test_related_services_exist_in_the_whole_catalog(services_d, catalog):
    for service in services_d:
        for ref in service.related:
            assert ref in catalog.services, f"{service.id}: related {ref!r} is not in the catalog"
            assert ref != service.id


def test_catalog_doc_lists_every_service(services_d):
    doc = (Path(SERVICES_DIR).parent.parent / "docs" / "catalog.md").read_text(encoding="utf-8")
    for service in services_d:
        assert f"{service.id} — {service.name.en}" in doc, service.id

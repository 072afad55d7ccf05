"""Quality checks for the department files of catalog set C (menus 12-22).

Each file is loaded on its own with the real loader, so a broken file elsewhere does not hide a problem here;
references and distinctness are checked against the whole catalog.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalog.loader import SERVICES_DIR, _load_department_file
from catalog.schema import TELUGU_RE, FieldType, Outcome

# id -> (code, menu number, fewest services)
DEPARTMENTS_C = {
    "agriculture": ("AGR", 12, 5),
    "registration": ("REG", 13, 5),
    "health": ("HLT", 14, 5),
    "transport": ("TRN", 15, 5),
    "panchayat_raj": ("PRD", 16, 5),
    "anna_canteens": ("ANC", 17, 3),
    "cmrf": ("CMR", 18, 3),
    "social_welfare": ("SWD", 19, 4),
    "bc_welfare": ("BCW", 20, 4),
    "tribal_welfare": ("TWD", 21, 3),
    "minority_welfare": ("MWD", 22, 3),
}

# ids other packages and the phase-one menus rely on (docs: /work/shared/core_services.tsv)
REQUIRED_IDS = {
    "agriculture.farmer_benefit_status": "రైతు పథకం చెల్లింపు స్థితి",
    "registration.encumbrance_certificate": "ఎన్‌కంబరెన్స్ సర్టిఫికేట్",
    "registration.marriage_certificate": "వివాహ ధృవీకరణ పత్రం",
}

# services a citizen could easily mix up: each pair must not share a synonym
LOOKALIKES = [
    ("agriculture.crop_insurance_claim", "agriculture.crop_loss_compensation"),
    ("health.aarogyasri_card", "health.health_card_status"),
    ("transport.dl_renewal", "transport.duplicate_dl"),
    ("transport.rc_status", "transport.rc_transfer"),
    ("panchayat_raj.job_card", "panchayat_raj.wage_status"),
    ("cmrf.apply_assistance", "cmrf.application_status"),
    ("cmrf.apply_assistance", "cmrf.letter_of_credit"),
    ("social_welfare.sc_hostel_admission", "bc_welfare.bc_hostel_admission"),
    ("social_welfare.sc_post_matric_scholarship", "bc_welfare.bc_scholarship"),
    ("bc_welfare.bc_scholarship", "minority_welfare.minority_scholarship"),
    ("social_welfare.sc_self_employment_loan", "tribal_welfare.tribal_corporation_loan"),
    ("panchayat_raj.house_tax", "municipal.property_tax"),
    ("panchayat_raj.building_permission", "municipal.building_permission"),
]


@pytest.fixture(scope="module")
def files_c():
    return {dept: _load_department_file(Path(SERVICES_DIR) / f"{dept}.yaml") for dept in DEPARTMENTS_C}


@pytest.fixture(scope="module")
def services_c(files_c):
    return [s for parsed in files_c.values() for s in parsed.services]


@pytest.mark.parametrize("department_id", sorted(DEPARTMENTS_C))
def test_department_header_and_menu_paths(files_c, department_id):
    code, menu, fewest = DEPARTMENTS_C[department_id]
    parsed = files_c[department_id]
    assert (parsed.department.id, parsed.department.code, parsed.department.menu_number) == (
        department_id, code, menu)
    paths = [tuple(s.menu_path) for s in parsed.services]
    assert paths == [(menu, n) for n in range(1, len(paths) + 1)], "menu paths must run 1, 2, 3... in file order"
    assert len(paths) >= fewest


def test_required_ids_carry_the_shared_telugu_names(services_c):
    by_id = {s.id: s for s in services_c}
    for service_id, name_te in REQUIRED_IDS.items():
        assert service_id in by_id, f"{service_id} is missing"
        assert by_id[service_id].name.te == name_te


def test_examples_cover_each_language(services_c):
    for service in services_c:
        tags = Counter(e.lang for e in service.examples)
        assert 10 <= len(service.examples) <= 12, service.id
        assert min(tags[lang] for lang in ("en", "te", "te-latn")) >= 3, (service.id, dict(tags))


def test_examples_are_not_shared_with_any_other_service(services_c, catalog):
    owner: dict[str, set[str]] = {}
    for service in catalog.services.values():
        for example in service.examples:
            owner.setdefault(example.text.strip().lower(), set()).add(service.id)
    clashes = {e.text: sorted(owner[e.text.strip().lower()]) for s in services_c for e in s.examples
               if len(owner[e.text.strip().lower()]) > 1}
    assert not clashes, f"examples used by two services (they would teach two intents the same words): {clashes}"


def test_synonyms_in_every_script_and_not_borrowed_from_other_departments(services_c, catalog):
    departments_of: dict[str, set[str]] = {}
    for service in catalog.services.values():
        for synonym in service.synonyms.all():
            departments_of.setdefault(synonym.strip().lower(), set()).add(service.department)
    for service in services_c:
        assert min(len(service.synonyms.en), len(service.synonyms.te), len(service.synonyms.te_latn)) >= 3, service.id
        assert all(TELUGU_RE.search(s) for s in service.synonyms.te), service.id
        assert not any(TELUGU_RE.search(s) for s in service.synonyms.te_latn + service.synonyms.en), service.id
        for synonym in service.synonyms.all():
            assert departments_of[synonym.strip().lower()] == {service.department}, (
                f"{service.id}: synonym {synonym!r} is also used by {departments_of[synonym.strip().lower()]}")


@pytest.mark.parametrize("first,second", LOOKALIKES)
def test_lookalike_services_share_no_synonym(catalog, first, second):
    words_of = {sid: {w.strip().lower() for w in catalog.services[sid].synonyms.all()} for sid in (first, second)}
    assert not words_of[first] & words_of[second]


def test_fields_are_what_a_workflow_can_collect(services_c):
    for service in services_c:
        assert 1 <= len(service.fields) <= 7, service.id
        if service.outcome == Outcome.status:
            assert any(f.type == FieldType.identifier for f in service.fields), (
                f"{service.id}: a status lookup needs a reference number field")
        for field in service.fields:
            if field.name.endswith("date_of_birth") or field.name in ("incident_date", "damage_date", "sale_date",
                                                                        "marriage_date", "meal_date"):
                assert field.date_range == "past", (service.id, field.name)
            if field.name in ("visit_date", "slot_date", "test_date", "donation_date"):
                assert field.date_range == "future", (service.id, field.name)
            if field.type == FieldType.number:
                assert field.min is not None and field.max is not None, (service.id, field.name)


def test_paid_services_and_outcomes_make_sense(services_c):
    for service in services_c:
        if service.outcome in (Outcome.status, Outcome.information, Outcome.grievance_ticket):
            assert service.fee == 0, f"{service.id}: a lookup or complaint must be free"
        if service.outcome == Outcome.application:
            assert service.documents, f"{service.id}: an application must say which documents to bring"


def test_related_services_exist_in_the_whole_catalog(services_c, catalog):
    for service in services_c:
        for ref in service.related:
            assert ref in catalog.services, f"{service.id}: related {ref!r} is not in the catalog"
            assert ref != service.id


def test_catalog_doc_lists_every_service(services_c):
    doc = (Path(SERVICES_DIR).parent.parent / "docs" / "catalog.md").read_text(encoding="utf-8")
    for service in services_c:
        assert f"{service.id} — {service.name.en}" in doc, service.id

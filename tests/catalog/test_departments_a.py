"""Quality checks for the department files of catalog set A (core, grievance, revenue, municipal, energy).

Each file is loaded on its own with the real loader, so a broken file elsewhere does not hide a problem here;
cross-file references are checked against the whole catalog.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from catalog.loader import SERVICES_DIR, CatalogError, _load_department_file
from catalog.schema import TELUGU_RE, FieldType, Outcome

# id -> (code, menu number, fewest services)
DEPARTMENTS_A = {
    "core": ("GEN", 1, 3),
    "grievance": ("GRV", 2, 4),
    "revenue": ("REV", 3, 12),
    "municipal": ("MUN", 4, 10),
    "energy": ("ENE", 5, 6),
}

# Ids other packages rely on, with the names from shared/core_services.tsv.
CORE_IDS_A = {
    "revenue.caste_certificate": ("Caste certificate", "కుల ధృవీకరణ పత్రం"),
    "revenue.income_certificate": ("Income certificate", "ఆదాయ ధృవీకరణ పత్రం"),
    "revenue.residence_certificate": ("Residence certificate", "నివాస ధృవీకరణ పత్రం"),
    "revenue.ews_certificate": ("EWS certificate", "ఈడబ్ల్యూఎస్ ధృవీకరణ పత్రం"),
    "revenue.family_member_certificate": ("Family member certificate", "కుటుంబ సభ్యుల ధృవీకరణ పత్రం"),
    "revenue.integrated_certificate": ("Integrated certificate", "సమీకృత ధృవీకరణ పత్రం"),
    "revenue.land_adangal": ("Adangal (pahani) land record copy", "అడంగల్ / పహాణీ"),
    "revenue.land_1b": ("ROR 1-B land record copy", "1-బి రికార్డు"),
    "revenue.land_mutation": ("Land mutation (change of pattadar name)", "భూమి మ్యుటేషన్"),
    "municipal.property_tax": ("Pay property tax", "ఆస్తి పన్ను చెల్లింపు"),
    "municipal.water_tax": ("Pay water tax", "నీటి పన్ను చెల్లింపు"),
    "municipal.trade_license": ("Trade license", "ట్రేడ్ లైసెన్స్"),
    "municipal.birth_certificate": ("Birth certificate", "జనన ధృవీకరణ పత్రం"),
    "municipal.death_certificate": ("Death certificate", "మరణ ధృవీకరణ పత్రం"),
    "energy.pay_electricity_bill": ("Pay electricity bill", "కరెంటు బిల్లు చెల్లింపు"),
    "energy.new_connection": ("New electricity connection", "కొత్త విద్యుత్ కనెక్షన్"),
    "energy.power_complaint": ("Power supply complaint", "విద్యుత్ సరఫరా ఫిర్యాదు"),
    "grievance.register": ("Register a grievance", "ఫిర్యాదు నమోదు"),
    "grievance.status": ("Grievance status", "ఫిర్యాదు స్థితి"),
    "core.application_status": ("Status of an application", "దరఖాస్తు స్థితి"),
    "core.download_certificate": ("Download an issued certificate", "ధృవీకరణ పత్రం డౌన్‌లోడ్"),
    "core.verify_certificate": ("Verify a certificate's QR code", "ధృవీకరణ పత్రం తనిఖీ"),
}

# Leave-one-out accuracy of a character n-gram baseline on these examples was 0.76 when they were written;
# a drop below this floor means examples were copied between services or lost their distinctive words.
SEPARABILITY_FLOOR = 0.70


@pytest.fixture(scope="module")
def files_a():
    return {dept: _load_department_file(Path(SERVICES_DIR) / f"{dept}.yaml") for dept in DEPARTMENTS_A}


@pytest.fixture(scope="module")
def services_a(files_a):
    return [s for parsed in files_a.values() for s in parsed.services]


@pytest.mark.parametrize("department_id", sorted(DEPARTMENTS_A))
def test_department_header_and_menu_paths(files_a, department_id):
    code, menu, fewest = DEPARTMENTS_A[department_id]
    parsed = files_a[department_id]
    assert (parsed.department.id, parsed.department.code, parsed.department.menu_number) == (
        department_id, code, menu)
    paths = [tuple(s.menu_path) for s in parsed.services]
    assert paths == [(menu, n) for n in range(1, len(paths) + 1)], "menu paths must run 1, 2, 3... in file order"
    assert len(paths) >= fewest


def test_core_department_has_exactly_the_generic_services(files_a):
    ids = [s.id for s in files_a["core"].services]
    assert ids == ["core.application_status", "core.download_certificate", "core.verify_certificate"]


def test_shared_ids_exist_with_their_shared_names(services_a):
    by_id = {s.id: s for s in services_a}
    for service_id, (name_en, name_te) in CORE_IDS_A.items():
        assert service_id in by_id, f"{service_id} is missing"
        assert (by_id[service_id].name.en, by_id[service_id].name.te) == (name_en, name_te), service_id
    assert tuple(by_id["revenue.caste_certificate"].menu_path) == (3, 1)


def test_examples_cover_each_language_and_are_unique(services_a):
    seen: Counter[str] = Counter()
    for service in services_a:
        tags = Counter(e.lang for e in service.examples)
        assert 10 <= len(service.examples) <= 12, service.id
        assert min(tags[lang] for lang in ("en", "te", "te-latn")) >= 3, (service.id, dict(tags))
        seen.update(e.text.strip().lower() for e in service.examples)
    repeated = [text for text, count in seen.items() if count > 1]
    assert not repeated, f"examples used twice (they would teach two intents the same words): {repeated}"


def test_synonyms_in_every_script(services_a):
    for service in services_a:
        syn = service.synonyms
        assert min(len(syn.en), len(syn.te), len(syn.te_latn)) >= 3, service.id
        assert all(TELUGU_RE.search(s) for s in syn.te), service.id
        assert not any(TELUGU_RE.search(s) for s in [*syn.en, *syn.te_latn]), service.id


def test_fields_are_what_a_workflow_can_collect(services_a):
    for service in services_a:
        assert 1 <= len(service.fields) <= 7, service.id
        for field in service.fields:
            if field.name.startswith(("date_of_birth", "date_of_death")):
                assert field.type == FieldType.date and field.date_range == "past", (service.id, field.name)
            if field.type in (FieldType.amount, FieldType.number):
                assert field.min is not None and field.min >= 0, (service.id, field.name)


def test_status_lookups_ask_for_a_reference(services_a):
    for service in services_a:
        if service.outcome == Outcome.status:
            first = service.fields[0]
            assert first.type == FieldType.identifier and first.required, service.id


def test_applications_point_to_the_status_lookup(services_a):
    for service in services_a:
        if service.outcome == Outcome.application:
            assert "core.application_status" in service.related, service.id
            assert service.sla_days > 0, service.id
        if service.outcome == Outcome.grievance_ticket:
            assert service.sla_days > 0, service.id


def test_payments_and_lookups_are_free_and_immediate(services_a):
    for service in services_a:
        if service.outcome in (Outcome.payment_receipt, Outcome.status):
            assert service.fee == 0 and service.sla_days == 0, service.id


def test_related_ids_exist_in_the_whole_catalog(services_a, catalog):
    for service in services_a:
        assert service.id not in service.related, service.id
        for ref in service.related:
            assert ref in catalog.services, (service.id, ref)


def _leave_one_out_accuracy(services) -> tuple[float, list[tuple[str, str, str]]]:
    """Each example is matched to the nearest service built from all other examples, names and synonyms."""
    ids = [s.id for s in services]
    names = {s.id: [s.name.en, s.name.te, *s.synonyms.all()] for s in services}
    examples = [(s.id, e.text.lower()) for s in services for e in s.examples]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vectorizer.fit([t for _, t in examples] + [n.lower() for ns in names.values() for n in ns])
    vectors = normalize(vectorizer.transform([t for _, t in examples]).toarray())
    totals = {i: vectorizer.transform([n.lower() for n in names[i]]).toarray().sum(0) for i in ids}
    for (service_id, _), vector in zip(examples, vectors):
        totals[service_id] = totals[service_id] + vector
    matrix = np.vstack([totals[i] for i in ids])
    correct, confusions = 0, []
    for (service_id, text), vector in zip(examples, vectors):
        held_out = matrix.copy()
        held_out[ids.index(service_id)] -= vector
        guess = ids[int((normalize(held_out) @ vector).argmax())]
        correct += guess == service_id
        if guess != service_id:
            confusions.append((service_id, text, guess))
    return correct / len(examples), confusions


def test_examples_keep_similar_services_apart(services_a):
    accuracy, confusions = _leave_one_out_accuracy(services_a)
    assert accuracy >= SEPARABILITY_FLOOR, f"accuracy {accuracy:.3f}; confusions: {confusions[:20]}"


def test_a_badly_quoted_file_is_reported_with_its_service(tmp_path):
    text = (Path(SERVICES_DIR) / "energy.yaml").read_text(encoding="utf-8")
    broken = text.replace('{en: "Stopped", te: "ఆగిపోయింది"}', "{en: Stopped, later, te: ఆగిపోయింది}")
    assert broken != text
    path = tmp_path / "energy.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"energy\.yaml: service energy\.meter_complaint"):
        _load_department_file(path)

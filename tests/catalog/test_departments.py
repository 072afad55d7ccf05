"""Quality checks for every department file in catalog/services/, whichever departments the catalog has.

Each file is loaded on its own with the real loader, so a broken file elsewhere does not hide a problem here;
references, uniqueness and separability are checked against the whole catalog. A new department file is
checked by adding it: nothing here lists the departments.
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

DEPARTMENT_FILES = sorted(Path(SERVICES_DIR).glob("*.yaml"))
CATALOG_DOC = Path(SERVICES_DIR).parent.parent / "docs" / "catalog.md"
FEWEST_SERVICES = 3  # fewer belongs in another department's menu

# Ids other packages and the phase-one menus rely on, with the names from shared/core_services.tsv.
SHARED_NAMES = {
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
    "apsrtc.book_ticket": ("Book a bus ticket", "బస్ టికెట్ బుకింగ్"),
    "apsrtc.cancel_ticket": ("Cancel a bus ticket", "బస్ టికెట్ రద్దు"),
    "endowments.darshan_booking": ("Temple darshan ticket booking", "దర్శనం టికెట్ బుకింగ్"),
    "endowments.accommodation_booking": ("Temple accommodation booking", "ఆలయ వసతి గదుల బుకింగ్"),
    "endowments.donation": ("Donation to a temple (e-hundi)", "ఆలయానికి విరాళం"),
    "civil_supplies.rice_card_new": ("New rice card", "కొత్త బియ్యం కార్డు"),
    "civil_supplies.rice_card_member_addition": ("Add a member to a rice card", "బియ్యం కార్డులో సభ్యుని చేర్పు"),
    "welfare.pension_status": ("Pension status", "పింఛను స్థితి"),
    "education.exam_results": ("Exam results", "పరీక్ష ఫలితాలు"),
    "education.scholarship_status": ("Scholarship status", "ఉపకార వేతనం స్థితి"),
    "police.fir_status": ("FIR status", "ఎఫ్ఐఆర్ స్థితి"),
    "police.echallan_payment": ("Pay a traffic e-challan", "ఈ-చలాన్ చెల్లింపు"),
}
SHARED_TELUGU_NAMES = {
    "agriculture.farmer_benefit_status": "రైతు పథకం చెల్లింపు స్థితి",
    "registration.encumbrance_certificate": "ఎన్‌కంబరెన్స్ సర్టిఫికేట్",
    "registration.marriage_certificate": "వివాహ ధృవీకరణ పత్రం",
}

# Services a citizen easily mixes up: the examples of each must sit nearer their own service than the other.
LOOK_ALIKE_EXAMPLES = [
    ("apsrtc.book_ticket", "apsrtc.cancel_ticket"),
    ("apsrtc.cancel_ticket", "apsrtc.ticket_status"),
    ("endowments.donation", "endowments.annadanam_donation"),
    ("endowments.darshan_booking", "endowments.seva_booking"),
    ("civil_supplies.rice_card_new", "civil_supplies.rice_card_member_addition"),
    ("civil_supplies.rice_card_member_addition", "civil_supplies.rice_card_member_deletion"),
    ("civil_supplies.ration_entitlement", "civil_supplies.fps_complaint"),
    ("welfare.pension_status", "welfare.old_age_pension"),
    ("welfare.widow_pension", "welfare.single_women_pension"),
    ("education.exam_results", "education.duplicate_marks_memo"),
    ("police.fir_status", "police.e_petition"),
    ("police.lost_report", "apsrtc.lost_luggage"),
]
# ... and these must not share a synonym either.
LOOK_ALIKE_SYNONYMS = [
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

# Leave-one-out accuracy of a character n-gram baseline among a department's services: 0.76-0.83 for the first
# department sets when their examples were written; a drop below this floor means examples were copied between
# services or lost their distinctive words.
SEPARABILITY_FLOOR = 0.70

# A date a citizen can only give in one direction: when it was, or when it will be.
PAST_DATES = {"date_of_birth", "member_date_of_birth", "husband_date_of_death", "date_of_death", "journey_date",
              "lost_date", "incident_date", "damage_date", "sale_date", "marriage_date", "meal_date",
              "achievement_date"}
FUTURE_DATES = {"travel_date", "darshan_date", "seva_date", "check_in_date", "event_date", "annadanam_date",
                "visit_date", "slot_date", "test_date", "donation_date", "booking_date", "appointment_date"}


@pytest.fixture(scope="module")
def files():
    return {path.stem: _load_department_file(path) for path in DEPARTMENT_FILES}


def test_there_are_department_files():
    assert len(DEPARTMENT_FILES) >= 2, SERVICES_DIR


def test_department_codes_and_menu_numbers_are_unique(files):
    codes = Counter(parsed.department.code for parsed in files.values())
    menus = Counter(parsed.department.menu_number for parsed in files.values())
    assert [c for c, n in codes.items() if n > 1] == [] and [m for m, n in menus.items() if n > 1] == []
    assert sorted(menus) == list(range(1, len(menus) + 1)), "menu numbers must run 1, 2, 3... without gaps"


@pytest.mark.parametrize("path", DEPARTMENT_FILES, ids=lambda p: p.stem)
def test_department(path, files, catalog):
    parsed = files[path.stem]
    department = parsed.department
    assert department.id == path.stem and len(department.code) == 3 and department.code.isupper()
    paths = [tuple(s.menu_path) for s in parsed.services]
    assert paths == [(department.menu_number, n) for n in range(1, len(paths) + 1)], \
        "menu paths must run 1, 2, 3... in file order"
    assert len(paths) >= FEWEST_SERVICES
    doc = CATALOG_DOC.read_text(encoding="utf-8")
    for service in parsed.services:
        assert service.id.startswith(f"{department.id}.") and service.department == department.id, service.id
        _check_examples(service)
        _check_synonyms(service)
        _check_fields(service)
        _check_outcome(service)
        assert service.id not in service.related, service.id
        assert [ref for ref in service.related if ref not in catalog.services] == [], service.id
        assert f"{service.id} — {service.name.en}" in doc, f"{service.id} is not in docs/catalog.md"


def _check_examples(service) -> None:
    tags = Counter(e.lang for e in service.examples)
    # at least 10 (issue #16); at most 20, so a service's examples stay a sample and Rasa's training stays bounded
    assert 10 <= len(service.examples) <= 20, service.id
    assert min(tags[lang] for lang in ("en", "te", "te-latn")) >= 3, (service.id, dict(tags))


def _check_synonyms(service) -> None:
    syn = service.synonyms
    assert min(len(syn.en), len(syn.te), len(syn.te_latn)) >= 2, service.id
    assert all(TELUGU_RE.search(s) for s in syn.te), service.id
    assert not any(TELUGU_RE.search(s) for s in [*syn.en, *syn.te_latn]), service.id


def _check_fields(service) -> None:
    assert 1 <= len(service.fields) <= 7, service.id
    for field in service.fields:
        if field.name in PAST_DATES:
            assert field.type == FieldType.date and field.date_range == "past", (service.id, field.name)
        if field.name in FUTURE_DATES:
            assert field.type == FieldType.date and field.date_range == "future", (service.id, field.name)
        if field.type in (FieldType.amount, FieldType.number):
            assert field.min is not None and field.min >= 0, (service.id, field.name)
            assert field.max is None or field.max > field.min, (service.id, field.name)


def _check_outcome(service) -> None:
    if service.outcome == Outcome.status:
        assert any(f.type in (FieldType.identifier, FieldType.aadhaar) and f.required for f in service.fields), \
            f"{service.id}: a status lookup needs a reference number field"
        assert service.sla_days == 0, service.id
    if service.outcome in (Outcome.status, Outcome.information, Outcome.grievance_ticket):
        assert service.fee == 0, f"{service.id}: a lookup or complaint must be free"
    if service.outcome in (Outcome.application, Outcome.grievance_ticket):
        assert service.sla_days > 0, f"{service.id}: an application or complaint must promise a time"
    if service.outcome in (Outcome.application, Outcome.certificate):
        assert "core.application_status" in service.related, f"{service.id}: offer the status lookup next"
    if service.outcome == Outcome.payment_receipt:
        assert service.sla_days == 0, service.id


def test_synonyms_are_not_shared_between_departments(catalog):
    """A synonym two departments use (a town and a village tap connection) cannot route to either."""
    owners: dict[str, set[str]] = {}
    for service in catalog.services.values():
        for synonym in service.synonyms.all():
            owners.setdefault(synonym.strip().lower(), set()).add(service.department)
    shared = {text: sorted(depts) for text, depts in owners.items() if len(depts) > 1}
    assert not shared, f"synonyms used by two departments: {shared}"


def test_examples_are_not_shared_between_services(catalog):
    owners: dict[str, set[str]] = {}
    for service in catalog.services.values():
        for example in service.examples:
            owners.setdefault(example.text.strip().lower(), set()).add(service.id)
    shared = {text: sorted(ids) for text, ids in owners.items() if len(ids) > 1}
    assert not shared, f"examples used by two services (they would teach both the same words): {shared}"


def test_shared_ids_exist_with_their_shared_names(catalog):
    for service_id, (name_en, name_te) in SHARED_NAMES.items():
        assert service_id in catalog.services, f"{service_id} is missing"
        assert (catalog.services[service_id].name.en, catalog.services[service_id].name.te) == (name_en, name_te)
    for service_id, name_te in SHARED_TELUGU_NAMES.items():
        assert catalog.services[service_id].name.te == name_te, service_id
    assert tuple(catalog.services["revenue.caste_certificate"].menu_path) == (3, 1)


def test_core_department_has_exactly_the_generic_services(files):
    ids = [s.id for s in files["core"].services]
    assert ids == ["core.application_status", "core.download_certificate", "core.verify_certificate"]


def test_bus_booking_collects_route_date_and_passengers(catalog):
    fields = {f.name: f for f in catalog.services["apsrtc.book_ticket"].fields}
    assert fields["from_town"].type == fields["to_town"].type == FieldType.town
    assert fields["travel_date"].date_range == "future"
    assert fields["passengers"].type == FieldType.number and fields["passengers"].min == 1


def test_every_temple_service_asks_for_the_temple_first(files):
    for service in files["endowments"].services:
        first = service.fields[0]
        assert (first.name, first.type) == ("temple", FieldType.temple), service.id


def _centroid_guesses(services) -> list[tuple[str, str, str]]:
    """(true id, example, guessed id) with each example matched to the nearest service built from all other
    examples, names and synonyms (leave-one-out, character n-grams)."""
    ids = [s.id for s in services]
    names = {s.id: [s.name.en, s.name.te, *s.synonyms.all()] for s in services}
    examples = [(s.id, e.text.lower()) for s in services for e in s.examples]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    vectorizer.fit([t for _, t in examples] + [n.lower() for ns in names.values() for n in ns])
    vectors = normalize(vectorizer.transform([t for _, t in examples])).toarray()
    totals = {i: np.asarray(vectorizer.transform([n.lower() for n in names[i]]).sum(0)).ravel() for i in ids}
    for (service_id, _), vector in zip(examples, vectors):
        totals[service_id] = totals[service_id] + vector
    matrix = np.vstack([totals[i] for i in ids])
    norms = np.linalg.norm(matrix, axis=1)
    scores = (vectors @ matrix.T) / norms  # cosine of every example with every service, itself included
    guesses = []
    for row, ((service_id, text), vector) in enumerate(zip(examples, vectors)):
        own = ids.index(service_id)
        held_out = matrix[own] - vector  # the example's own service without it
        scores[row, own] = float(vector @ held_out) / max(float(np.linalg.norm(held_out)), 1e-12)
        guesses.append((service_id, text, ids[int(scores[row].argmax())]))
    return guesses


def _departments_services(catalog, *departments: str) -> list:
    return [s for s in catalog.services.values() if s.department in departments]


@pytest.mark.parametrize("path", DEPARTMENT_FILES, ids=lambda p: p.stem)
def test_examples_keep_the_departments_services_apart(path, catalog):
    guesses = _centroid_guesses(_departments_services(catalog, path.stem))
    wrong = [g for g in guesses if g[0] != g[2]]
    assert guesses and 1 - len(wrong) / len(guesses) >= SEPARABILITY_FLOOR, f"confusions: {wrong[:20]}"


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKE_EXAMPLES)
def test_look_alike_services_stay_apart(catalog, first, second):
    departments = {catalog.services[first].department, catalog.services[second].department}
    guesses = _centroid_guesses(_departments_services(catalog, *departments))
    for service_id, other in ((first, second), (second, first)):
        own = [g for g in guesses if g[0] == service_id]
        taken = [text for sid, text, guess in own if guess == other]
        assert own and len(taken) <= len(own) // 4, f"{service_id} examples that look like {other}: {taken}"


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKE_SYNONYMS)
def test_look_alike_services_share_no_synonym(catalog, first, second):
    words_of = {sid: {w.strip().lower() for w in catalog.services[sid].synonyms.all()} for sid in (first, second)}
    assert not words_of[first] & words_of[second]


@pytest.mark.parametrize(("department", "before", "after", "message"), [
    ("energy", '{en: "Stopped", te: "ఆగిపోయింది"}', "{en: Stopped, later, te: ఆగిపోయింది}",
     r"energy\.yaml: service energy\.meter_complaint"),
    ("police", '{en: "Aadhaar, PAN, licence or other ID",', "{en: Aadhaar, PAN, licence or other ID,",
     r"police\.yaml: service police\.lost_report"),
    ("welfare", '{text: "ఈ నెల పింఛను రాలేదు", lang: te}', '{text: "ee nela pinchanu raledu", lang: te}',
     r"service welfare\.pension_status.*no Telugu script"),
])
def test_a_broken_file_is_reported_with_its_service(tmp_path, department, before, after, message):
    text = (Path(SERVICES_DIR) / f"{department}.yaml").read_text(encoding="utf-8")
    broken = text.replace(before, after)
    assert broken != text
    path = tmp_path / f"{department}.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        _load_department_file(path)

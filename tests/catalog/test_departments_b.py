"""Quality checks for the department files of catalog set B (apsrtc, endowments, civil_supplies, welfare,
education, police).

Each file is loaded on its own with the real loader, so a broken file elsewhere does not hide a problem here;
cross-file references and example uniqueness are checked against the whole catalog.
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
DEPARTMENTS_B = {
    "apsrtc": ("RTC", 6, 6),
    "endowments": ("END", 7, 5),
    "civil_supplies": ("CSD", 8, 6),
    "welfare": ("SRP", 9, 5),
    "education": ("EDU", 10, 6),
    "police": ("POL", 11, 6),
}

# Ids other packages rely on, with the names from shared/core_services.tsv.
CORE_IDS_B = {
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

# Services a citizen easily mixes up: the examples of each must sit nearer their own service than the other.
LOOK_ALIKES = [
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

# Leave-one-out accuracy of a character n-gram baseline on these examples was 0.83 when they were written;
# a drop below this floor means examples were copied between services or lost their distinctive words.
SEPARABILITY_FLOOR = 0.70

# A date a citizen can only give in one direction: when it was, or when it will be.
PAST_DATES = ("date_of_birth", "member_date_of_birth", "husband_date_of_death", "journey_date", "lost_date",
              "incident_date")
FUTURE_DATES = ("travel_date", "darshan_date", "seva_date", "check_in_date", "event_date", "annadanam_date")


@pytest.fixture(scope="module")
def files_b():
    return {dept: _load_department_file(Path(SERVICES_DIR) / f"{dept}.yaml") for dept in DEPARTMENTS_B}


@pytest.fixture(scope="module")
def services_b(files_b):
    return {s.id: s for parsed in files_b.values() for s in parsed.services}


@pytest.mark.parametrize("department_id", sorted(DEPARTMENTS_B))
def test_department_header_and_menu_paths(files_b, department_id):
    code, menu, fewest = DEPARTMENTS_B[department_id]
    parsed = files_b[department_id]
    assert (parsed.department.id, parsed.department.code, parsed.department.menu_number) == (
        department_id, code, menu)
    paths = [tuple(s.menu_path) for s in parsed.services]
    assert paths == [(menu, n) for n in range(1, len(paths) + 1)], "menu paths must run 1, 2, 3... in file order"
    assert len(paths) >= fewest


def test_shared_ids_exist_with_their_shared_names(services_b):
    for service_id, (name_en, name_te) in CORE_IDS_B.items():
        assert service_id in services_b, f"{service_id} is missing"
        service = services_b[service_id]
        assert (service.name.en, service.name.te) == (name_en, name_te), service_id


def test_examples_cover_each_language_and_are_unique_in_the_catalog(services_b, catalog):
    for service in services_b.values():
        tags = Counter(e.lang for e in service.examples)
        assert 10 <= len(service.examples) <= 12, service.id
        assert min(tags[lang] for lang in ("en", "te", "te-latn")) >= 3, (service.id, dict(tags))
    owners: dict[str, set[str]] = {}
    for service in catalog.services.values():
        for example in service.examples:
            owners.setdefault(example.text.strip().lower(), set()).add(service.id)
    shared = {text: ids for text, ids in owners.items() if len(ids) > 1 and ids & set(services_b)}
    assert not shared, f"examples used by two services (they would teach both the same words): {shared}"


def test_synonyms_in_every_script(services_b):
    for service in services_b.values():
        syn = service.synonyms
        assert min(len(syn.en), len(syn.te), len(syn.te_latn)) >= 3, service.id
        assert all(TELUGU_RE.search(s) for s in syn.te), service.id
        assert not any(TELUGU_RE.search(s) for s in [*syn.en, *syn.te_latn]), service.id


def test_fields_are_what_a_workflow_can_collect(services_b):
    for service in services_b.values():
        assert 1 <= len(service.fields) <= 7, service.id
        for field in service.fields:
            if field.name in PAST_DATES:
                assert field.type == FieldType.date and field.date_range == "past", (service.id, field.name)
            if field.name in FUTURE_DATES:
                assert field.type == FieldType.date and field.date_range == "future", (service.id, field.name)
            if field.type in (FieldType.amount, FieldType.number):
                assert field.min is not None and field.min >= 0, (service.id, field.name)
                assert field.max is None or field.max > field.min, (service.id, field.name)


def test_bus_booking_collects_route_date_and_passengers(services_b):
    fields = {f.name: f for f in services_b["apsrtc.book_ticket"].fields}
    assert fields["from_town"].type == fields["to_town"].type == FieldType.town
    assert fields["travel_date"].date_range == "future"
    assert fields["passengers"].type == FieldType.number and fields["passengers"].min == 1


def test_every_temple_service_asks_for_the_temple_first(files_b):
    for service in files_b["endowments"].services:
        first = service.fields[0]
        assert (first.name, first.type) == ("temple", FieldType.temple), service.id


def test_status_lookups_ask_for_a_reference_first(services_b):
    for service in services_b.values():
        if service.outcome == Outcome.status:
            first = service.fields[0]
            assert first.type in (FieldType.identifier, FieldType.aadhaar) and first.required, service.id


def test_applications_and_complaints_promise_a_time(services_b):
    for service in services_b.values():
        if service.outcome == Outcome.application:
            assert "core.application_status" in service.related, service.id
            assert service.sla_days > 0, service.id
        if service.outcome == Outcome.grievance_ticket:
            assert service.sla_days > 0, service.id
            assert any(f.type == FieldType.mobile for f in service.fields), service.id


def test_payments_bookings_and_lookups_are_immediate(services_b):
    for service in services_b.values():
        if service.outcome in (Outcome.payment_receipt, Outcome.status, Outcome.booking):
            assert service.sla_days == 0, service.id
        if service.outcome == Outcome.status:
            assert service.fee == 0, service.id


def test_related_ids_exist_in_the_whole_catalog(services_b, catalog):
    for service in services_b.values():
        assert service.id not in service.related, service.id
        for ref in service.related:
            assert ref in catalog.services, (service.id, ref)


def _centroid_guesses(services) -> list[tuple[str, str, str]]:
    """(true id, example, guessed id) with each example matched to the nearest service built from all other
    examples, names and synonyms (leave-one-out, character n-grams)."""
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
    guesses = []
    for (service_id, text), vector in zip(examples, vectors):
        held_out = matrix.copy()
        held_out[ids.index(service_id)] -= vector
        guesses.append((service_id, text, ids[int((normalize(held_out) @ vector).argmax())]))
    return guesses


@pytest.fixture(scope="module")
def guesses_b(services_b):
    return _centroid_guesses(list(services_b.values()))


def test_examples_keep_services_apart(guesses_b):
    wrong = [g for g in guesses_b if g[0] != g[2]]
    accuracy = 1 - len(wrong) / len(guesses_b)
    assert accuracy >= SEPARABILITY_FLOOR, f"accuracy {accuracy:.3f}; confusions: {wrong[:20]}"


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_look_alike_services_stay_apart(guesses_b, first, second):
    for service_id, other in ((first, second), (second, first)):
        own = [g for g in guesses_b if g[0] == service_id]
        taken = [text for sid, text, guess in own if guess == other]
        assert len(taken) <= len(own) // 4, f"{service_id} examples that look like {other}: {taken}"


def test_a_badly_quoted_file_is_reported_with_its_service(tmp_path):
    text = (Path(SERVICES_DIR) / "police.yaml").read_text(encoding="utf-8")
    broken = text.replace('{en: "Aadhaar, PAN, licence or other ID",', "{en: Aadhaar, PAN, licence or other ID,")
    assert broken != text
    path = tmp_path / "police.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"police\.yaml: service police\.lost_report"):
        _load_department_file(path)


def test_a_telugu_example_in_latin_letters_is_refused(tmp_path):
    text = (Path(SERVICES_DIR) / "welfare.yaml").read_text(encoding="utf-8")
    broken = text.replace('{text: "ఈ నెల పింఛను రాలేదు", lang: te}', '{text: "ee nela pinchanu raledu", lang: te}')
    assert broken != text
    path = tmp_path / "welfare.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"service welfare\.pension_status.*no Telugu script"):
        _load_department_file(path)

"""The catalog as a whole: scale, core ids, export, and precise errors for broken files."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalog.loader import SERVICES_DIR, CatalogError, load_catalog

MITRA = str(Path(sys.executable).parent / "mitra")
CORE_IDS = ["revenue.caste_certificate", "revenue.income_certificate", "revenue.residence_certificate", "revenue.ews_certificate", "revenue.family_member_certificate", "revenue.integrated_certificate", "revenue.land_adangal", "revenue.land_1b", "revenue.land_mutation", "municipal.property_tax", "municipal.water_tax", "municipal.trade_license", "municipal.birth_certificate", "municipal.death_certificate", "energy.pay_electricity_bill", "energy.new_connection", "energy.power_complaint", "apsrtc.book_ticket", "apsrtc.cancel_ticket", "endowments.darshan_booking", "endowments.accommodation_booking", "endowments.donation", "civil_supplies.rice_card_new", "civil_supplies.rice_card_member_addition", "welfare.pension_status", "education.exam_results", "education.scholarship_status", "police.fir_status", "police.echallan_payment", "agriculture.farmer_benefit_status", "grievance.register", "grievance.status", "registration.encumbrance_certificate", "registration.marriage_certificate", "core.application_status", "core.download_certificate", "core.verify_certificate"]


def test_export_has_phase_one_scale_and_every_core_id():
    proc = subprocess.run([MITRA, "catalog", "export", "--format", "jsonl"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) >= 161
    assert len({r["department"] for r in records}) >= 36
    assert set(CORE_IDS) <= {r["id"] for r in records}
    for r in records:
        assert r["name"]["en"] and r["name"]["te"] and r["description"]["te"]
        assert len(r["examples"]) >= 8
        assert len({e["lang"] for e in r["examples"]}) >= 2
        assert set(r) >= {"id", "department", "name", "description", "synonyms", "examples", "fields",
                          "outcome", "menu_path"}
        for f in r["fields"]:
            assert set(f) >= {"name", "type", "required", "prompt"} and f["prompt"]["te"]


def test_core_names_match_the_shared_list(catalog):
    shared = Path(__file__).resolve().parents[3] / "shared" / "core_services.tsv"
    if not shared.exists():
        pytest.skip(f"{shared} is not beside this checkout")
    for line in shared.read_text(encoding="utf-8").splitlines()[1:]:
        service_id = line.split("\t")[0]
        assert service_id in catalog.services


@pytest.mark.parametrize("command", [["validate"], ["list", "--department", "revenue"], ["show", "core.verify_certificate"],
                                     ["stats"]])
def test_catalog_commands(command):
    proc = subprocess.run([MITRA, "catalog", *command], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_unknown_ids_and_departments_are_refused():
    assert subprocess.run([MITRA, "catalog", "show", "no.such"], capture_output=True).returncode == 2
    assert subprocess.run([MITRA, "catalog", "list", "-d", "nowhere"], capture_output=True).returncode == 2


@pytest.fixture
def broken(tmp_path):
    """A copy of the real catalog to break one thing at a time."""
    services = tmp_path / "services"
    shutil.copytree(SERVICES_DIR, services)
    gazetteer = tmp_path / "gazetteer.yaml"
    shutil.copy(SERVICES_DIR.parent / "gazetteer.yaml", gazetteer)

    def edit(mutate):
        path = services / "revenue.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        mutate(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with pytest.raises(CatalogError) as info:
            load_catalog(services, gazetteer)
        return str(info.value)

    return edit


def _first(data):
    return data["services"][0]


def test_unbroken_copy_loads(tmp_path):
    services = tmp_path / "services"
    shutil.copytree(SERVICES_DIR, services)
    assert len(load_catalog(services, SERVICES_DIR.parent / "gazetteer.yaml").services) >= 161


def test_unknown_field_type_names_file_service_and_field(broken):
    message = broken(lambda d: _first(d)["fields"][0].update(type="telepathy"))
    assert "revenue.yaml" in message and "revenue.caste_certificate" in message and "fields.0.type" in message


def test_missing_telugu_is_an_error(broken):
    message = broken(lambda d: _first(d)["name"].update(te="Caste certificate"))
    assert "revenue.caste_certificate" in message and "name.te" in message and "Telugu" in message


def test_duplicate_ids_are_an_error(broken):
    def dup(d):
        second = dict(d["services"][1])
        second["id"] = d["services"][0]["id"]
        d["services"][1] = second
    assert "duplicate id" in broken(dup)


def test_dangling_reference_is_an_error(broken):
    message = broken(lambda d: _first(d).update(related=["revenue.no_such_service"]))
    assert "related" in message and "revenue.no_such_service" in message


@pytest.mark.parametrize("status_service", ["revenue.income_certificate", "revenue.no_such_service"])
def test_an_applications_status_service_must_be_a_status_service(broken, status_service):
    message = broken(lambda d: _first(d).update(status_service=status_service))
    assert "status_service" in message and status_service in message


def test_every_pension_application_names_the_pension_status(catalog):
    """"widow pension raavatledu" is answered with the pension status, where a pension's payment is seen."""
    pensions = [s for s in catalog.services.values() if s.id.startswith("welfare.") and "pension" in s.id
                and s.outcome.value == "application"]
    assert len(pensions) >= 8
    assert {s.status_service for s in pensions} == {"welfare.pension_status"}


def test_a_look_alike_must_be_another_known_service(broken):
    message = broken(lambda d: _first(d).update(look_alikes=["revenue.no_such_service"]))
    assert "look_alikes" in message and "revenue.no_such_service" in message
    message = broken(lambda d: _first(d).update(look_alikes=[_first(d)["id"]]))
    assert "not its own look-alike" in message


def test_too_few_examples_is_an_error(broken):
    message = broken(lambda d: _first(d).update(examples=_first(d)["examples"][:3]))
    assert "revenue.caste_certificate" in message and "examples" in message


def test_wrong_script_for_tag_is_an_error(broken):
    message = broken(lambda d: _first(d)["examples"][0].update(lang="te"))
    assert "examples.0" in message and "no Telugu script" in message


def test_menu_path_outside_its_department_is_an_error(broken):
    message = broken(lambda d: _first(d).update(menu_path=[99, 1]))
    assert "menu_path" in message and "menu_number 3" in message


def test_unknown_key_is_an_error(broken):
    message = broken(lambda d: _first(d).update(colour="blue"))
    assert "colour" in message


def test_an_amount_per_year_must_be_an_amount(broken):
    message = broken(lambda d: _first(d)["fields"][0].update(per="year"))
    assert "revenue.caste_certificate" in message and "asked per year" in message


def test_ages_are_only_for_a_date_of_birth(broken):
    message = broken(lambda d: _first(d)["fields"][0].update(ages=[18, 60]))
    assert "revenue.caste_certificate" in message and "`ages`" in message


def test_a_field_label_without_telugu_is_an_error(broken):
    message = broken(lambda d: _first(d)["fields"][0].update(label={"en": "Name", "te": "Name"}))
    assert "fields.0.label.te" in message and "Telugu" in message


def test_shared_field_labels_name_fields_of_the_catalog(catalog):
    """Each short label in catalog/field_labels.yaml is used, and a field's own label wins over the shared one."""
    from catalog.loader import shared_field_labels

    names = {f.name for s in catalog.services.values() for f in s.fields}
    assert set(shared_field_labels()) <= names
    labelled = [f for s in catalog.services.values() for f in s.fields if f.name in shared_field_labels()]
    assert labelled and all(f.label is not None for f in labelled)


def test_every_field_has_a_short_bilingual_label(catalog):
    """A summary names each detail by a short label ("దర్శనం తేదీ: 12-12-2026"), never by its question, so every
    field has one (its own or the shared one): Telugu in Telugu script, no '?', at most 40 characters."""
    fields = [(s.id, f) for s in catalog.services.values() for f in s.fields]
    assert not [(sid, f.name) for sid, f in fields if f.label is None]
    bad = [(sid, f.name) for sid, f in fields
           if not any("\u0c00" <= ch <= "\u0c7f" for ch in f.label.te)
           or any("?" in text or len(text) > 40 for text in (f.label.en, f.label.te))]
    assert not bad, f"shorten or fix these labels: {bad}"


def test_a_fields_own_label_wins(tmp_path):
    services = tmp_path / "services"
    shutil.copytree(SERVICES_DIR, services)
    path = services / "revenue.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _first(data)["fields"][0]["label"] = {"en": "Your name", "te": "మీ పేరు"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    field = load_catalog(services, SERVICES_DIR.parent / "gazetteer.yaml").services[_first(data)["id"]].fields[0]
    assert (field.label.en, field.label.te) == ("Your name", "మీ పేరు")


def test_a_document_for_some_answers_must_name_a_choice_of_the_service(broken):
    message = broken(lambda d: _first(d).update(documents=[
        {"en": "Ration card", "te": "రేషన్ కార్డు", "when": {"caste": ["martian"]}}]))
    assert "revenue.caste_certificate" in message and "not a choice of this service" in message


def test_a_number_from_a_card_needs_a_short_label(broken):
    def unlabel(d):
        service = next(s for s in d["services"] if s["id"] == "revenue.land_acquisition_compensation")
        next(f for f in service["fields"] if f["name"] == "award_number").pop("label")
    message = broken(unlabel)
    assert "revenue.land_acquisition_compensation" in message and "needs a short `label`" in message


def test_no_summary_names_a_detail_by_a_long_question(catalog):
    """A field without a label is named in the Telugu summary by its question; a long one reads as a sentence
    ("మీరు అభ్యంతరం చెబుతున్న బిల్లు ఎన్ని రూపాయలు: ₹1,200"), so such a field needs a short label."""
    from bot.application_desk import field_label

    long = [(s.id, f.name) for s in catalog.services.values() for f in s.fields
            if f.label is None and len(field_label(f, "te")) > 30]
    assert not long, f"give these fields a short `label`: {long}"


def test_a_village_field_asks_for_the_village_alone(catalog):
    """A village is kept by its name alone ("maa ooru Nandivelugu" -> "Nandivelugu"): a question that also asks a
    street, a house number or a landmark is free text, or the rest of the answer would be cut off."""
    more = re.compile(r"street|colony|house|landmark|mandal|door", re.IGNORECASE)
    villages = [(s.id, f.prompt.en) for s in catalog.services.values() for f in s.fields if f.type.value == "village"]
    assert len(villages) >= 19 and not [v for v in villages if more.search(v[1])], villages


@pytest.mark.parametrize(("service_id", "answers", "listed", "not_listed"), [
    ("education.transfer_certificate", {"request": "new_tc"}, [], ["Police lost report"]),
    ("education.transfer_certificate", {"request": "duplicate_tc"}, ["Police lost report"], []),
    ("transport.duplicate_dl", {"reason": "damaged"}, ["Damaged licence card"], ["Police complaint copy"]),
    ("transport.duplicate_dl", {"reason": "stolen"}, ["Police complaint copy"], ["Damaged licence card"]),
    ("police.arms_licence", {"purpose": "crop_protection"}, [], ["Existing licence"]),
])
def test_a_document_for_some_answers_is_listed_only_for_them(catalog, service_id, answers, listed, not_listed):
    """Walked in the web chat: a TC to join another school was told to keep ready a police lost report "(for a
    duplicate)"; documents that only a lost, damaged or renewed paper needs say which answers call for them."""
    names = [d.en for d in catalog.services[service_id].documents_for(answers)]
    assert all(any(n.startswith(w) for n in names) for w in listed), names
    assert not any(n.startswith(w) for n in names for w in not_listed), names

"""The exported Rasa project's content and the way back (Rasa NLU data -> mitra labels); no Rasa needed."""
from __future__ import annotations

import json

import pytest
import yaml

from bot.rasa_export import ExportOptions, export_project, form_name, service_of_form
from bot.rasa_import import RasaImportError, read_rasa_nlu, write_labelled
from nlu.types import META_INTENTS


@pytest.fixture(scope="module")
def project(catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    summary = export_project(catalog, out)
    return summary, {name: yaml.safe_load((out / name).read_text(encoding="utf-8"))
                     for name in ("domain.yml", "config.yml", "data/nlu.yml", "data/rules.yml")}


def test_every_service_is_an_intent_with_a_form_asking_its_fields(catalog, project):
    summary, files = project
    domain = files["domain.yml"]
    assert set(catalog.services) | set(META_INTENTS) <= set(domain["intents"])
    for service in catalog.services.values():
        form = form_name(service.id)
        assert service_of_form(form) == service.id
        assert domain["forms"][form]["required_slots"] == [f.name for f in service.fields]
        for spec in service.fields:
            telugu, english = domain["responses"][f"utter_ask_{form}_{spec.name}"]
            assert (telugu["text"], english["text"]) == (spec.prompt.te, spec.prompt.en)
            assert telugu["condition"] == [{"type": "slot", "name": "language", "value": "te"}]
            assert {"active_loop": form, "requested_slot": spec.name} in \
                domain["slots"][spec.name]["mappings"][-1]["conditions"]
        assert f"validate_{form}" in domain["actions"]
    assert summary.forms == len(catalog.services)


def test_nlu_data_holds_catalog_examples_once_each(catalog, project):
    _, files = project
    by_intent = {block["intent"]: [line[2:] for line in block["examples"].splitlines()] for block in files["data/nlu.yml"]["nlu"]}
    service = catalog.services["revenue.caste_certificate"]
    assert {e.text for e in service.examples} <= set(by_intent[service.id])
    texts = [t.casefold() for examples in by_intent.values() for t in examples]
    assert len(texts) == len(set(texts)), "a text labelled twice would make Rasa refuse the data"
    assert set(by_intent) == set(files["domain.yml"]["intents"])


def test_rules_start_each_form_and_finish_with_confirm_or_status(catalog, project):
    _, files = project
    rules = {r["rule"]: r for r in files["data/rules.yml"]["rules"]}
    start = rules["revenue.caste_certificate: start"]["steps"]
    assert start == [{"intent": "revenue.caste_certificate"}, {"action": "form_revenue__caste_certificate"},
                     {"active_loop": "form_revenue__caste_certificate"}]
    assert rules["revenue.caste_certificate: all details given"]["steps"][-1] == {"action": "action_mitra_confirm"}
    assert rules["core.application_status: all details given"]["steps"][-1] == {"action": "action_mitra_status"}


def test_pipelines(catalog, tmp_path):
    export_project(catalog, tmp_path / "a", ExportOptions(mitra_url="http://127.0.0.1:9999"))
    mitra = yaml.safe_load((tmp_path / "a" / "config.yml").read_text())
    assert mitra["pipeline"][0]["name"] == "mitra_rasa_component.MitraRouter"
    assert mitra["pipeline"][0]["url"] == "http://127.0.0.1:9999" and "avunu" in mitra["pipeline"][0]["affirm_words"]
    export_project(catalog, tmp_path / "b", ExportOptions(pipeline="diet", diet_epochs=7))
    diet = yaml.safe_load((tmp_path / "b" / "config.yml").read_text())
    assert {"name": "DIETClassifier", "epochs": 7} in diet["pipeline"]
    assert (tmp_path / "b" / "mitra_rasa_component.py").exists() and (tmp_path / "b" / "actions" / "actions.py").exists()
    manifest = json.loads((tmp_path / "b" / "actions" / "mitra_forms.json").read_text())
    assert manifest["forms"]["form_revenue__caste_certificate"]["service_id"] == "revenue.caste_certificate"
    with pytest.raises(ValueError, match="unknown pipeline"):
        export_project(catalog, tmp_path / "c", ExportOptions(pipeline="spacy"))


def test_export_digest_changes_with_training_data_only(catalog, tmp_path):
    first = export_project(catalog, tmp_path / "a").digest
    assert export_project(catalog, tmp_path / "b", ExportOptions(action_endpoint="http://127.0.0.1:1/webhook")).digest == first
    from nlu.training_data import LabelledText

    extra = [LabelledText("maa ammayiki caste certificate kavali", "revenue.caste_certificate", "te-latn", "analyst")]
    assert export_project(catalog, tmp_path / "c", extra_examples=extra).digest != first


def test_round_trip_maps_every_exported_intent_back(catalog, tmp_path):
    summary = export_project(catalog, tmp_path)
    result = read_rasa_nlu(tmp_path / "data" / "nlu.yml", catalog)
    assert set(catalog.services) <= set(result.mapped.values())
    assert set(result.unknown) == {"affirm", "deny"}  # mitra's router has no yes/no intents: reported, not guessed
    assert len(result.labelled) + sum(result.unknown.values()) == summary.examples


def test_import_maps_short_names_annotations_and_reports_unknown(catalog, tmp_path):
    source = tmp_path / "nlu.yml"
    source.write_text('version: "3.1"\nnlu:\n'
                      "- intent: caste_certificate\n  examples: |\n    - need [caste](doc) certificate for my son\n"
                      "    - కుల ధృవీకరణ పత్రం\n"
                      "- intent: weather\n  examples: |\n    - will it rain\n"
                      "- intent: my_pension\n  examples:\n    - text: old age pension kavali\n"
                      "- synonym: caste\n  examples: |\n    - kulam\n", encoding="utf-8")
    result = read_rasa_nlu(source, catalog, {"my_pension": "welfare.old_age_pension"})
    assert result.mapped == {"caste_certificate": "revenue.caste_certificate", "my_pension": "welfare.old_age_pension"}
    assert result.unknown == {"weather": 1}
    assert [(t.text, t.lang) for t in result.labelled[:2]] == [("need caste certificate for my son", ""),
                                                               ("కుల ధృవీకరణ పత్రం", "te")]
    out = tmp_path / "labels.jsonl"
    write_labelled(result, out)
    from nlu.training_data import read_labelled_file

    assert [e.intent for e in read_labelled_file(out)] == [t.intent for t in result.labelled]


@pytest.mark.parametrize("content, problem", [("nlu: [", "not valid YAML"), ("rules: []", "no 'nlu:' list"),
                                              ("nlu:\n- intent: x\n  examples: 3\n", "examples")])
def test_import_refuses_bad_files_clearly(catalog, tmp_path, content, problem):
    source = tmp_path / "nlu.yml"
    source.write_text(content)
    with pytest.raises(RasaImportError, match=problem):
        read_rasa_nlu(source, catalog)


def test_an_export_of_some_departments_holds_only_their_services(catalog, tmp_path):
    summary = export_project(catalog, tmp_path / "pilot", ExportOptions(departments=("revenue", "cmrf")))
    domain = yaml.safe_load((tmp_path / "pilot" / "domain.yml").read_text(encoding="utf-8"))
    chosen = {s.id for s in catalog.services.values() if s.department in ("revenue", "cmrf")}
    assert {service_of_form(form) for form in domain["forms"]} == chosen and summary.forms == len(chosen)
    with pytest.raises(ValueError, match="unknown department.*nowhere"):
        export_project(catalog, tmp_path / "bad", ExportOptions(departments=("revenue", "nowhere")))

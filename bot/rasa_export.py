"""Write a complete Rasa 3.x project from mitra's catalog: domain, NLU data, rules, config and actions.

    export_project(catalog, Path("rasa-project"))            # mitra's router inside Rasa (MitraRouter)
    export_project(catalog, out, ExportOptions(pipeline="diet"))  # Rasa's own default DIET pipeline

Names, so that analysts can map Rasa data back to mitra: intents are service ids (`revenue.caste_certificate`)
and meta intents; each service with fields is a form `form_<department>__<service>` whose slots are the
service's field names; replies come in English and, when the `language` slot is `te`, Telugu.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.texts import messages
from catalog.schema import FieldType, Service
from nlu import words
from nlu.answers.identifiers import MITRA_REFERENCE, format_name
from nlu.training_data import LabelledText, catalog_examples, meta_examples
from nlu.types import META_INTENTS, OUT_OF_SCOPE

RASA_DIR = Path(__file__).parent / "rasa"
COMPONENT_FILE = RASA_DIR / "mitra_rasa_component.py"
ACTIONS_FILE = RASA_DIR / "actions.py"
FORMS_MANIFEST = "mitra_forms.json"
TRAINED_FROM = ("domain.yml", "config.yml", "data/nlu.yml", "data/rules.yml")
CONFIRM_INTENTS = ("affirm", "deny")
ENTITY_TYPES = ("aadhaar", "mobile", "date", "district", "town", "temple", "reference", "amount",
                "survey_number", "language")
META_REPLIES = {"greet": "welcome", "help": "help", "thanks": "thanks", "human_agent": "handed_off",
                "change_language": "choose_language", "out_of_scope": "out_of_scope", "menu": "departments_title"}
ANNOTATION_RE = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass
class ExportOptions:
    pipeline: str = "mitra"  # "mitra": MitraRouter asks mitra's API; "diet": Rasa's default DIET pipeline
    mitra_url: str = "http://127.0.0.1:8000"
    diet_epochs: int = 100  # Rasa's default
    action_endpoint: str = "http://127.0.0.1:5055/webhook"
    # only these departments' services (a pilot, or a quick project: Rasa's training grows with the forms and
    # rules, about 8 minutes of one core for the whole catalog); every department when empty
    departments: tuple[str, ...] = ()


@dataclass
class ExportSummary:
    directory: Path
    intents: int
    forms: int
    slots: int
    examples: int
    rules: int
    digest: str  # content hash of every written file: a trained model can be cached under it


def form_name(service_id: str) -> str:
    return "form_" + service_id.replace(".", "__")


def service_of_form(name: str) -> str:
    return name.removeprefix("form_").replace("__", ".")


def export_project(catalog, out_dir: Path, options: ExportOptions | None = None,
                   extra_examples: list[LabelledText] = ()) -> ExportSummary:
    """Write the project; `extra_examples` are analysts' labels added to data/nlu.yml."""
    options = options or ExportOptions()
    if options.pipeline not in ("mitra", "diet"):
        raise ValueError(f"unknown pipeline {options.pipeline!r}: choose 'mitra' or 'diet'")
    catalog = only_departments(catalog, options.departments)
    out_dir = Path(out_dir)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    (out_dir / "actions").mkdir(exist_ok=True)
    examples = training_examples(catalog, extra_examples)
    domain_data = domain(catalog)
    rule_data = rules(catalog)
    files = {
        "domain.yml": _yaml(domain_data),
        "config.yml": _yaml(config(options)),
        "endpoints.yml": _yaml({"action_endpoint": {"url": options.action_endpoint}}),
        "credentials.yml": _yaml({"rest": None}),
        "data/nlu.yml": nlu_yaml(examples),
        "data/rules.yml": _yaml(rule_data),
        f"actions/{FORMS_MANIFEST}": json.dumps(forms_manifest(catalog, options), ensure_ascii=False, indent=1),
        "actions/__init__.py": "",
    }
    digest = hashlib.sha256()  # of what training reads: runtime files (endpoints, actions) may change freely
    for relative, text in sorted(files.items()):
        (out_dir / relative).write_text(text, encoding="utf-8")
        if relative in TRAINED_FROM:
            digest.update(relative.encode() + b"\0" + text.encode())
    shutil.copyfile(COMPONENT_FILE, out_dir / COMPONENT_FILE.name)
    shutil.copyfile(ACTIONS_FILE, out_dir / "actions" / "actions.py")
    return ExportSummary(out_dir, len(domain_data["intents"]), len(domain_data["forms"]),
                         len(domain_data["slots"]), len(examples), len(rule_data["rules"]),
                         digest.hexdigest()[:16])


def only_departments(catalog, departments: tuple[str, ...]):
    """The catalog with only these departments and their services; an unknown department is an error."""
    if not departments:
        return catalog
    unknown = sorted(set(departments) - set(catalog.departments))
    if unknown:
        raise ValueError(f"unknown department(s) {', '.join(unknown)}: "
                         f"choose from {', '.join(sorted(catalog.departments))}")
    return dataclasses.replace(catalog, departments={d: catalog.departments[d] for d in departments},
                               services={i: s for i, s in catalog.services.items() if s.department in departments})


# ------------------------------------------------------------------------------------------ NLU data
def training_examples(catalog, extra: list[LabelledText] = ()) -> list[LabelledText]:
    """Catalog examples, meta intents, yes/no words and analysts' labels; duplicates dropped."""
    confirm = [LabelledText(w, "affirm", "", "words") for w in sorted(words.YES)]
    confirm += [LabelledText(w, "deny", "", "words") for w in sorted(words.NO)]
    seen: set[str] = set()
    out = []
    for item in [*catalog_examples(catalog), *meta_examples(), *confirm, *extra]:
        text = _plain(item.text)
        if len(text) < 1 or text.casefold() in seen:
            continue  # Rasa refuses a text labelled with two intents
        seen.add(text.casefold())
        out.append(LabelledText(text, item.intent, item.lang, item.source))
    return out


def nlu_yaml(examples: list[LabelledText]) -> str:
    by_intent: dict[str, list[str]] = {}
    for item in examples:
        by_intent.setdefault(item.intent, []).append(item.text)
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in by_intent[intent]]
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """One line, without characters Rasa would read as an entity annotation."""
    text = " ".join(text.split())
    return ANNOTATION_RE.sub(r"\1", text)


# ------------------------------------------------------------------------------------------ domain
def domain(catalog) -> dict:
    services = sorted(catalog.services.values(), key=lambda s: s.id)
    intents = [*META_INTENTS, OUT_OF_SCOPE, *CONFIRM_INTENTS, *(s.id for s in services)]
    responses = _meta_responses(catalog)
    forms, slot_forms, references = {}, {}, set()
    for service in services:
        name = form_name(service.id)
        forms[name] = {"required_slots": [f.name for f in service.fields]}  # optional ones accept "skip"
        for spec in service.fields:
            slot_forms.setdefault(spec.name, []).append(name)
            if format_name(spec) == MITRA_REFERENCE:  # mitra's own numbers, looked up by status
                references.add(spec.name)
            responses[f"utter_ask_{name}_{spec.name}"] = _ask(spec)
    return {
        "version": "3.1",
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
        "intents": intents,
        "entities": list(ENTITY_TYPES),
        "slots": {"language": {"type": "categorical", "values": ["en", "te"], "initial_value": "en",
                               "influence_conversation": False,
                               "mappings": [{"type": "from_entity", "entity": "language"}]},
                  **{slot: _slot(slot, names, slot in references) for slot, names in sorted(slot_forms.items())}},
        "forms": forms,
        "responses": responses,
        "actions": ["action_mitra_confirm", "action_mitra_submit", "action_mitra_status", "action_mitra_reset",
                    "action_mitra_clarify", *(f"validate_{name}" for name in forms)],
    }


def _slot(name: str, forms: list[str], reference: bool = False) -> dict:
    """Filled from the answer to its own question, whichever form asks it; never from 'cancel'.

    A reference number is also taken from the message that starts the form ("status of AP-REV-...")."""
    mappings = [{"type": "from_entity", "entity": "reference"}] if reference else []
    mappings.append({"type": "from_text", "not_intent": ["cancel"],
                     "conditions": [{"active_loop": form, "requested_slot": name} for form in forms]})
    return {"type": "text", "influence_conversation": False, "mappings": mappings}


def _ask(spec) -> list[dict]:
    buttons = {"en": [], "te": []}
    if spec.type == FieldType.choice:
        for choice in spec.choices:
            for lang in buttons:
                buttons[lang].append({"title": choice.label.get(lang), "payload": choice.value})
    return _bilingual(spec.prompt.en, spec.prompt.te, buttons)


def _bilingual(en: str, te: str, buttons: dict | None = None) -> list[dict]:
    """Rasa picks the first variation whose condition holds: Telugu when the language slot says so."""
    telugu = {"text": te, "condition": [{"type": "slot", "name": "language", "value": "te"}]}
    english = {"text": en}
    if buttons and buttons["en"]:
        telugu["buttons"], english["buttons"] = buttons["te"], buttons["en"]
    return [telugu, english]


def _meta_responses(catalog) -> dict:
    texts = messages()
    out = {f"utter_{intent}": _bilingual(texts[key]["en"], texts[key]["te"]) for intent, key in META_REPLIES.items()}
    departments = catalog.departments_in_menu_order()
    out["utter_menu"] = _bilingual(*(texts["departments_title"][lang] + "".join(
        f"\n{d.menu_number}. {d.name.get(lang)}" for d in departments) for lang in ("en", "te")))
    out["utter_default"] = _bilingual(texts["not_understood"]["en"], texts["not_understood"]["te"])
    return out


# ------------------------------------------------------------------------------------------ rules
def rules(catalog) -> dict:
    out = [_rule(f"{intent} is answered", [{"intent": intent}, {"action": f"utter_{intent}"}])
           for intent in META_REPLIES]
    out += [
        _rule("cancel outside a form", [{"intent": "cancel"}, {"action": "action_mitra_reset"}]),
        _rule("unsure: offer the likely services", [{"intent": "nlu_fallback"}, {"action": "action_mitra_clarify"}]),
        _rule("confirmed: submit", [{"action": "action_mitra_confirm"}, {"intent": "affirm"},
                                    {"action": "action_mitra_submit"}], start=False),
        _rule("not confirmed: start again", [{"action": "action_mitra_confirm"}, {"intent": "deny"},
                                             {"action": "action_mitra_reset"}], start=False),
    ]
    for service in sorted(catalog.services.values(), key=lambda s: s.id):
        out += _service_rules(service)
    return {"version": "3.1", "rules": out}


def _service_rules(service: Service) -> list[dict]:
    form = form_name(service.id)
    finish = "action_mitra_status" if service.outcome.value == "status" else "action_mitra_confirm"
    return [
        _rule(f"{service.id}: start", [{"intent": service.id}, {"action": form}, {"active_loop": form}]),
        {"rule": f"{service.id}: all details given", "condition": [{"active_loop": form}], "steps": [
            {"action": form}, {"active_loop": None}, {"slot_was_set": [{"requested_slot": None}]},
            {"action": finish}]},
        {"rule": f"{service.id}: cancel", "condition": [{"active_loop": form}], "steps": [
            {"intent": "cancel"}, {"action": "action_deactivate_loop"}, {"active_loop": None},
            {"slot_was_set": [{"requested_slot": None}]}, {"action": "action_mitra_reset"}]},
    ]


def _rule(name: str, steps: list[dict], start: bool = True) -> dict:
    rule = {"rule": name, "steps": steps}
    if not start:
        rule["conversation_start"] = False
    return rule


# ------------------------------------------------------------------------------------------ config
def config(options: ExportOptions) -> dict:
    if options.pipeline == "mitra":
        pipeline = [{"name": "mitra_rasa_component.MitraRouter", "url": options.mitra_url,
                     "affirm_words": sorted(words.YES), "deny_words": sorted(words.NO)}]
    else:  # the pipeline Rasa uses when config.yml names none (rasa/shared/importers/default_config.yml)
        pipeline = [
            {"name": "WhitespaceTokenizer"}, {"name": "RegexFeaturizer"}, {"name": "LexicalSyntacticFeaturizer"},
            {"name": "CountVectorsFeaturizer"},
            {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
            {"name": "DIETClassifier", "epochs": options.diet_epochs},
            {"name": "EntitySynonymMapper"},
            {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
        ]
    return {
        "recipe": "default.v1",
        "language": "te",
        "assistant_id": "mitra",
        "pipeline": pipeline,
        # the whole dialogue is forms and rules: RulePolicy runs it, no story model to train
        "policies": [{"name": "MemoizationPolicy"},
                     {"name": "RulePolicy", "core_fallback_threshold": 0.3,
                      "core_fallback_action_name": "action_default_fallback", "enable_fallback_prediction": True}],
    }


def forms_manifest(catalog, options: ExportOptions) -> dict:
    """What the action server needs about each form, so that it can run without mitra's code."""
    return {
        "mitra_url": options.mitra_url,
        "forms": {form_name(s.id): {
            "service_id": s.id,
            "fields": [{"name": f.name, "type": f.type.value, "required": f.required} for f in s.fields],
            "name": {"en": s.name.en, "te": s.name.te},
        } for s in sorted(catalog.services.values(), key=lambda s: s.id)},
        "texts": {key: messages()[key] for key in ("summary", "submitted", "submit_failed", "cancelled",
                                                  "status_line", "status_not_found", "status_ask_reference",
                                                  "status_system_down",
                                                  "clarify", "not_understood", "button_yes", "button_no")},
    }


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)

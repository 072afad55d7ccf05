"""The held-out routing test set (tests/data/route_heldout.jsonl) is well formed and independent of the catalog.

The router's accuracy targets are measured on this file, so it must have the promised language mix, only
valid labels, text in the script its tag says, and no message copied, contained in, containing or nearly copying
anything the router trains on (tests/utils/copies.py: catalog texts, meta intents, out-of-scope sentences and
the analysts' label files under tests/data/labels/, if any).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from catalog.schema import TELUGU_RE
from nlu.types import META_INTENTS, OUT_OF_SCOPE
from tests.utils.copies import copies, training_texts

DATA = Path(__file__).parents[1] / "data"
HELDOUT_FILE = DATA / "route_heldout.jsonl"
FROZEN_FILE = DATA / "route_test_frozen.jsonl"
LABEL_FILES = DATA / "labels"  # analysts' label files tests train on (CSV / JSON lines)
LANGS = ("en", "te", "te-latn")

# The ids other packages rely on (shared/core_services.tsv); each must be tested in two languages at least.
CORE_IDS = (
    "revenue.caste_certificate", "revenue.income_certificate", "revenue.residence_certificate",
    "revenue.ews_certificate", "revenue.family_member_certificate", "revenue.integrated_certificate",
    "revenue.land_adangal", "revenue.land_1b", "revenue.land_mutation",
    "municipal.property_tax", "municipal.water_tax", "municipal.trade_license",
    "municipal.birth_certificate", "municipal.death_certificate",
    "energy.pay_electricity_bill", "energy.new_connection", "energy.power_complaint",
    "apsrtc.book_ticket", "apsrtc.cancel_ticket",
    "endowments.darshan_booking", "endowments.accommodation_booking", "endowments.donation",
    "civil_supplies.rice_card_new", "civil_supplies.rice_card_member_addition",
    "welfare.pension_status", "education.exam_results", "education.scholarship_status",
    "police.fir_status", "police.echallan_payment", "agriculture.farmer_benefit_status",
    "grievance.register", "grievance.status",
    "registration.encumbrance_certificate", "registration.marriage_certificate",
    "core.application_status", "core.download_certificate", "core.verify_certificate",
)


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def read_heldout(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{path.name}:{number}: not valid JSON: {exc}") from exc
        assert isinstance(row, dict) and set(row) == {"text", "intent", "lang"}, (
            f"{path.name}:{number}: expected exactly the keys text, intent, lang, got {row!r}"
        )
        assert isinstance(row["text"], str) and row["text"].strip(), f"{path.name}:{number}: empty text"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def heldout() -> list[dict]:
    return read_heldout(HELDOUT_FILE)


@pytest.fixture(scope="module")
def frozen() -> list[dict]:
    return read_heldout(FROZEN_FILE)


def analysts_labels() -> list:
    from nlu.training_data import read_labelled_file

    return [e for path in sorted(LABEL_FILES.glob("*")) if path.suffix in (".csv", ".jsonl")
            for e in read_labelled_file(path)]


@pytest.fixture(scope="module")
def trained_on(catalog) -> list[str]:
    """Everything the router trains on, normalized."""
    return training_texts(catalog, analysts_labels())


def test_size_and_language_mix(heldout):
    langs = Counter(row["lang"] for row in heldout)
    assert len(heldout) >= 900  # issue #16: the set grows with the catalog
    assert set(langs) == set(LANGS), f"unexpected language tags: {sorted(set(langs) - set(LANGS))}"
    assert langs["en"] >= 100 and langs["te"] >= 90 and langs["te-latn"] >= 90, langs
    # no language dominates: each is roughly a third of the set
    assert all(count <= 0.4 * len(heldout) for count in langs.values()), langs


def test_every_label_is_a_service_a_meta_intent_or_out_of_scope(heldout, catalog):
    valid = set(catalog.services) | set(META_INTENTS) | {OUT_OF_SCOPE}
    unknown = sorted({row["intent"] for row in heldout} - valid)
    assert not unknown, f"labels that are neither a service id, a meta intent nor out_of_scope: {unknown}"


def test_script_matches_language_tag(heldout):
    wrong = [
        (row["lang"], row["text"]) for row in heldout
        if (row["lang"] == "te") != bool(TELUGU_RE.search(row["text"]))
    ]
    assert not wrong, f"text whose script does not match its tag: {wrong}"


def test_every_service_is_tested_twice(heldout, catalog):
    count = Counter(row["intent"] for row in heldout)
    thin = sorted(sid for sid in catalog.services if count[sid] < 2)
    assert not thin, f"services with fewer than 2 held-out messages: {thin}"


def test_every_core_service_is_tested_twice_in_two_languages(heldout):
    langs_of: dict[str, list[str]] = {}
    for row in heldout:
        langs_of.setdefault(row["intent"], []).append(row["lang"])
    thin = {sid: langs_of.get(sid, []) for sid in CORE_IDS
            if len(langs_of.get(sid, [])) < 2 or len(set(langs_of[sid])) < 2}
    assert not thin, f"core services with fewer than 2 messages in 2 languages: {thin}"


def test_out_of_scope_and_meta_intents_in_every_language(heldout):
    out_of_scope = Counter(row["lang"] for row in heldout if row["intent"] == OUT_OF_SCOPE)
    meta = [row for row in heldout if row["intent"] in META_INTENTS]
    assert sum(out_of_scope.values()) >= 0.1 * len(heldout), out_of_scope
    assert all(out_of_scope[lang] >= 10 for lang in LANGS), out_of_scope
    assert len(meta) >= 20
    assert {row["intent"] for row in meta} == set(META_INTENTS)
    for intent in META_INTENTS:
        tags = {row["lang"] for row in meta if row["intent"] == intent}
        assert tags == set(LANGS), f"meta intent {intent} is not tested in every language: {sorted(tags)}"


def test_no_message_is_repeated(heldout):
    counts = Counter(normalized(row["text"]) for row in heldout)
    repeated = sorted(text for text, count in counts.items() if count > 1)
    assert not repeated, f"messages that appear more than once: {repeated}"


@pytest.mark.parametrize("split", ["heldout", "frozen"])
def test_no_message_copies_training_text(split, heldout, frozen, trained_on):
    rows = {"heldout": heldout, "frozen": frozen}[split]
    found = copies([row["text"] for row in rows], trained_on)
    assert not found, f"{len(found)} {split} messages copy training text: " + "; ".join(
        f"{c.message!r} ~ {c.training_text!r} ({c.why})" for c in found)


def test_the_frozen_split_is_separate_from_the_heldout_set(heldout, frozen):
    shared = {normalized(r["text"]) for r in heldout} & {normalized(r["text"]) for r in frozen}
    assert not shared, f"lines in both splits: {sorted(shared)}"


def test_the_frozen_split_covers_every_service(frozen, catalog):
    count = Counter(row["intent"] for row in frozen)
    thin = sorted(sid for sid in catalog.services if count[sid] < 2)
    assert not thin, f"services with fewer than 2 frozen test messages: {thin}"
    langs = Counter(row["lang"] for row in frozen)
    assert set(langs) == set(LANGS) and all(langs[lang] >= 0.2 * len(frozen) for lang in LANGS), langs
    out_of_scope = Counter(row["lang"] for row in frozen if row["intent"] == OUT_OF_SCOPE)
    assert all(out_of_scope[lang] >= 5 for lang in LANGS), out_of_scope
    valid = set(catalog.services) | set(META_INTENTS) | {OUT_OF_SCOPE}
    assert {row["intent"] for row in frozen} <= valid


def test_the_checks_catch_a_bad_file(tmp_path, trained_on):
    """The reader and the copy check reject what they should, so a passing run means something."""
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "pension raledu", "intent": "welfare.pension_status"}\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="exactly the keys"):
        read_heldout(broken)
    broken.write_text('{"text": "pension raledu", "intent": \n', encoding="utf-8")
    with pytest.raises(AssertionError, match="not valid JSON"):
        read_heldout(broken)
    sentence = max(trained_on, key=lambda t: len(t.split()))
    nearly = sentence[:-1] + ("x" if sentence[-1] != "x" else "y")
    padded = f"{sentence} ok"
    wrapped = f"sir please {sentence.upper()}"
    found = {c.message: c.why for c in copies([sentence, nearly, padded, wrapped, "zq xv wk"], trained_on)}
    assert found[sentence] == "equal" and found[padded] == "contains" and found[wrapped] == "contains"
    assert found[nearly].startswith("ratio") and "zq xv wk" not in found


def test_the_copy_check_reads_the_analysts_labels(catalog, tmp_path):
    from nlu.training_data import LabelledText

    label = LabelledText("maa oori cheruvu lo neellu levu emi cheyali", "out_of_scope", "te-latn", "analyst")
    assert copies([label.text], training_texts(catalog, [label]))
    assert not copies([label.text], training_texts(catalog))

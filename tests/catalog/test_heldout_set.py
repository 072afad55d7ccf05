"""The held-out routing test set (tests/data/route_heldout.jsonl) is well formed and independent of the catalog.

The router's accuracy targets are measured on this file, so it must have the promised language mix, only
valid labels, text in the script its tag says, and no message copied (or nearly copied) from the catalog's
examples, synonyms or names that the router is built from.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from catalog.schema import TELUGU_RE
from nlu.types import META_INTENTS, OUT_OF_SCOPE

HELDOUT_FILE = Path(__file__).parents[1] / "data" / "route_heldout.jsonl"
LANGS = ("en", "te", "te-latn")
NEAR_COPY_RATIO = 90

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
def catalog_texts(catalog) -> list[str]:
    """Everything the router may be built from: examples, synonyms and names of every service."""
    texts = []
    for service in catalog.services.values():
        texts += [example.text for example in service.examples]
        texts += service.synonyms.all()
        texts += [service.name.en, service.name.te]
    return sorted({normalized(text) for text in texts})


def is_service(intent: str) -> bool:
    return intent not in META_INTENTS and intent != OUT_OF_SCOPE


def test_size_and_language_mix(heldout):
    langs = Counter(row["lang"] for row in heldout)
    assert len(heldout) >= 330
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


def test_spread_over_many_services(heldout):
    services = {row["intent"] for row in heldout if is_service(row["intent"])}
    assert len(services) >= 120


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
    assert sum(out_of_scope.values()) >= 35 and all(out_of_scope[lang] >= 10 for lang in LANGS), out_of_scope
    assert len(meta) >= 20
    assert {row["intent"] for row in meta} == set(META_INTENTS)
    for intent in META_INTENTS:
        tags = {row["lang"] for row in meta if row["intent"] == intent}
        assert tags == set(LANGS), f"meta intent {intent} is not tested in every language: {sorted(tags)}"


def test_no_message_is_repeated(heldout):
    counts = Counter(normalized(row["text"]) for row in heldout)
    repeated = sorted(text for text, count in counts.items() if count > 1)
    assert not repeated, f"messages that appear more than once: {repeated}"


def test_no_message_copies_the_catalog(heldout, catalog_texts):
    known = set(catalog_texts)
    texts = [normalized(row["text"]) for row in heldout]
    copies = [text for text in texts if text in known]
    assert not copies, f"held-out messages that are catalog examples, synonyms or names: {copies}"
    scores = process.cdist(texts, catalog_texts, scorer=fuzz.ratio, score_cutoff=NEAR_COPY_RATIO, workers=1)
    near = [(texts[i], catalog_texts[j]) for i, j in zip(*scores.nonzero())]
    assert not near, f"held-out messages nearly copying the catalog (fuzz.ratio >= {NEAR_COPY_RATIO}): {near}"


def test_the_checks_catch_a_bad_file(tmp_path, catalog_texts):
    """The reader and the near-copy check reject what they should, so a passing run means something."""
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "pension raledu", "intent": "welfare.pension_status"}\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="exactly the keys"):
        read_heldout(broken)
    broken.write_text('{"text": "pension raledu", "intent": \n', encoding="utf-8")
    with pytest.raises(AssertionError, match="not valid JSON"):
        read_heldout(broken)
    copied = max(catalog_texts, key=len)
    nearly = copied[:-1] + ("x" if copied[-1] != "x" else "y")
    scores = process.cdist([nearly], catalog_texts, scorer=fuzz.ratio, score_cutoff=NEAR_COPY_RATIO, workers=1)
    assert nearly not in catalog_texts and scores.any()

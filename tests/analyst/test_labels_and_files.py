"""Labelling, skipping, transcript corrections, CSV/JSONL/Rasa import and export, the audit log and the CLI."""
from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from analysts import audit, review, review_files
from core.db.review_models import AuditEntry, ReviewItem


@pytest.fixture
def queued(sessions):
    """Two open items as the bot would have queued them."""
    with sessions.begin() as session:
        for text in ("my land papers issue", "bus thing"):
            session.add(ReviewItem(text=text, language="en", reasons=["low_confidence"], decision="clarify",
                                   intent="revenue.land_records", confidence=0.3, alternatives=[], status="open"))
    with sessions() as session:
        return [i.id for i in session.scalars(select(ReviewItem).order_by(ReviewItem.id))]


def actions(sessions) -> list[tuple[str, str]]:
    with sessions() as session:
        return [(e.who, e.action) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_label_skip_and_transcript_correction_are_kept_and_audited(sessions, catalog, queued):
    service = min(catalog.services)
    with sessions.begin() as session:
        review.label_item(session, queued[0], service, catalog, "asha")
        review.correct_transcript(session, queued[1], "bus pass kavali 9848012345", catalog, "asha", "out_of_scope")
    with sessions.begin() as session:
        first, second = session.get(ReviewItem, queued[0]), session.get(ReviewItem, queued[1])
        assert (first.status, first.label, first.labelled_by) == ("labelled", service, "asha")
        assert second.corrected_text == "bus pass kavali 98XXXXXX45" and second.label == "out_of_scope"
        review.skip_item(session, queued[0], "kiran")
    with sessions() as session:
        assert review.list_items(session, "open").total == 0
        assert review.list_items(session, "skipped").total == 1
        texts = review.labelled_texts(session)
    assert [(t.text, t.intent) for t in texts] == [("bus pass kavali 98XXXXXX45", "out_of_scope")]
    assert actions(sessions) == [("asha", "label"), ("asha", "correct_transcript"), ("kiran", "skip")]


def test_unknown_intents_items_and_statuses_are_refused_clearly(sessions, catalog, queued):
    with sessions.begin() as session:
        with pytest.raises(review.ReviewError, match="unknown intent 'revenue.no_such_thing'"):
            review.label_item(session, queued[0], "revenue.no_such_thing", catalog, "asha")
        with pytest.raises(review.ReviewError, match="no review item 999"):
            review.label_item(session, 999, "out_of_scope", catalog, "asha")
        with pytest.raises(review.ReviewError, match="corrected text is empty"):
            review.correct_transcript(session, queued[0], "  ", catalog, "asha")
        with pytest.raises(review.ReviewError, match="unknown status"):
            review.list_items(session, "pending")
    with pytest.raises(ValueError, match="who did it"):
        audit.record(None, " ", "analyst", "label")


def test_labelled_examples_reads_the_settings_database(settings, sessions, catalog, queued):
    with sessions.begin() as session:
        review.label_item(session, queued[0], "human_agent", catalog, "asha")
    [example] = review.labelled_examples(settings)
    assert (example.text, example.intent, example.source) == ("my land papers issue", "human_agent", "analyst")


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_import_maps_rasa_names_reports_unknown_ones_and_masks(tmp_path, sessions, catalog):
    service = min(catalog.services)
    department, name = service.split(".")
    rasa = write(tmp_path, "nlu.yml", f"""version: "3.1"
nlu:
- intent: {department}__{name}
  examples: |
    - I need this for [Guntur](district) please
    - aadhaar 2345 6789 0124 wala kaam
- intent: {service}
  examples: |
    - same service, dotted name
- intent: greet
  examples: |
    - namaste ji
- intent: nlu_fallback
  examples: |
    - what is bitcoin
- intent: order_pizza
  examples: |
    - one large pizza
    - two pizzas
- synonym: Guntur
  examples: |
    - guntur town
""")
    with sessions.begin() as session:
        report = review_files.import_labels(session, rasa, catalog, "asha")
    assert report.as_dict() == {"imported": 5, "duplicates": 0, "unknown_intents": {"order_pizza": 2}}
    with sessions() as session:
        rows = {(r.text, r.label) for r in review_files.labelled_rows(session)}
    assert ("I need this for Guntur please", service) in rows
    assert ("aadhaar XXXX XXXX 0124 wala kaam", service) in rows
    assert ("same service, dotted name", service) in rows
    assert ("what is bitcoin", "out_of_scope") in rows and ("namaste ji", "greet") in rows
    with sessions.begin() as session:  # importing again adds nothing
        assert review_files.import_labels(session, rasa, catalog, "asha").duplicates == 5


def test_csv_and_jsonl_round_trip_through_every_export_format(tmp_path, sessions, catalog, settings):
    service = sorted(catalog.services)[1]
    source = write(tmp_path, "in.csv", "text,intent,lang\n"
                   f"call me on 9848012345,{service},en\n\"comma, inside\",out_of_scope,en\nరేషన్ కార్డు,{service},te\n")
    with sessions.begin() as session:
        assert review_files.import_labels(session, source, catalog, "asha").imported == 3
    for fmt, name in (("csv", "out.csv"), ("jsonl", "out.jsonl"), ("rasa", "out.yml")):
        path = tmp_path / name
        with sessions.begin() as session:
            assert review_files.export_labels(session, path, fmt, "asha") == 3
        content = path.read_text(encoding="utf-8")
        assert "9848012345" not in content and "98XXXXXX45" in content
        rows = {(r.text, review_files.map_intent(r.label, review.allowed_labels(catalog)))
                for r in review_files.read_rows(path)}
        assert rows == {("call me on 98XXXXXX45", service), ("comma, inside", "out_of_scope"),
                        ("రేషన్ కార్డు", service)}
    assert yaml.safe_load((tmp_path / "out.yml").read_text())["nlu"][0]["intent"] in (
        "out_of_scope", service.replace(".", "__"))
    assert [json.loads(line)["label"] for line in (tmp_path / "out.jsonl").read_text().splitlines()] == [
        service, "out_of_scope", service]
    assert [a for _, a in actions(sessions)] == ["import", "export", "export", "export"]


@pytest.mark.parametrize("name, content, problem", [
    ("bad.csv", "words,category\nhello,greet\n", "needs a header with 'text' and 'label'"),
    ("bad.jsonl", '{"text": "hi", "label": "greet"}\nnot json\n', "bad.jsonl:2: not valid JSON"),
    ("bad.jsonl", '{"text": "hi"}\n', "no 'label'"),
    ("bad.yml", "nlu: [unclosed\n", "not valid YAML"),
    ("bad.yml", "stories: []\n", "top-level 'nlu:' list"),
    ("bad.txt", "text,label\n", "cannot tell the format"),
])
def test_bad_files_get_a_clear_error(tmp_path, sessions, catalog, name, content, problem):
    path = write(tmp_path, name, content)
    with sessions.begin() as session, pytest.raises(review_files.LabelFileError, match=problem):
        review_files.import_labels(session, path, catalog, "asha")


def test_cli_queue_label_import_export_and_audit_log(tmp_path, settings, sessions, catalog, queued, monkeypatch):
    from mitra.cli import app

    monkeypatch.setattr("core.settings.get_settings", lambda: settings)
    runner = CliRunner()
    shown = runner.invoke(app, ["analyst", "queue", "--json"])
    assert shown.exit_code == 0, shown.output
    assert [i["id"] for i in json.loads(shown.output)["items"]] == queued

    bad = runner.invoke(app, ["analyst", "label", str(queued[0]), "not_an_intent", "--as", "asha"])
    assert bad.exit_code == 2 and "unknown intent 'not_an_intent'" in bad.output
    good = runner.invoke(app, ["analyst", "label", str(queued[0]), "out_of_scope", "--as", "asha"])
    assert good.exit_code == 0 and "labelled as out_of_scope" in good.output
    skipped = runner.invoke(app, ["analyst", "label", str(queued[1]), "--skip", "--as", "asha"])
    assert skipped.exit_code == 0 and "skipped" in skipped.output

    source = write(tmp_path, "more.jsonl", json.dumps({"text": "hello there", "label": "greet"}) + "\n"
                   + json.dumps({"text": "x y z", "label": "unknown_one"}) + "\n")
    imported = runner.invoke(app, ["analyst", "import", str(source), "--as", "asha"])
    assert imported.exit_code == 0 and "imported 1" in imported.output and "unknown_one" in imported.output
    exported = runner.invoke(app, ["analyst", "export", str(tmp_path / "x.rasa"), "--format", "rasa"])
    assert exported.exit_code == 0 and "exported 2" in exported.output
    log = runner.invoke(app, ["analyst", "audit-log", "--json"])
    assert [e["action"] for e in json.loads(log.output)] == ["export", "import", "skip", "label"]

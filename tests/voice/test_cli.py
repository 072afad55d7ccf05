"""`mitra transcribe FILE...`: one JSON object per file; a bad file is reported and the rest go on."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from mitra.cli import app


def test_transcribe_files_and_report_bad_ones(notes, tmp_path):
    bad = tmp_path / "photo.ogg"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = CliRunner().invoke(app, ["transcribe", str(notes[("en", "ogg")]), str(bad),
                                      str(notes[("en", "amr")])])
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert result.exit_code == 1
    assert [line["file"] for line in lines] == [str(notes[("en", "ogg")]), str(bad), str(notes[("en", "amr")])]
    assert lines[0]["language"] == "en" and "certificate" in lines[0]["text"].lower()
    assert lines[1]["error"] == "unsupported" and lines[1]["message"]
    assert lines[2]["language"] == "en"


def test_transcribe_with_fixed_language_succeeds(notes):
    result = CliRunner().invoke(app, ["transcribe", "--language", "te", str(notes[("te", "ogg")])])
    assert result.exit_code == 0
    line = json.loads(result.stdout)
    assert line["language"] == "te" and line["language_fixed"]


def test_bad_options_are_clear(notes):
    runner = CliRunner()
    result = runner.invoke(app, ["transcribe", "--language", "fr", str(notes[("en", "ogg")])])
    assert result.exit_code == 2 and "te or en" in result.output
    result = runner.invoke(app, ["transcribe", "--engine", "kaldi", str(notes[("en", "ogg")])])
    assert result.exit_code == 2 and "unknown speech engine" in result.output

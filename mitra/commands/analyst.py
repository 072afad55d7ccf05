"""mitra analyst: the review queue, labels, import/export of labelled data and the audit log, from a terminal."""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer

app = typer.Typer(help="Review queue, labels, labelled-data files and the audit log.", no_args_is_help=True)

WHO = typer.Option(None, "--as", help="your name for the audit log (default: your login name)")


def _who(name: str | None) -> str:
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "unknown"


def _sessions():
    from core.db import init_db, make_session_factory
    from core.settings import get_settings

    return make_session_factory(init_db(get_settings().sqlalchemy_url))


def _catalog():
    from catalog.loader import load_catalog

    return load_catalog()


def _fail(message: str, code: int = 2) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command("queue")
def queue(status: str = typer.Option("open", "--status", help="open, labelled, skipped or all"),
          limit: int = typer.Option(50, "--limit"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Messages waiting for an analyst, oldest first."""
    from analysts import review

    with _sessions()() as session:
        try:
            page = review.list_items(session, status, limit)
        except review.ReviewError as exc:
            _fail(str(exc))
        items = [review.item_as_dict(i) for i in page.items]
    if as_json:
        typer.echo(json.dumps({"total": page.total, "items": items}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{page.total} {status} item(s)")
    for item in items:
        alternatives = ", ".join(a["intent"] for a in item["alternatives"][:3])
        typer.echo(f"#{item['id']:<5} [{','.join(item['reasons'])}] {item['language'] or '?':<7} "
                   f"{item['decision']}:{item['intent']} ({item['confidence']})  {item['text']!r}")
        if alternatives:
            typer.echo(f"       alternatives: {alternatives}"
                       + (f"; citizen picked {item['suggested_label']}" if item["suggested_label"] else ""))


@app.command("label")
def label(item_id: int, intent: str | None = typer.Argument(None, help="service id, meta intent or out_of_scope"),
          skip: bool = typer.Option(False, "--skip", help="skip the item instead"),
          transcript: str | None = typer.Option(None, "--transcript", help="the corrected transcript"),
          who: str | None = WHO) -> None:
    """Label ITEM_ID with INTENT, skip it, or correct its transcript (with or without an intent)."""
    from analysts import review

    if not skip and not intent and not transcript:
        _fail("give an INTENT, --skip or --transcript TEXT")
    catalog = _catalog()
    with _sessions().begin() as session:
        try:
            if skip:
                item = review.skip_item(session, item_id, _who(who), "cli")
            elif transcript:
                item = review.correct_transcript(session, item_id, transcript, catalog, _who(who), intent, "cli")
            else:
                item = review.label_item(session, item_id, intent, catalog, _who(who), "cli")
        except review.ReviewError as exc:
            _fail(str(exc))
        typer.echo(f"#{item.id}: {item.status}" + (f" as {item.label}" if item.label else ""))


@app.command("import")
def import_file(file: Path, fmt: str | None = typer.Option(None, "--format", help="csv, jsonl or rasa"),
                who: str | None = WHO) -> None:
    """Add labelled texts from a CSV, JSON-lines or Rasa nlu.yml file; unknown intents are reported."""
    from analysts.review_files import LabelFileError, import_labels

    catalog = _catalog()
    with _sessions().begin() as session:
        try:
            report = import_labels(session, file, catalog, _who(who), fmt, "cli")
        except LabelFileError as exc:
            _fail(str(exc))
    typer.echo(f"imported {report.imported} labelled text(s) from {file} ({report.duplicates} already there)")
    for name, count in sorted(report.unknown_intents.items()):
        typer.echo(f"  unknown intent {name!r}: {count} text(s) not imported", err=True)


@app.command("export")
def export_file(file: Path, fmt: str | None = typer.Option(None, "--format", help="csv, jsonl or rasa"),
                who: str | None = WHO) -> None:
    """Write every labelled text (Aadhaar and mobile numbers masked) to FILE."""
    from analysts.review_files import LabelFileError, export_labels

    with _sessions().begin() as session:
        try:
            count = export_labels(session, file, fmt, _who(who), "cli")
        except (LabelFileError, OSError) as exc:
            _fail(str(exc))
    typer.echo(f"exported {count} labelled text(s) to {file}")


@app.command("audit-log")
def audit_log(limit: int = typer.Option(50, "--limit"), action: str | None = typer.Option(None, "--action"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Analyst actions, newest first: who, what, when."""
    from analysts.audit import entry_as_dict, recent

    with _sessions()() as session:
        entries = [entry_as_dict(e) for e in recent(session, limit, action)]
    if as_json:
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    for e in entries:
        typer.echo(f"{e['at']}  {e['who']:<16} {e['role']:<8} {e['action']:<18} "
                   f"{json.dumps(e['details'], ensure_ascii=False)}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="analyst")

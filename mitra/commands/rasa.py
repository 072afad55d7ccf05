"""mitra rasa: export the catalog as a Rasa project, import analysts' Rasa data, run Rasa next to mitra."""
from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import typer

DEPARTMENT_HELP = "only this department's services (repeat for more; default: the whole catalog)"
app = typer.Typer(help="Rasa interoperability: export, import, and Rasa as a dialogue engine.", no_args_is_help=True)


@app.command("export")
def export_command(
    directory: Path = typer.Argument(..., help="where to write the Rasa project"),
    pipeline: str = typer.Option("mitra", "--pipeline", help="mitra (MitraRouter asks mitra) or diet (Rasa's own)"),
    mitra_url: str = typer.Option("http://127.0.0.1:8000", "--mitra-url", help="mitra's API, for the component"),
    diet_epochs: int = typer.Option(100, "--diet-epochs"),
    department: list[str] = typer.Option([], "--department", help=DEPARTMENT_HELP),
) -> None:
    """Write domain.yml, data/nlu.yml, data/rules.yml, config.yml, the component and the actions."""
    from analysts.review import labelled_examples
    from bot.rasa_export import ExportOptions, export_project
    from catalog.loader import load_catalog
    from core.settings import get_settings

    if pipeline not in ("mitra", "diet"):
        typer.echo(f"--pipeline must be 'mitra' or 'diet', not {pipeline!r}", err=True)
        raise typer.Exit(2)
    try:
        summary = export_project(load_catalog(), directory, ExportOptions(
            pipeline, mitra_url, diet_epochs, departments=tuple(department)), labelled_examples(get_settings()))
    except ValueError as exc:  # an unknown department
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {directory}: {summary.intents} intents, {summary.forms} forms, {summary.slots} slots, "
               f"{summary.examples} examples, {summary.rules} rules (export {summary.digest})")


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="a Rasa 3.x data/nlu.yml"),
    out: Path = typer.Option(Path("rasa_labels.jsonl"), "--out", help="labelled texts, JSON lines"),
    mapping: Path | None = typer.Option(None, "--map", help="YAML/JSON {rasa_intent: mitra intent}"),
) -> None:
    """Turn analysts' Rasa training data into mitra labelled data; unknown intents are listed."""
    import yaml

    from bot.rasa_import import RasaImportError, read_rasa_nlu, write_labelled
    from catalog.loader import load_catalog
    from core.yaml_files import read_yaml

    try:
        explicit = read_yaml(mapping) if mapping else {}
        result = read_rasa_nlu(file, load_catalog(), explicit or {})
    except (RasaImportError, OSError, yaml.YAMLError) as exc:
        typer.echo(f"cannot import {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    write_labelled(result, out)
    typer.echo(f"{len(result.labelled)} labelled texts from {len(result.mapped)} intents written to {out}")
    for rasa_intent, intent in sorted(result.mapped.items()):
        if rasa_intent != intent:
            typer.echo(f"  {rasa_intent} -> {intent}")
    if result.unknown:
        typer.echo("not imported (unknown intents; map them with --map):")
        for rasa_intent, count in sorted(result.unknown.items()):
            typer.echo(f"  {rasa_intent}: {count} examples")


@app.command("up")
def up_command(
    directory: Path = typer.Option(Path("var/rasa-project"), "--dir", help="the exported project"),
    mitra_url: str = typer.Option("http://127.0.0.1:8000", "--mitra-url"),
    port: int = typer.Option(5005, "--port"),
    actions_port: int = typer.Option(5055, "--actions-port"),
    department: list[str] = typer.Option([], "--department", help=DEPARTMENT_HELP),
) -> None:
    """Create Rasa's venv if needed, export, validate, train (cached) and serve Rasa + actions on loopback."""
    from analysts.review import labelled_examples
    from bot import rasa_runtime
    from bot.rasa_export import ExportOptions, export_project, only_departments
    from catalog.loader import load_catalog
    from core.settings import get_settings

    settings = get_settings()
    catalog = load_catalog()
    try:  # before Rasa's venv, which can take minutes to build
        only_departments(catalog, tuple(department))
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    token = _first_service_token()
    try:
        rasa_runtime.ensure_venv(say=typer.echo)
        summary = export_project(catalog, directory, ExportOptions(
            mitra_url=mitra_url, departments=tuple(department)), labelled_examples(settings))
        typer.echo(f"exported {directory} ({summary.digest}); validating and training (cached)...")
        model = rasa_runtime.train(directory, summary.digest)  # validated while it trains, when not cached
        servers = rasa_runtime.serve(directory, model, mitra_url, token, port, actions_port)
    except rasa_runtime.RasaUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps({"rasa": servers.url, "actions": servers.actions_url, "model": str(model)}))
    typer.echo("set MITRA_DIALOGUE_ENGINE=rasa and MITRA_RASA_URL to hand mitra's dialogue to it; Ctrl-C stops")
    # Ctrl-C and a service manager's SIGTERM stop both servers, also where SIGINT was inherited as ignored
    # (a shell's background job)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        while all(p.poll() is None for p in servers.processes):
            time.sleep(1)
        typer.echo(servers.log_tail(), err=True)
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def _first_service_token() -> str:
    from core.settings import get_settings

    tokens = get_settings().service_token_list
    if not tokens:
        typer.echo("note: MITRA_SERVICE_TOKENS is not set; Rasa's actions cannot submit applications", err=True)
    return tokens[0] if tokens else ""


def register(cli: typer.Typer) -> None:
    cli.add_typer(app, name="rasa")

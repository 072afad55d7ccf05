"""mitra catalog: list, show, validate, stats, export."""
from __future__ import annotations

import json
import sys
from collections import Counter

import typer

app = typer.Typer(help="Inspect and validate the service catalog.", no_args_is_help=True)


def _load():
    from catalog.loader import CatalogError, load_configured_catalog
    from core.settings import get_settings

    try:
        return load_configured_catalog(get_settings())
    except CatalogError as exc:
        typer.echo(f"catalog error: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command("validate")
def validate() -> None:
    """Load and validate every catalog file; exit 1 with the first problem."""
    cat = _load()
    typer.echo(f"ok: {len(cat.services)} services in {len(cat.departments)} departments "
               f"(catalog version {cat.version})")


@app.command("list")
def list_services(department: str | None = typer.Option(None, "--department", "-d",
                                                           help="department id, e.g. revenue")) -> None:
    """List services (id, menu path, English and Telugu names)."""
    cat = _load()
    if department and department not in cat.departments:
        typer.echo(f"unknown department {department!r}; known: {', '.join(sorted(cat.departments))}", err=True)
        raise typer.Exit(2)
    for dept in cat.departments_in_menu_order():
        if department and dept.id != department:
            continue
        for s in cat.by_department(dept.id):
            typer.echo(f"{s.menu_path[0]:>2}.{s.menu_path[1]:<2} {s.id:<45} {s.name.en} / {s.name.te}")


@app.command("show")
def show(service_id: str) -> None:
    """Show one service as JSON."""
    cat = _load()
    if service_id not in cat.services:
        typer.echo(f"unknown service id {service_id!r}", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(export_record(cat, cat.services[service_id]), ensure_ascii=False, indent=2))


@app.command("stats")
def stats() -> None:
    """Counts of services, departments, examples by language, outcomes."""
    cat = _load()
    langs = Counter(e.lang for s in cat.services.values() for e in s.examples)
    outcomes = Counter(s.outcome.value for s in cat.services.values())
    typer.echo(json.dumps({
        "services": len(cat.services),
        "departments": len(cat.departments),
        "examples": sum(langs.values()),
        "examples_by_language": dict(langs),
        "outcomes": dict(outcomes),
        "districts": len(cat.gazetteer.districts),
        "towns": len(cat.gazetteer.towns),
        "temples": len(cat.gazetteer.temples),
        "version": cat.version,
    }, ensure_ascii=False, indent=2))


@app.command("export")
def export(fmt: str = typer.Option("jsonl", "--format", help="only jsonl")) -> None:
    """Write one JSON object per service per line to stdout."""
    if fmt != "jsonl":
        typer.echo("only --format jsonl is supported", err=True)
        raise typer.Exit(2)
    cat = _load()
    for dept in cat.departments_in_menu_order():
        for s in cat.by_department(dept.id):
            sys.stdout.write(json.dumps(export_record(cat, s), ensure_ascii=False) + "\n")


def export_record(cat, s) -> dict:
    dept = cat.department_of(s)
    record = s.model_dump(mode="json")
    record["department"] = dept.id
    record["department_name"] = dept.name.model_dump()
    record["synonyms"] = s.synonyms.all()
    record["synonyms_by_language"] = s.synonyms.model_dump()
    record["menu_path"] = list(s.menu_path)
    return record

"""mitra departments: the simulated department store's seeded data (bills, timetables, slots, rooms)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import typer

app = typer.Typer(help="The simulated department store: seed its inventory, look a bill up.", no_args_is_help=True)


def _store():
    from core.db import init_db, make_session_factory
    from core.settings import get_settings
    from departments.simulated import SimulatedDepartments

    settings = get_settings()
    return SimulatedDepartments(make_session_factory(init_db(settings.sqlalchemy_url)), seed=settings.departments_seed)


@app.command()
def seed(days: int = typer.Option(7, min=1, max=90, help="days ahead, starting today"),
         towns: int = typer.Option(12, min=2, help="the first N bus towns of the gazetteer (all pairs)")) -> None:
    """Create the bookable inventory (buses between gazetteer towns, darshan/seva slots, rooms) for DAYS days."""
    from catalog.loader import load_gazetteer

    gazetteer = load_gazetteer()
    bus_towns = [t.id for t in gazetteer.towns if t.district][:towns]
    made = _store().seed_days(bus_towns, [t.id for t in gazetteer.temples], date.today(), days)
    typer.echo(f"seeded {made} offers over {days} days ({len(bus_towns)} towns, {len(gazetteer.temples)} temples)")


@app.command()
def bill(kind: str, identifier: str) -> None:
    """Show the bill the simulated store has for KIND (electricity, property_tax...) and IDENTIFIER."""
    from departments.wire import to_json

    try:
        typer.echo(json.dumps(to_json(_store().lookup_bill(kind, identifier)), ensure_ascii=False))
    except (ValueError, LookupError, RuntimeError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


@app.command()
def buses(from_town: str, to_town: str, days_ahead: int = typer.Option(1, min=0)) -> None:
    """The day's buses between two gazetteer towns (one JSON line each)."""
    from departments.wire import to_json

    for offer in _store().search_buses(from_town, to_town, date.today() + timedelta(days=days_ahead)):
        typer.echo(json.dumps(to_json(offer), ensure_ascii=False))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="departments")

"""The `mitra` command line. Each command group lives in mitra/commands/<group>.py and registers itself."""
from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from mitra.commands import (
    analyst,
    catalog,
    certificates,
    departments,
    evaluate,
    models,
    rasa,
    retention,
    route,
    serve,
    templates,
    train,
    transcribe,
    worker,
)

app = typer.Typer(help="mitra: Telugu/English citizen-services assistant.", no_args_is_help=True)
app.add_typer(catalog.app, name="catalog")
app.add_typer(models.app, name="models")
for module in (route, transcribe, serve, train, evaluate, certificates, rasa, analyst, worker, departments,
               retention, templates):
    module.register(app)


def main() -> None:
    """The `mitra` entry point: a bad setting in the environment is one line per setting, not a traceback."""
    try:
        app()
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        for error in exc.errors():
            name = "MITRA_" + "_".join(str(part) for part in error["loc"]).upper()
            print(f"invalid setting {name}={error['input']!r}: {error['msg']} (docs/configuration.md)",
                  file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

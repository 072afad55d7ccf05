"""The `mitra` command line. Each command group lives in mitra/commands/<group>.py and registers itself."""
from __future__ import annotations

import typer

from mitra.commands import (
    analyst,
    catalog,
    certificates,
    evaluate,
    models,
    rasa,
    route,
    serve,
    train,
    transcribe,
    worker,
)

app = typer.Typer(help="mitra: Telugu/English citizen-services assistant.", no_args_is_help=True)
app.add_typer(catalog.app, name="catalog")
app.add_typer(models.app, name="models")
for module in (route, transcribe, serve, train, evaluate, certificates, rasa, analyst, worker):
    module.register(app)

if __name__ == "__main__":
    app()

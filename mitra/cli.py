"""The `mitra` command line. Each command group lives in mitra/commands/<group>.py."""
from __future__ import annotations

import typer

from mitra.commands import catalog, models

app = typer.Typer(help="mitra: Telugu/English citizen-services assistant.", no_args_is_help=True)
app.add_typer(catalog.app, name="catalog")
app.add_typer(models.app, name="models")


def _register_optional() -> None:
    """Command modules built by later issues register themselves here once they exist."""
    import importlib

    for name in ("route", "transcribe", "serve", "train", "evaluate", "certificates", "rasa", "analyst",
                 "worker"):
        try:
            module = importlib.import_module(f"mitra.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"mitra.commands.{name}":
                raise
            continue
        module.register(app)


_register_optional()

if __name__ == "__main__":
    app()

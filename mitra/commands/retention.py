"""mitra retention run: delete old voice notes and mask old message text now (the worker also does it)."""
from __future__ import annotations

import typer

app = typer.Typer(help="Data retention (MITRA_RETENTION_AUDIO_DAYS, MITRA_RETENTION_TEXT_DAYS).",
                  no_args_is_help=True)


@app.command("run")
def run() -> None:
    """Apply the retention periods once and print the counts."""
    from core.db import init_db, make_session_factory
    from core.settings import get_settings
    from runtime.retention import apply_retention

    settings = get_settings()
    result = apply_retention(make_session_factory(init_db(settings.sqlalchemy_url)), settings)
    typer.echo(f"voice notes deleted: {result.audio_deleted}; messages masked: {result.messages_masked}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="retention")

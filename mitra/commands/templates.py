"""mitra templates export: the WhatsApp templates in the form Meta's template API takes."""
from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Approved WhatsApp message templates (runtime/templates.yaml).", no_args_is_help=True)


@app.command("export")
def export(out: Path | None = typer.Option(None, "--out", help="write here instead of standard output")) -> None:
    """One object per template and language, each the body of POST /{waba-id}/message_templates."""
    from runtime.templates import export_for_meta

    text = json.dumps(export_for_meta(), ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")


@app.command("list")
def list_templates() -> None:
    from runtime.templates import templates

    for t in templates().values():
        typer.echo(f"{t.name}\t{t.category}\t{', '.join(t.parameters)}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="templates")

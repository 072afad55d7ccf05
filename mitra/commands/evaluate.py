"""mitra eval: accuracy, macro F1, per-intent and per-language numbers, out-of-scope precision/recall."""
from __future__ import annotations

import json
from pathlib import Path

import typer


def load_eval_data(data: Path | None, text_col: str, label_col: str):
    from nlu.training_data import read_labelled_file

    if data is None:
        from nlu.promotion import heldout_examples

        return heldout_examples()
    return read_labelled_file(data, text_col, label_col)


def evaluate_version(model: str | None, examples, progress=None) -> dict:
    from catalog.loader import load_configured_catalog
    from core.settings import get_settings
    from nlu.evaluate import metrics, predict
    from nlu.router import Router

    settings = get_settings()
    router = Router.load(model, catalog=load_configured_catalog(settings), encoder_name=settings.embedding_model, threads=settings.inference_threads)
    result = metrics(predict(router, examples, progress=progress))
    result["model_version"] = router.version
    look_alikes = {tuple(pair) for pair in router.look_alikes().pairs()}
    result["look_alike_pairs"] = [list(pair) for pair in sorted(look_alikes)]
    for pair in result["confusable_pairs"]:
        pair["look_alike"] = tuple(sorted(pair["services"])) in look_alikes
    return result


def eval_command(
    model: str | None = typer.Option(None, "--model", help="version or model directory (default: promoted)"),
    data: Path | None = typer.Option(None, "--data", help="labelled CSV/JSON lines (default: the held-out set)"),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("label", "--label-col"),
    against: str | None = typer.Option(None, "--against", help="a second version to compare on the same data"),
    as_json: bool = typer.Option(False, "--json", help="print the metrics as one JSON object"),
    report: Path | None = typer.Option(None, "--report", help="write an HTML report with a confusion matrix"),
) -> None:
    """Evaluate a model version on labelled data."""
    examples = load_eval_data(data, text_col, label_col)
    first = evaluate_version(model, examples)
    second = evaluate_version(against, examples) if against else None
    if as_json:
        typer.echo(json.dumps(first if second is None else {"model": first, "against": second},
                              ensure_ascii=False, indent=2))
    else:
        typer.echo(format_table(first, second))
    if report is not None:
        from nlu.report import write_html_report

        write_html_report(report, first, second)
        typer.echo(f"report written to {report}")


def format_table(first: dict, second: dict | None = None) -> str:
    cols = [first] + ([second] if second else [])
    header = f"{'metric':<28}" + "".join(f"{c['model_version']:>26}" for c in cols)
    lines = [header, "-" * len(header)]

    def add(name, values):
        lines.append(f"{name:<28}" + "".join(f"{_fmt(v):>26}" for v in values))

    add("examples", [c["n"] for c in cols])
    add("accuracy (top-1)", [c["accuracy"] for c in cols])
    add("top-3 accuracy", [c["top3_accuracy"] for c in cols])
    add("macro F1", [c["macro_f1"] for c in cols])
    add("out-of-scope precision", [c["oos_precision"] for c in cols])
    add("out-of-scope recall", [c["oos_recall"] for c in cols])
    for lang in sorted(first["per_language"]):
        add(f"{lang or '?'} top-1 (n={first['per_language'][lang]['n']})",
            [c["per_language"].get(lang, {}).get("top1") for c in cols])
        add(f"{lang or '?'} top-3", [c["per_language"].get(lang, {}).get("top3") for c in cols])
    lines.append("")
    lines.append("most frequent confusions (gold -> predicted):")
    for item in first["confusions"][:10]:
        lines.append(f"  {item['count']:>3}  {item['gold']} -> {item['predicted']}")
    lines.append("")
    lines.append("confusable pairs (either way; clarified = asked, right one offered):")
    for item in first.get("confusable_pairs", [])[:10]:
        a, b = item["services"]
        lines.append(f"  {item['count']:>3}  {a} <-> {b}  (clarified {item['clarified']}, "
                     f"wrong guess {item['guessed_wrong']}{', look-alike' if item.get('look_alike') else ''})")
    if "look_alike_pairs" in first:
        lines.append("")
        lines.append(f"look-alike pairs the router asks about instead of guessing: {len(first['look_alike_pairs'])}")
        for a, b in first["look_alike_pairs"][:40]:
            lines.append(f"  {a} <-> {b}")
    worst = sorted(first["per_label"].items(), key=lambda kv: kv[1]["f1"])[:10]
    lines.append("")
    lines.append(f"{'weakest intents':<48}{'precision':>10}{'recall':>10}{'f1':>8}{'n':>6}")
    for label, m in worst:
        lines.append(f"  {label:<46}{m['precision']:>10}{m['recall']:>10}{m['f1']:>8}{m['support']:>6}")
    return "\n".join(lines)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)

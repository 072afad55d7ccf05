"""An HTML evaluation report with a confusion-matrix plot, for analysts."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def confusion_png(result: dict, max_labels: int = 40) -> bytes:
    """The most-confused intents (rows gold, columns predicted) as a PNG."""
    pairs = result["confusions"]
    labels = sorted({p["gold"] for p in pairs} | {p["predicted"] for p in pairs})[:max_labels]
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)))
    for p in pairs:
        if p["gold"] in index and p["predicted"] in index:
            matrix[index[p["gold"]], index[p["predicted"]]] = p["count"]
    size = max(4, len(labels) * 0.35)
    fig, ax = plt.subplots(figsize=(size + 2, size + 1))
    ax.imshow(matrix, cmap="Reds")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"confusions, model {result['model_version']}")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def write_html_report(path: Path, first: dict, second: dict | None = None) -> None:
    sections = [_section(first)] + ([_section(second)] if second else [])
    Path(path).write_text(
        "<!doctype html><meta charset='utf-8'><title>mitra evaluation</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child{text-align:left}"
        ".cols{display:flex;gap:3em}</style><h1>mitra evaluation</h1><div class=cols>"
        + "".join(sections) + "</div>",
        encoding="utf-8",
    )


def _section(result: dict) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(k)}</td><td>{e(str(result[k]))}</td></tr>"
        for k in ("n", "accuracy", "top3_accuracy", "macro_f1", "oos_precision", "oos_recall")
    )
    langs = "".join(
        f"<tr><td>{e(lang or '?')}</td><td>{m['n']}</td><td>{m['top1']}</td><td>{m['top3']}</td></tr>"
        for lang, m in result["per_language"].items()
    )
    labels = "".join(
        f"<tr><td>{e(label)}</td><td>{m['precision']}</td><td>{m['recall']}</td><td>{m['f1']}</td>"
        f"<td>{m['support']}</td></tr>"
        for label, m in sorted(result["per_label"].items(), key=lambda kv: kv[1]["f1"])
    )
    pairs = "".join(
        f"<tr><td>{e(p['services'][0])} ↔ {e(p['services'][1])}</td><td>{p['count']}</td>"
        f"<td>{p['clarified']}</td><td>{p['guessed_wrong']}</td></tr>"
        for p in result.get("confusable_pairs", [])
    )
    image = base64.b64encode(confusion_png(result)).decode()
    return (
        f"<section><h2>model {e(result['model_version'])}</h2><table>{rows}</table>"
        f"<h3>per language</h3><table><tr><th>language</th><th>n</th><th>top-1</th><th>top-3</th></tr>{langs}</table>"
        f"<h3>confusable pairs</h3><table><tr><th>services</th><th>confused</th><th>clarified</th>"
        f"<th>wrong guess</th></tr>{pairs}</table>"
        f"<h3>confusion matrix</h3><img alt='confusion matrix' src='data:image/png;base64,{image}'>"
        f"<h3>per intent</h3><table><tr><th>intent</th><th>precision</th><th>recall</th><th>f1</th><th>n</th></tr>"
        f"{labels}</table></section>"
    )

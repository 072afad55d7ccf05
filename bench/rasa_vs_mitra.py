"""Rasa (default DIET pipeline, trained on the exported nlu.yml) against mitra's router on the held-out set.

Top-1 accuracy per language tag and request latency of Rasa's POST /model/parse against mitra's
POST /v1/route, both over HTTP on 127.0.0.1, one request at a time.

    .venv/bin/python bench/rasa_vs_mitra.py [--epochs 100] [--data tests/data/route_heldout.jsonl]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from core.settings import ROOT

HELDOUT = ROOT / "tests" / "data" / "route_heldout.jsonl"
SKIP = {"nlu_fallback"}


def start_mitra_api(models_root: Path, data_dir: Path) -> tuple[str, object]:
    import uvicorn

    from api.app import create_app
    from bot.rasa_runtime import free_port
    from core.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir, models_dir=models_root, secret_key="bench")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, run_worker=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    return f"http://127.0.0.1:{port}", server


def top_intent(names: list[str]) -> str:
    return next((n for n in names if n not in SKIP), "")


def timed_post(client: httpx.Client, url: str, text: str) -> tuple[dict, float]:
    start = time.perf_counter()
    response = client.post(url, json={"text": text})
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return response.json(), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HELDOUT)
    parser.add_argument("--epochs", type=int, default=100, help="DIET epochs (Rasa's default is 100)")
    parser.add_argument("--train-timeout", type=float, default=3600, help="seconds rasa train may take")
    parser.add_argument("--models-root", type=Path, default=None, help="mitra's model store (default: settings)")
    args = parser.parse_args()

    from bot import rasa_runtime
    from bot.rasa_export import ExportOptions, export_project
    from catalog.loader import load_catalog
    from core.settings import get_settings

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rasa_runtime.ensure_venv()
    work = Path(tempfile.mkdtemp(prefix="rasa-bench-"))
    summary = export_project(load_catalog(), work / "project", ExportOptions(pipeline="diet", diet_epochs=args.epochs))
    started = time.monotonic()
    model = rasa_runtime.train(summary.directory, summary.digest, timeout_s=args.train_timeout)
    print(f"Rasa model {model.name}: ready in {time.monotonic() - started:.0f}s (0 when cached)", flush=True)

    mitra_url, mitra_server = start_mitra_api(args.models_root or get_settings().model_root, work)
    servers = rasa_runtime.serve(summary.directory, model, mitra_url, "")
    results: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    try:
        with httpx.Client(timeout=60) as client:
            for row in rows[:3]:  # warm both (first requests load lazily)
                timed_post(client, f"{servers.url}/model/parse", row["text"])
                timed_post(client, f"{mitra_url}/v1/route", row["text"])
            for row in rows:
                parsed, rasa_ms = timed_post(client, f"{servers.url}/model/parse", row["text"])
                routed, mitra_ms = timed_post(client, f"{mitra_url}/v1/route", row["text"])
                rasa_top = top_intent([parsed["intent"]["name"]] + [r["name"] for r in parsed.get("intent_ranking", [])])
                for lang in (row["lang"], "all"):
                    bucket = results[lang]
                    bucket["rasa_ok"].append(rasa_top == row["intent"])
                    bucket["mitra_ok"].append(routed["intent"] == row["intent"])
                    bucket["rasa_ms"].append(rasa_ms)
                    bucket["mitra_ms"].append(mitra_ms)
    finally:
        servers.stop()
        mitra_server.should_exit = True
    print_table(results)


def print_table(results: dict) -> None:
    print("| language | n | Rasa DIET top-1 | mitra top-1 | Rasa /model/parse p50 / p95 ms | mitra /v1/route p50 / p95 ms |")
    print("|---|---|---|---|---|---|")
    for lang in sorted(results, key=lambda k: (k == "all", k)):
        b = results[lang]
        print(f"| {lang} | {len(b['rasa_ok'])} | {share(b['rasa_ok'])} | {share(b['mitra_ok'])} | "
              f"{pct(b['rasa_ms'], 50)} / {pct(b['rasa_ms'], 95)} | {pct(b['mitra_ms'], 50)} / {pct(b['mitra_ms'], 95)} |")


def share(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.3f}"


def pct(values: list[float], q: int) -> str:
    return f"{statistics.quantiles(values, n=100)[q - 1]:.1f}"


if __name__ == "__main__":
    main()

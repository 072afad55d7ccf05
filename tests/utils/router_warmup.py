"""The test router, trained in the background while the tests that do not need it run first.

Training it from nothing takes minutes (tests/conftest.py orders the tests that need it after the others); the
`router` fixture takes the same lock (`nlu.router.bootstrap_model`) and finds the model trained, or waits for
it. If the warm-up fails, the fixture trains the router itself and fails with the reason."""
from __future__ import annotations

import signal
import sys

if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    from catalog.loader import load_catalog
    from tests.conftest import trained_router

    print("trained:", trained_router(load_catalog()).version, flush=True)

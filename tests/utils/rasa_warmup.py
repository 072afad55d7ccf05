"""Rasa's environment and the model for the catalog's export, made in the background while other tests run.

Building Rasa's venv and training a new export take minutes of mostly one core, while most of the suite keeps
only one of this machine's cores busy. tests/rasa and the smoke test's `mitra rasa up` take the same locks
(`bot.rasa_runtime`) and find the venv and the model ready, or wait for them. The warm-up runs at a lower
priority, so the tests' own processes come first; if it fails, the Rasa tests do the work again and fail
with the reason."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.utils import background

# The departments whose services tests/rasa and the smoke test's `mitra rasa up` speak to (the caste certificate,
# the CM relief fund's status, mitra's own references): Rasa trains on them in seconds, on the whole catalog in
# about 8 minutes of one core; tests/rasa/test_training.py has Rasa validate the whole catalog's export
DEPARTMENTS = ("core", "revenue", "cmrf")


def export(catalog, directory: Path):
    """The project tests/rasa train and serve: the warm-up trains the same one (same hash), or it trains in vain."""
    from bot.rasa_export import ExportOptions, export_project

    return export_project(catalog, directory, ExportOptions(departments=DEPARTMENTS))


def start(root: Path, log: Path) -> subprocess.Popen | None:
    return None if os.environ.get("MITRA_SKIP_RASA") else background.start("tests.utils.rasa_warmup", root, log)


def main() -> None:
    from bot import rasa_runtime
    from bot.rasa_export import export_project
    from catalog.loader import load_catalog

    os.nice(10)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the scratch export is removed on the way out
    if not rasa_runtime.venv_ready() and rasa_runtime.find_python310() is None:
        print("no Python 3.10 here: nothing to warm up")
        return
    rasa_runtime.ensure_venv()
    with tempfile.TemporaryDirectory() as scratch:
        catalog = load_catalog()
        exported = export(catalog, Path(scratch) / "rasa-project")
        print("trained:", rasa_runtime.train(exported.directory, exported.digest), flush=True)
        whole = export_project(catalog, Path(scratch) / "whole-catalog")  # tests/rasa/test_training.py's
        rasa_runtime.validated(whole.directory, whole.digest)
        print("validated the whole catalog's export:", whole.digest, flush=True)


if __name__ == "__main__":
    main()

"""A warm-up module run beside the tests (python -m MODULE), its output in a log, stopped with the session."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


def start(module: str, root: Path, log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        # its own process group, to be stopped whole; not its own session: Linux gives each session an equal
        # share of the CPU (autogroup), whatever its processes' nice value
        return subprocess.Popen([sys.executable, "-m", module], cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                process_group=0)


def stop(process: subprocess.Popen | None) -> None:
    """End the warm-up and the processes under it (a run cut short leaves no training behind)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)

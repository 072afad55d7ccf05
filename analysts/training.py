"""Training from the analyst page: one background thread at a time, its progress polled by the page.

The job trains what `mitra train` trains (catalog examples, meta intents and every analyst label) and
reuses the running router's encoder, so nothing is loaded twice.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from nlu.model_store import ModelStore
from nlu.router import train_version

log = logging.getLogger(__name__)


def train_new_version(store: ModelStore, catalog, labelled: list, *, encoder_name: str, created_by: str,
                      encoder=None, threads: int = 1, folds: int = 4, progress=None) -> str:
    """Train on the catalog plus `labelled` texts, save it as a new version in `store`, return its name."""
    return train_version(store, catalog, labelled, encoder_name=encoder_name, threads=threads, folds=folds,
                         created_by=created_by, encoder=encoder, progress=progress).manifest.version


@dataclass
class JobState:
    status: str = "idle"  # idle | running | done | failed
    started_by: str = ""
    stage: str = ""
    done: int = 0
    total: int = 0
    version: str | None = None
    error: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    stages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class TrainingJob:
    """Runs `work(progress) -> version` in a thread; refuses a second one while the first runs."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state = JobState()
        self._thread: threading.Thread | None = None

    def state(self) -> dict:
        with self._lock:
            return self._state.as_dict()

    def start(self, work, started_by: str, on_done=None) -> bool:
        with self._lock:
            if self._state.status == "running":
                return False
            self._state = JobState(status="running", started_by=started_by, started_at=time.time())
        self._thread = threading.Thread(target=self._run, args=(work, on_done), name="mitra-training", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            if stage not in self._state.stages:
                self._state.stages.append(stage)
            self._state.stage, self._state.done, self._state.total = stage, done, total

    def _run(self, work, on_done) -> None:
        try:
            version = work(self._progress)
        except Exception as exc:  # the page shows why; the service keeps running
            log.exception("training failed")
            with self._lock:
                self._state.status, self._state.error = "failed", f"{type(exc).__name__}: {exc}"
                self._state.finished_at = time.time()
            return
        with self._lock:
            self._state.status, self._state.version, self._state.finished_at = "done", version, time.time()
        if on_done is not None:
            on_done(version)

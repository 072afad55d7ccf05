"""Switch a running process to a newly promoted routing model, without a restart."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def reload_router(services) -> bool:
    """Switch a loaded router to the promoted version; a router not loaded yet will load it anyway."""
    loaded = services._router
    if loaded is None:
        return False
    try:
        return loaded.reload_if_promoted_changed()
    except Exception:  # a half-written version must not stop the service: try again next time
        log.exception("could not switch to the promoted model version")
        return False


class PromotionWatcher:
    """A daemon thread that looks for a new promotion every `settings.model_reload_interval_s`."""

    def __init__(self, services):
        self.services = services
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mitra-model-reload", daemon=True)

    def start(self) -> PromotionWatcher:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.wait(self.services.settings.model_reload_interval_s):
            if reload_router(self.services):
                log.info("switched to promoted model version %s", self.services._router.version)

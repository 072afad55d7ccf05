"""Switch a running process to a newly promoted routing model, and its catalog with it, without a restart."""
from __future__ import annotations

import json
import logging
import threading

log = logging.getLogger(__name__)


def reload_router(services) -> bool:
    """Switch a loaded router to the promoted version; a router not loaded yet will load it anyway.

    A version trained on another catalog version brings that catalog in with it (read from
    `settings.catalog_dir`): catalog and model are swapped as one pair, never one without the other.
    """
    loaded = services._router
    if loaded is None or loaded.store is None:
        return False
    try:
        promoted = loaded.store.promoted()
        if promoted is None or promoted == loaded.version:
            return False
        wanted = _catalog_version_of(loaded.store, promoted)
        if not wanted or wanted == services.catalog.version:
            return loaded.reload_if_promoted_changed()
        return _switch_catalog_and_model(services, loaded, promoted, wanted)
    except Exception:  # a half-written version or catalog must not stop the service: try again next time
        log.exception("could not switch to the promoted model version")
        return False


def _catalog_version_of(store, version: str) -> str:
    from nlu.model import Manifest

    manifest = json.loads((store.path_of(version) / "manifest.json").read_text())
    return Manifest.from_dict(manifest).catalog_version or ""


def _switch_catalog_and_model(services, loaded, promoted: str, wanted: str) -> bool:
    from catalog.loader import load_configured_catalog
    from nlu.model import IntentModel
    from nlu.router import Router

    catalog = load_configured_catalog(services.settings)
    if catalog.version != wanted:
        log.warning("promoted model %s was trained on catalog %s but %s holds catalog %s; keeping %s "
                    "until they match (train on the catalog as it is now)", promoted, wanted,
                    services.settings.catalog_dir or "the bundled catalog", catalog.version, loaded.version)
        return False
    model = IntentModel.load(loaded.store.path_of(promoted), encoder=loaded.model.encoder,
                             threads=services.settings.inference_threads)
    services.switch_catalog(catalog, Router(model, catalog, loaded.store))
    log.info("catalog %s (%d services) now served with model %s", catalog.version, len(catalog.services), promoted)
    return True


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

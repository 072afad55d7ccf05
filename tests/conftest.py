"""Fixtures shared by every test area. Area-specific fixtures live in tests/<area>/conftest.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never reach a model hub: everything comes from packages or paths.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Trained test routers live outside the repository, keyed by what they are built from, so every clone of the
# repository (CI's included) reuses one instead of spending minutes training it again.
TEST_CACHE = Path(os.environ.get("MITRA_TEST_CACHE", Path.home() / ".cache" / "mitra" / "test-cache"))


_WARMUPS = pytest.StashKey()  # the warm-ups' processes, for the session's end


def pytest_collection_modifyitems(session, config, items):
    """Tests that need nothing slow to build come first, then those that need the test router (trained in the
    background meanwhile), then Rasa's (whose venv and model take longest); a module stays together."""
    stage: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        stage[module] = max(stage.get(module, 0), _stage(item))
    items.sort(key=lambda item: stage[item.nodeid.split("::")[0]])


def _stage(item) -> int:
    return 2 if item.get_closest_marker("rasa") else 1 if "router" in item.fixturenames else 0


def pytest_collection_finish(session):
    """Start what the selected tests will wait for: the test router (tests/utils/router_warmup.py) if it is not
    trained yet, and Rasa's venv and model (tests/utils/rasa_warmup.py)."""
    from catalog.loader import load_catalog
    from tests.utils import background, rasa_warmup

    if session.config.option.collectonly:
        return
    root, warmups = Path(__file__).parent.parent, []
    if any(_stage(item) == 1 for item in session.items) and not _router_trained(load_catalog()):
        warmups.append(background.start("tests.utils.router_warmup", root, TEST_CACHE / "router-warmup.log"))
    if any(_stage(item) == 2 for item in session.items):
        warmups.append(rasa_warmup.start(root, TEST_CACHE / "rasa-warmup.log"))
    session.config.stash[_WARMUPS] = warmups


def pytest_sessionfinish(session):
    from tests.utils import background

    for warmup in session.config.stash.get(_WARMUPS, []):
        background.stop(warmup)


@pytest.fixture(scope="session")
def catalog():
    from catalog.loader import load_catalog

    return load_catalog()


def router_cache_dir(catalog) -> Path:
    """Where the router trained from this catalog and this code is cached (benches reuse it too)."""
    return TEST_CACHE / f"router-{_router_cache_key(catalog)}"


def _router_cache_key(catalog) -> str:
    """Catalog version plus the code and data the model is built from, so a change retrains."""
    import hashlib

    import nlu

    digest = hashlib.sha256(catalog.version.encode())
    root = Path(nlu.__file__).parent
    for path in sorted([*root.glob("*.py"), *(root / "data").glob("*")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def router(catalog):
    """The real router, trained from this catalog once and cached under TEST_CACHE for later runs."""
    return trained_router(catalog)


def trained_router(catalog):
    """The router for this catalog from the cache, trained first if it is not there yet (by one process: the
    others wait on the model store's lock)."""
    import fcntl

    from nlu.router import Router

    root = router_cache_dir(catalog)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".bootstrap.lock", "w") as lock:  # nlu.router.bootstrap_model's lock: one copy at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        seed_embedding_cache(root)
    return Router.load(catalog=catalog, models_root=root)


def _router_trained(catalog) -> bool:
    from nlu.model_store import ModelStore

    return ModelStore(router_cache_dir(catalog)).promoted() is not None


def seed_embedding_cache(models_root: Path) -> None:
    """Give a new models root the embeddings an earlier test router computed (keyed by encoder and text), so
    training after a catalog change embeds only the texts that changed."""
    import sqlite3
    from contextlib import closing

    target = models_root / "embedding-cache.sqlite"
    earlier = sorted(TEST_CACHE.glob("router-*/embedding-cache.sqlite"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and earlier:
        # SQLite's own copy: the cache is in WAL mode, and a copy of the file alone misses what its WAL holds
        with closing(sqlite3.connect(earlier[-1])) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)


@pytest.fixture(scope="session")
def router_models_root(router):
    """A models root holding a promoted, trained model (for tests that start `mitra serve`)."""
    return router.store.root


@pytest.fixture(scope="session")
def api_models_root(router_models_root):
    return router_models_root


@pytest.fixture(scope="session")
def api_router(router):
    return router


@pytest.fixture(scope="session")
def api_transcriber():
    """The bundled Whisper base through faster-whisper, loaded once per session."""
    from voice.transcriber import load_transcriber

    return load_transcriber("faster-whisper", "base")


@pytest.fixture(scope="session")
def caste_voice_note() -> bytes:
    """An OGG/Opus voice note, spoken by espeak-ng: "I need a caste certificate"."""
    from voice.espeak import espeak_available, voice_note

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (make system-deps)")
    return voice_note("I need a caste certificate", voice="en", fmt="ogg")

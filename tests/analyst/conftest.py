"""Analyst fixtures: a fresh database and model store per test, seeded with the shared cached router's version,
and an encoder that remembers embeddings so retraining in a test costs seconds, not minutes."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from core.settings import Settings

ANALYST_TOKEN = "analyst-token-0123456789"
ADMIN_TOKEN = "admin-token-0123456789ab"
TOKENS = f"{ANALYST_TOKEN}:asha:analyst,{ADMIN_TOKEN}:kiran:admin"


class RememberingEncoder:
    """The real encoder, asked only once per distinct text (texts are normalized before they get here)."""

    def __init__(self, encoder):
        self.inner = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self.seen: dict[str, np.ndarray] = {}

    def remember(self, texts: list[str], vectors: np.ndarray) -> None:
        self.seen.update(zip(texts, vectors))

    def encode(self, sentences: list[str], *, batch_size: int = 32) -> np.ndarray:
        missing = list(dict.fromkeys(s for s in sentences if s not in self.seen))
        if missing:
            self.remember(missing, self.inner.encode(missing, batch_size=batch_size))
        return np.stack([self.seen[s] for s in sentences]).astype(np.float32) if sentences else \
            np.zeros((0, self.dim), dtype=np.float32)


@pytest.fixture(scope="session")
def encoder(router, catalog):
    """Seeded with the vectors of the catalog's training texts, read back from the cached model's index."""
    from nlu.normalize import normalize
    from nlu.router import default_examples
    from nlu.training_data import data_hash

    remembering = RememberingEncoder(router.model.encoder)
    examples = default_examples(catalog)
    index = router.model.index
    if data_hash(examples) == router.model.manifest.data_hash and index.ntotal == len(examples):
        remembering.remember([normalize(e.text) for e in examples], index.reconstruct_n(0, index.ntotal))
    return remembering


@pytest.fixture
def models_root(tmp_path, router):
    """A model store holding (and promoting) a copy of the shared router's version."""
    from nlu.model_store import ModelStore

    root = tmp_path / "models"
    store = ModelStore(root)
    shutil.copytree(router.store.path_of(router.version), store.versions_dir / router.version)
    store.promote(router.version, by="test")
    return root


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, models_dir=tmp_path / "models", secret_key="test-secret-key",
                    analyst_tokens=TOKENS, public_base_url="http://127.0.0.1:8000")


@pytest.fixture
def sessions(settings):
    from core.db import init_db, make_session_factory

    return make_session_factory(init_db(settings.sqlalchemy_url))


@pytest.fixture
def serving_router(models_root, catalog, encoder):
    """A router on the test's own store, as the running service would hold it."""
    from nlu.model import IntentModel
    from nlu.model_store import ModelStore
    from nlu.router import Router

    store = ModelStore(models_root)
    return Router(IntentModel.load(store.resolve(None), encoder=encoder), catalog, store)


@pytest.fixture
def make_bot(catalog, sessions, settings):
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot

    def build(router):
        return Bot(catalog, router, sessions, EmbeddedConnector.for_catalog(sessions, catalog, settings), settings)
    return build

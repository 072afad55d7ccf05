"""Bot fixtures: a real SQLite file per test, the real catalog, a clock tests move by hand."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from applications.connectors import EmbeddedConnector
from bot.engine import Bot
from core.db import init_db, make_session_factory
from core.settings import Settings


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 2, 10, 30)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(tmp_path):
    return Settings(secret_key="test-secret", public_base_url="http://127.0.0.1:8765", data_dir=tmp_path)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'core.db'}"


@pytest.fixture
def sessions(db_url):
    engine = init_db(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this session, migrated once (skips when none is reachable)."""
    from tests.scale.services import postgres_database

    with postgres_database("mitra_bot") as url:
        init_db(url).dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sqlite_and_postgres_url(request, tmp_path):
    """Run a test on a SQLite file and on an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'core.db'}"
    from tests.scale.services import truncate_all

    url = request.getfixturevalue("postgres_url")
    truncate_all(url)
    return url


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def connector(sessions, catalog, settings):
    return EmbeddedConnector.for_catalog(sessions, catalog, settings)


@pytest.fixture
def make_bot(catalog, sessions, connector, settings, clock):
    def build(router=None) -> Bot:
        return Bot(catalog, router, sessions, connector, settings, clock=clock)
    return build

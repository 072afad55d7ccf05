"""Scale-out fixtures: PostgreSQL, a private Redis, RabbitMQ, the fake Graph server and the reference script."""
from __future__ import annotations

import pytest

from tests.fakes.graph_server import GraphServer
from tests.scale.services import RedisServer, postgres_database, require_rabbitmq, truncate_all


@pytest.fixture(scope="session")
def scale_postgres():
    """One fresh PostgreSQL database for the session, migrated once; tests empty it with `pg_url`."""
    from core.db import init_db

    with postgres_database("mitra_scale") as url:
        init_db(url).dispose()
        yield url


@pytest.fixture
def pg_url(scale_postgres):
    truncate_all(scale_postgres)
    return scale_postgres


@pytest.fixture
def pg_sessions(pg_url):
    from core.db import make_engine, make_session_factory

    engine = make_engine(pg_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def rabbitmq_url():
    return require_rabbitmq()


@pytest.fixture
def graph_server():
    with GraphServer() as server:
        yield server


@pytest.fixture(scope="session")
def reference_script(router, catalog, tmp_path_factory):
    """The caste-certificate journey, worked out once against the bot in this process (SQLite)."""
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot
    from core.db import init_db, make_session_factory
    from core.settings import Settings
    from tests.scale.journeys import caste_certificate_script

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("reference"), secret_key="test-secret-key")
    sessions = make_session_factory(init_db(settings.sqlalchemy_url))
    bot = Bot(catalog, router, sessions, EmbeddedConnector.for_catalog(sessions, catalog, settings), settings)
    return caste_certificate_script(bot, catalog)

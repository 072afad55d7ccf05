"""Persistence: migrations build the schema the models describe, SQLite is tuned, numbers are sealed."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from core.db import Base, InboxItem, Vault, VaultError, init_db, make_session_factory


def _script_head() -> str:
    from alembic.script import ScriptDirectory

    from core.db.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_init_db_creates_every_table_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # migrations must be found from any working directory
    url = f"sqlite:///{tmp_path / 'nested' / 'core.db'}"
    engine = init_db(url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    init_db(url)  # a second run changes nothing and does not fail
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == _script_head()


def test_migrations_match_the_models(tmp_path):
    engine = init_db(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    engine = init_db(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_inbox_refuses_a_second_row_for_the_same_whatsapp_message(tmp_path):
    sessions = make_session_factory(init_db(f"sqlite:///{tmp_path / 'i.db'}"))
    vault = Vault("k")
    with sessions.begin() as s:
        s.add(InboxItem(wa_message_id="wamid.1", citizen_hash=vault.lookup_hash("919800000001"),
                        payload=vault.seal_json({"text": "hi"})))
    with pytest.raises(IntegrityError), sessions.begin() as s:
        s.add(InboxItem(wa_message_id="wamid.1", citizen_hash="x", payload="{}"))


def test_vault_round_trips_and_rejects_another_key():
    vault = Vault("secret-one")
    sealed = vault.seal("919876543210")
    assert "9876543210" not in sealed
    assert vault.open(sealed) == "919876543210"
    assert vault.open_json(vault.seal_json({"a": "ఆధార్"})) == {"a": "ఆధార్"}
    assert vault.lookup_hash("919876543210") == Vault("secret-one").lookup_hash("919876543210")
    assert vault.lookup_hash("919876543210") != Vault("secret-two").lookup_hash("919876543210")
    with pytest.raises(VaultError):
        Vault("secret-two").open(sealed)
    with pytest.raises(ValueError):
        Vault("")


"""PostgreSQL as the production store: the same Alembic migrations build exactly the models' schema, and the
durable inbox hands each row to one of many concurrent claimers, in order per citizen."""
from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import (
    Base,
    Vault,
    init_db,
    make_engine,
    review_models,  # noqa: F401 - its tables belong to the schema too
)
from runtime.inbox import Inbox
from whatsapp.webhook_payload import InboundMessage

pytestmark = pytest.mark.postgres


def test_migrations_build_the_models_schema_on_postgres(scale_postgres):
    init_db(scale_postgres).dispose()  # a second run on a migrated database changes nothing
    engine = make_engine(scale_postgres)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def test_concurrent_claims_take_each_row_once_and_each_citizen_in_order(pg_sessions):
    inbox = Inbox(pg_sessions, Vault("test-secret-key"))
    citizens, per_citizen = 6, 8
    for n in range(per_citizen):
        for c in range(citizens):
            assert inbox.store(InboundMessage(f"wamid.PG.{c}.{n}", f"9197{c:08d}", 0, "text", text=str(n)))
    handled: list[tuple[str, int]] = []
    lock = threading.Lock()

    def claimer():
        while True:
            claimed = inbox.claim_next(lock_seconds=60)
            if claimed is None:
                with lock:
                    if len(handled) == citizens * per_citizen:
                        return
                continue
            with lock:
                handled.append((claimed.message.wa_id, int(claimed.message.text)))
            inbox.mark_done(claimed.row_id)

    threads = [threading.Thread(target=claimer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(handled) == len(set(handled)) == citizens * per_citizen
    for c in range(citizens):
        assert [n for wa, n in handled if wa == f"9197{c:08d}"] == list(range(per_citizen))
    assert inbox.counts() == {"done": citizens * per_citizen}

"""The migrations build exactly the tables the models declare (what `alembic revision --autogenerate` compares)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import Base, init_db


def test_migrated_schema_has_no_difference_from_the_models(tmp_path):
    engine = init_db(f"sqlite:///{tmp_path / 'schema.db'}")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], differences


def test_every_table_module_is_registered():
    assert {"review_items", "audit_log", "citizens", "applications"} <= set(Base.metadata.tables)

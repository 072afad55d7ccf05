"""Leave no erased value readable on disk after "delete my data" (DPDP erasure).

A DELETE or UPDATE only marks the old row version dead: SQLite keeps it in free pages and the WAL, PostgreSQL in
the table's data file (MVCC) until the space is reused. Plain VACUUM on PostgreSQL makes the space reusable but
does not wipe it (measured: a deleted value at the start of a page's tuple area is still in the page afterwards),
so the tables an erasure touched are rewritten with VACUUM FULL, which copies the live rows into new files and
truncates the old ones (indexes and TOAST included). VACUUM FULL locks each table while it is rewritten: on a
large deployment, schedule erasures' compaction in quiet hours or partition the big tables. A row still visible
to a transaction open elsewhere at that moment cannot be removed by any VACUUM: such a transaction should not
exist for long, and the test checks the pages after the erasure. The WAL and backups age out on their own
schedule (configure archive retention accordingly).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Engine


def compact_after_erasure(engine: Engine, tables: Iterable[str]) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in dict.fromkeys(tables):  # VACUUM cannot run inside a transaction block
                conn.exec_driver_sql(f"VACUUM (FULL) {quote(table)}")

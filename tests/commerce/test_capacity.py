"""Capacity under concurrent citizens, on SQLite and PostgreSQL: never oversold, no seat twice; holds expire."""
from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from core.db import init_db, make_session_factory
from core.db.commerce_models import Seat
from departments import HoldExpired, SoldOut
from departments.simulated import SimulatedDepartments

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
DAY = date(2030, 1, 15)


@pytest.fixture
def postgres_url():
    """A database of its own on the local PostgreSQL (the shared `test` database is left alone)."""
    from sqlalchemy import create_engine

    name = f"commerce_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: not here
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {exc.__class__.__name__}")
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def departments(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'capacity.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = init_db(url)
    yield SimulatedDepartments(make_session_factory(engine))
    engine.dispose()


def _parallel(count: int, action) -> list:
    results, barrier = [None] * count, threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            results[i] = exc
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_citizens_never_exceed_capacity(departments):
    offer = departments.search_slots("tirumala_venkateswara", DAY, "seva", "abhishekam")[0]  # 40 places
    results = _parallel(24, lambda i: departments.hold([offer.resource_key], 2, f"citizen:{i}", 20))
    held = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(held) == offer.capacity // 2 and all(isinstance(r, SoldOut) for r in refused), refused
    seats = [s for r in held for s in r.seats]
    assert len(seats) == len(set(seats)) == offer.capacity  # every seat once
    assert departments.free_seats(offer.resource_key) == 0
    with departments.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Seat)) == offer.capacity


def test_confirm_and_cancel_race_never_double_counts(departments):
    offer = departments.search_buses("vijayawada", "tirupati", DAY)[0]
    hold = departments.hold([offer.resource_key], 3, "citizen:1", 20)
    results = _parallel(6, lambda i: departments.confirm(hold.reference) if i % 2 else
                        departments.cancel(hold.reference, datetime(2029, 1, 1)))
    final = departments.booking(hold.reference)
    free = departments.free_seats(offer.resource_key)
    assert final.status in ("confirmed", "cancelled")
    assert free == (offer.capacity - 3 if final.status == "confirmed" else offer.capacity)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, HoldExpired)]


def test_an_expired_hold_frees_its_seats(departments):
    now = [datetime(2029, 12, 1, 10, 0)]
    departments.clock = lambda: now[0]
    offer = departments.search_rooms("srisailam_mallikarjuna", DAY, 2, "cottage")
    keys = [o.resource_key for o in offer]
    hold = departments.hold(keys, offer[0].capacity, "citizen:1", 20)  # every cottage, both nights
    with pytest.raises(SoldOut):
        departments.hold(keys[:1], 1, "citizen:2", 20)
    now[0] += timedelta(minutes=21)
    assert departments.release_expired(now[0]) == 2  # one line per night
    assert [departments.free_seats(k) for k in keys] == [offer[0].capacity] * 2
    with pytest.raises(HoldExpired):
        departments.confirm(hold.reference)
    assert departments.hold(keys[:1], 1, "citizen:2", 20).seats == (1,)

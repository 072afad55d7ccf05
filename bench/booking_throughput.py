"""Booking throughput under concurrency: parallel citizens holding seats on a few buses until they sell out.

    python -m bench.booking_throughput [--citizens 16] [--buses 20] [--db sqlite|postgresql]

Every hold is one conditional UPDATE plus seat rows under a unique constraint; the run checks afterwards
that no bus is oversold and no seat number appears twice, and prints holds per second.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from datetime import date

from sqlalchemy import func, select, text

from core.db import init_db, make_session_factory
from core.db.commerce_models import Inventory, Seat
from departments import SoldOut
from departments.simulated import SimulatedDepartments

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _database(kind: str) -> tuple[str, callable]:
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="booking-bench-")
        return f"sqlite:///{folder}/bench.db", lambda: None
    from sqlalchemy import create_engine

    name = f"booking_bench_{random.randrange(10**8)}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return PG_URL.rsplit("/", 1)[0] + f"/{name}", drop


def run(citizens: int, buses: int, kind: str) -> dict:
    url, drop = _database(kind)
    engine = init_db(url)
    store = SimulatedDepartments(make_session_factory(engine))
    towns = ["vijayawada", "tirupati", "guntur", "nellore", "kurnool", "ongole", "kadapa", "eluru"]
    offers = []
    for a in towns:
        for b in towns:
            if a != b and len(offers) < buses:
                offers.append(store.search_buses(a, b, date(2030, 6, 1))[0])
    keys = [o.resource_key for o in offers]
    capacity = sum(o.capacity for o in offers)
    counts = {"held": 0, "sold_out": 0, "errors": 0}
    lock, start = threading.Lock(), threading.Barrier(citizens + 1)

    def citizen(seed: int) -> None:
        rng = random.Random(seed)
        start.wait()
        open_keys = list(keys)
        while open_keys:
            key = rng.choice(open_keys)
            try:
                store.hold([key], rng.randint(1, 3), f"citizen:{seed}", 20)
                outcome = "held"
            except SoldOut:
                outcome = "sold_out"
                if store.free_seats(key) == 0:
                    open_keys.remove(key)
            except Exception:  # noqa: BLE001 - counted; the run reports them
                outcome = "errors"
            with lock:
                counts[outcome] += 1

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(citizens)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    with store.sessions() as session:
        oversold = session.scalar(select(func.count()).select_from(Inventory).where(Inventory.free < 0))
        seats = session.scalar(select(func.count()).select_from(Seat))
        distinct = session.scalar(select(func.count()).select_from(
            select(Seat.inventory_id, Seat.seat_no).distinct().subquery()))
    engine.dispose()
    drop()
    return {"db": kind, "citizens": citizens, "buses": buses, "capacity": capacity, "seats_sold": seats,
            "seat_numbers_unique": seats == distinct, "oversold_buses": oversold, **counts,
            "seconds": round(seconds, 2), "holds_per_s": round(counts["held"] / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=16)
    parser.add_argument("--buses", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    print(json.dumps(run(args.citizens, args.buses, args.db)))


if __name__ == "__main__":
    main()

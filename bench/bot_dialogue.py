"""How long Bot.handle takes per message on a SQLite file (menus and slot filling; routing excluded).

    .venv/bin/python -m bench.bot_dialogue --citizens 50
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from applications.connectors import EmbeddedConnector
from bot.engine import Bot
from bot.replies import IncomingMessage
from catalog.loader import load_catalog
from core.db import init_db, make_session_factory
from core.settings import Settings

ANSWERS = {"name": "Ravi Kumar", "aadhaar": "234567890124", "mobile": "9848012345", "mandal": "Tenali",
           "text": "Water pipe broken near the school", "survey_number": "123/4A", "reference": "AP-REV-2026-000001"}


def answer(spec, catalog) -> str:
    kind = spec.type.value
    if kind == "choice":
        return spec.choices[0].label.en
    if kind == "district":
        return catalog.gazetteer.districts[0].name.en
    if kind in ("town", "temple"):
        places = getattr(catalog.gazetteer, kind + "s")
        return places[0].name.en if places else "Tenali"
    if kind == "date":
        return "15-08-1990" if spec.date_range != "future" else "15-08-2027"
    if kind in ("number", "amount"):
        return f"{spec.min if spec.min is not None else 1:g}"
    return ANSWERS[kind]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=50)
    args = parser.parse_args()
    catalog = load_catalog()
    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                   if s.outcome.value == "certificate" and len(s.fields) >= 5)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, secret_key="bench", data_dir=Path(tmp))
        sessions = make_session_factory(init_db(f"sqlite:///{tmp}/bench.db"))
        bot = Bot(catalog, None, sessions, EmbeddedConnector.for_catalog(sessions, catalog, settings), settings,
                  clock=lambda: datetime(2026, 3, 2, 10, 0))
        script = ["hi", "menu", str(service.menu_path[0]), str(service.menu_path[1]),
                  *[answer(f, catalog) for f in service.fields], "yes"]
        timings = []
        started = time.perf_counter()
        for citizen in range(args.citizens):
            for n, text in enumerate(script):
                t0 = time.perf_counter()
                bot.handle(IncomingMessage(f"9198{citizen:08d}", f"wamid.{citizen}.{n}", text=text))
                timings.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
    timings.sort()
    print(f"service {service.id}: {len(script)} messages per conversation, {args.citizens} citizens")
    print(f"messages {len(timings)}  total {elapsed:.2f}s  throughput {len(timings) / elapsed:.0f} msg/s")
    print(f"per message: median {statistics.median(timings) * 1000:.1f} ms  "
          f"p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms  max {timings[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()

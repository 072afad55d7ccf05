"""Load through the deployed shape on loopback: signed webhooks -> `mitra serve` (2 API processes) ->
durable inbox (PostgreSQL) -> Celery (private redis-server) -> `mitra worker` processes -> route/dialogue ->
replies to the fake Graph server. Bounded in count and time.

Measures, for 1 and 2 workers: sustained messages per second, end-to-end latency (webhook stored ->
replies sent and the message marked done, from the database's own timestamps), and the webhook's own
latency while the workers are saturated (a backlog exists the whole time). `--voice N` also measures voice
notes per minute for one worker (espeak-ng voice notes, the bundled Whisper base).

    .venv/bin/python -m bench.load_webhook [--messages 600] [--workers 1 2] [--voice 20]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from core.db import InboxItem, init_db, make_session_factory
from tests.api.conftest import message_webhook, signed, text_webhook
from tests.fakes.graph_server import GraphServer
from tests.scale.cluster import Cluster
from tests.scale.services import RedisServer, postgres_database, truncate_all

TEXTS = ["I need a caste certificate", "Hi", "how do I apply for a ration card", "pension status",
         "నాకు కుల ధృవీకరణ పత్రం కావాలి", "water supply complaint in my street", "menu", "income certificate"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def post_all(urls: list[str], payloads: list[dict], threads: int, rate: float = 0.0) -> list[float]:
    """Post every webhook (alternating API processes) from `threads` senders, at `rate` per second in all
    (0: as fast as they can); returns each one's latency."""
    signed_payloads = [signed(p) for p in payloads]
    local = threading.local()  # one keep-alive client per sender, as Meta's delivery reuses connections
    begin = time.perf_counter()

    def post(indexed):
        i, (body, headers) = indexed
        if rate:
            time.sleep(max(0.0, begin + i / rate - time.perf_counter()))
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=30)
        start = time.perf_counter()
        response = local.client.post(f"{urls[i % len(urls)]}/webhook", content=body, headers=headers)
        assert response.status_code == 200, response.text
        return time.perf_counter() - start
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(post, enumerate(signed_payloads)))


def wait_done(sessions, count: int, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with sessions() as s:
            if s.scalar(select(func.count()).where(InboxItem.status.in_(("done", "failed")))) >= count:
                return
        time.sleep(0.2)
    raise SystemExit(f"not all {count} messages were handled within {limit_s:.0f}s")


def timings(sessions, prefix: str) -> tuple[float, list[float]]:
    """(messages per second from first stored to last done, end-to-end seconds per message)."""
    with sessions() as s:
        rows = s.execute(select(InboxItem.received_at, InboxItem.processed_at)
                         .where(InboxItem.wa_message_id.like(f"{prefix}%"))).all()
    e2e = [(done - got).total_seconds() for got, done in rows]
    span = (max(done for _, done in rows) - min(got for got, _ in rows)).total_seconds()
    return len(rows) / span, e2e


def warm_up(urls, sessions, workers: int, tag: str) -> None:
    """Every worker loads its models before the clock starts (one message each, several rounds)."""
    payloads = [text_webhook(f"91960{n:07d}", f"wamid.{tag}.{n}", "Hi") for n in range(4 * workers)]
    post_all(urls, payloads, 4)
    wait_done(sessions, len(payloads), 300)


def text_run(sessions, urls, workers: int, messages: int, citizens: int, threads: int, rate: float) -> dict:
    tag = f"W{workers}"
    warm_up(urls, sessions, workers, f"warm{tag}")
    payloads = [text_webhook(f"9197{n % citizens:08d}", f"wamid.{tag}.{n:06d}", TEXTS[n % len(TEXTS)])
                for n in range(messages)]
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(InboxItem))
    posting = time.perf_counter()
    webhook = post_all(urls, payloads, threads, rate)
    offered = messages / (time.perf_counter() - posting)
    wait_done(sessions, before + messages, 600)
    done_rate, e2e = timings(sessions, f"wamid.{tag}.")
    return {"workers": workers, "messages": messages, "offered_per_s": offered, "msgs_per_s": done_rate,
            "e2e_p50_s": statistics.median(e2e), "e2e_p99_s": percentile(e2e, 99),
            "webhook_p50_ms": 1000 * statistics.median(webhook), "webhook_p99_ms": 1000 * percentile(webhook, 99)}


def voice_run(graph, sessions, urls, notes: int) -> dict:
    from voice.espeak import voice_note

    audio = voice_note("I need a caste certificate", voice="en", fmt="ogg")

    def note(n: int, tag: str) -> dict:
        media_id = graph.add_media(audio, "audio/ogg")
        return message_webhook(f"9195{n:08d}", {"id": f"wamid.{tag}.{n:04d}", "type": "audio",
                                                "audio": {"id": media_id, "mime_type": "audio/ogg; codecs=opus",
                                                          "voice": True}})
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(InboxItem))
    post_all(urls, [note(n, "VOICEWARM") for n in range(2)], 2)  # loads the speech model
    wait_done(sessions, before + 2, 600)
    post_all(urls, [note(n, "VOICE") for n in range(notes)], 4)
    wait_done(sessions, before + 2 + notes, 1200)
    rate, e2e = timings(sessions, "wamid.VOICE.")
    return {"notes": notes, "notes_per_min_per_worker": 60 * rate, "e2e_p50_s": statistics.median(e2e)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8, help="concurrent webhook senders")
    parser.add_argument("--rate", type=float, default=20.0, help="webhooks per second offered (0: flat out)")
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="CPU priority of the workers (they share this machine with the API processes)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--voice", type=int, default=0, help="voice notes for the one-worker voice run")
    parser.add_argument("--models-dir", type=Path, default=None, help="a models root with a promoted model")
    args = parser.parse_args()
    models_root = args.models_dir or _test_models_root()

    with tempfile.TemporaryDirectory() as tmp, GraphServer() as graph_server, \
            RedisServer(Path(tmp) / "redis") as redis, postgres_database("mitra_bench") as db_url:
        sessions = make_session_factory(init_db(db_url))  # once, before several processes start on it
        for workers in args.workers:
            truncate_all(db_url)
            cluster = Cluster(Path(tmp) / f"w{workers}", graph_server, db_url, redis.url, models_root,
                              redis_url=redis.url, extra_env={"MITRA_INBOX_PER_CITIZEN_PER_MINUTE": "0"})
            try:
                apis, _ = cluster.start(apis=2, workers=workers, worker_nice=args.worker_nice)
                result = text_run(sessions, [a.url for a in apis], workers, args.messages, args.citizens,
                                  args.threads, args.rate)
                print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()),
                      flush=True)
                if args.voice and workers == 1:
                    voice = voice_run(graph_server.graph, sessions, [a.url for a in apis], args.voice)
                    print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                   for k, v in voice.items()), flush=True)
            finally:
                cluster.stop()


def _test_models_root() -> Path:
    """The router the tests train and cache (tests.conftest.TEST_CACHE), trained now if missing."""
    from catalog.loader import load_catalog
    from nlu.router import Router
    from tests.conftest import router_cache_dir

    catalog = load_catalog()
    root = router_cache_dir(catalog)
    root.mkdir(parents=True, exist_ok=True)
    Router.load(catalog=catalog, models_root=root)
    return root


if __name__ == "__main__":
    main()

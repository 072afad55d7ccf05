"""How fast the API takes in signed webhooks, how fast the inbox hands them out, and whether the outbound
rate limit holds. Everything runs on 127.0.0.1: the app in a thread, the fake Graph server in a thread.

    .venv/bin/python -m bench.api_throughput [--messages 500] [--rate 80]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import tempfile
import time
from pathlib import Path

import httpx

from api.app import create_app
from core.settings import InboxSettings, Settings
from runtime.services import Services
from tests.api.conftest import APP_SECRET, signed, text_webhook
from tests.fakes.graph_server import GraphServer
from tests.fakes.http_server import ThreadedServer
from whatsapp.client import WhatsAppClient


def ingest(url: str, count: int, threads: int) -> float:
    payloads = [signed(text_webhook(f"9198{i % 50:08d}", f"wamid.BENCH{i:06d}", f"message {i}"))
                for i in range(count)]
    with httpx.Client() as client:
        def post(item):
            body, headers = item
            assert client.post(f"{url}/webhook", content=body, headers=headers).status_code == 200
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            list(pool.map(post, payloads))
        return time.perf_counter() - start


def claim_all(inbox, count: int) -> float:
    start = time.perf_counter()
    done = 0
    while done < count:
        claimed = inbox.claim_next(60)
        if claimed is None:
            break
        inbox.mark_done(claimed.row_id)
        done += 1
    assert done == count, done
    return time.perf_counter() - start


def send_rate(graph_server, count: int, rate: float) -> float:
    client = WhatsAppClient(graph_server.url, graph_server.graph.phone_number_id, graph_server.graph.token,
                            rate_per_s=rate)
    start = time.perf_counter()
    for i in range(count):
        client.send_text("919800000000", f"reply {i}")
    client.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rate", type=float, default=80.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, GraphServer() as graph_server:
        settings = Settings(_env_file=None, data_dir=Path(tmp), whatsapp_app_secret=APP_SECRET,
                            secret_key="bench-secret")
        services = Services.start(settings, worker_settings=InboxSettings(enabled=False))
        with ThreadedServer(create_app(settings, services=services, run_worker=False)) as app:
            seconds = ingest(app.url, args.messages, args.threads)
            print(f"webhook ingest: {args.messages} signed POSTs stored in {seconds:.2f}s "
                  f"= {args.messages / seconds:.0f}/s ({args.threads} client threads, SQLite)")
            seconds = claim_all(services.inbox, args.messages)
            print(f"inbox claim+done: {args.messages} rows in {seconds:.2f}s = {args.messages / seconds:.0f}/s "
                  f"(one worker, 50 citizens)")
        sends = int(args.rate * 3)
        seconds = send_rate(graph_server, sends, args.rate)
        print(f"outbound: {sends} texts in {seconds:.2f}s with the limit at {args.rate:g}/s: after the first "
              f"{args.rate:g} (the bucket's burst) {(sends - args.rate) / seconds:.1f}/s")


if __name__ == "__main__":
    main()

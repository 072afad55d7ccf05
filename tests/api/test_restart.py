"""A message stored but not processed when `mitra serve` is killed is processed, once, after a restart."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from core.db import InboxItem
from tests.utils.net import free_port, wait_for
from tests.utils.webhooks import APP_SECRET, VERIFY_TOKEN, post_webhook, text_webhook

pytestmark = pytest.mark.slow

WA = "919811122233"
MITRA = Path(sys.executable).parent / "mitra"


def start_serve(tmp_path, graph_server, models_root, port: int, pause_s: float, log_name: str):
    env = {**os.environ, "MITRA_DATA_DIR": str(tmp_path), "MITRA_MODELS_DIR": str(models_root),
           "MITRA_SECRET_KEY": "test-secret-key", "MITRA_WHATSAPP_APP_SECRET": APP_SECRET,
           "MITRA_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN, "MITRA_WHATSAPP_ACCESS_TOKEN": graph_server.graph.token,
           "MITRA_WHATSAPP_PHONE_NUMBER_ID": graph_server.graph.phone_number_id,
           "MITRA_GRAPH_BASE_URL": graph_server.url, "MITRA_INBOX_LOCK_SECONDS": "1",
           "MITRA_INBOX_POLL_INTERVAL_S": "0.1", "MITRA_INBOX_PAUSE_BEFORE_PROCESSING_S": str(pause_s)}
    with open(tmp_path / log_name, "wb") as log:  # the child keeps its own copy of the handle
        process = subprocess.Popen([str(MITRA), "serve", "--port", str(port), "--log-level", "warning"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"

    def healthy():
        assert process.poll() is None, (tmp_path / log_name).read_text()
        try:
            return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False
    wait_for(healthy, timeout=180, interval=0.3)
    return process, url


def inbox_status(session_factory, message_id: str) -> str | None:
    with session_factory() as session:
        return session.scalar(select(InboxItem.status).where(InboxItem.wa_message_id == message_id))


def test_kill_between_store_and_process_loses_nothing(tmp_path, graph_server, graph, api_models_root,
                                                      api_router, session_factory):
    port = free_port()
    first, url = start_serve(tmp_path, graph_server, api_models_root, port, pause_s=600, log_name="first.log")
    try:
        hello = text_webhook(WA, "wamid.KILL1", "Hi")
        assert post_webhook(url, hello).status_code == 200
        wait_for(lambda: inbox_status(session_factory, "wamid.KILL1") == "processing")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert graph.sent_to(WA) == []

    second, url = start_serve(tmp_path, graph_server, api_models_root, port, pause_s=0, log_name="second.log")
    try:
        wait_for(lambda: inbox_status(session_factory, "wamid.KILL1") == "done", timeout=180)
        assert post_webhook(url, hello).json()["stored"] == 0  # redelivery
        replies = graph.sent_to(WA)
        assert len(replies) == 1 and replies[0]["type"] == "interactive"  # the welcome, exactly once
    finally:
        second.terminate()
        second.wait(30)

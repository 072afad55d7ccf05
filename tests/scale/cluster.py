"""mitra as deployed: `mitra serve` API processes and `mitra worker` Celery workers as real subprocesses
against one database and one broker, talking to the fake Graph server."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.utils.net import free_port, wait_for
from tests.utils.webhooks import APP_SECRET, VERIFY_TOKEN

MITRA = Path(sys.executable).parent / "mitra"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path
    url: str = ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgements, as when a machine dies."""
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(30)

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    workdir: Path
    graph_server: object
    database_url: str
    broker_url: str
    models_root: Path
    redis_url: str = ""
    extra_env: dict = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    queue_name: str = field(default_factory=lambda: f"mitra-test-{uuid.uuid4().hex[:8]}")

    def env(self, **overrides) -> dict:
        graph = self.graph_server.graph
        env = {**os.environ, "MITRA_DATA_DIR": str(self.workdir), "MITRA_MODELS_DIR": str(self.models_root),
               "MITRA_DATABASE_URL": self.database_url, "MITRA_TASK_QUEUE": "celery",
               "MITRA_BROKER_URL": self.broker_url, "MITRA_QUEUE_NAME": self.queue_name,
               "MITRA_REDIS_URL": self.redis_url, "MITRA_SECRET_KEY": "test-secret-key",
               "MITRA_WHATSAPP_APP_SECRET": APP_SECRET, "MITRA_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
               "MITRA_WHATSAPP_ACCESS_TOKEN": graph.token, "MITRA_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
               "MITRA_GRAPH_BASE_URL": self.graph_server.url, "MITRA_OUTBOUND_RATE_PER_S": "1000",
               "MITRA_INBOX_LOCK_SECONDS": "3", "MITRA_INBOX_RETRY_DELAY_S": "0.5",
               "MITRA_INBOX_SWEEP_INTERVAL_S": "0.5", "MITRA_INBOX_SWEEP_WAITING_S": "2",
               "MITRA_INBOX_PER_CITIZEN_PER_MINUTE": "100", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "PYTHONUNBUFFERED": "1"}
        env.update(self.extra_env)
        env.update({k: str(v) for k, v in overrides.items()})
        return env

    def _spawn(self, name: str, args: list[str], env: dict, nice: int = 0) -> Process:
        log = self.workdir / f"{name}.log"
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as handle:  # the child keeps its own copy of the handle
            prefix = ["nice", "-n", str(nice)] if nice else []
            popen = subprocess.Popen([*prefix, str(MITRA), *args], env=env, stdout=handle, stderr=subprocess.STDOUT,
                                     cwd=self.workdir)
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_api(self, name: str = "api", wait: bool = True, **env) -> Process:
        port = free_port()
        process = self._spawn(name, ["serve", "--port", str(port), "--log-level", "warning"], self.env(**env))
        process.url = f"http://127.0.0.1:{port}"
        if wait:
            self.wait_ready(process)
        return process

    def start_worker(self, name: str = "worker", wait: bool = True, nice: int = 0, **env) -> Process:
        """A Celery worker (solo pool: one message at a time, the process itself does the work); `nice`
        lowers its CPU priority, standing in for workers on machines of their own."""
        process = self._spawn(name, ["worker", "--pool", "solo", "--name", f"{name}@{self.queue_name}",
                                     "--log-level", "info"], self.env(**env), nice=nice)
        if wait:
            self.wait_ready(process)
        return process

    def start(self, apis: int, workers: int, worker_nice: int = 0, **env) -> tuple[list[Process], list[Process]]:
        """Start every process at once, then wait for all of them (start-up dominates these tests)."""
        started = ([self.start_api(f"api{n + 1}", wait=False, **env) for n in range(apis)],
                   [self.start_worker(f"worker{n + 1}", wait=False, nice=worker_nice, **env)
                    for n in range(workers)])
        for process in [*started[0], *started[1]]:
            self.wait_ready(process)
        return started

    def wait_ready(self, process: Process) -> None:
        def ready():
            assert process.alive(), process.output()
            if not process.url:
                return " ready." in process.output()
            try:
                return httpx.get(f"{process.url}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                return False
        wait_for(ready, timeout=120, interval=0.2)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()

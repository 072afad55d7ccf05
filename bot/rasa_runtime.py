"""Rasa's own virtual environment and processes: create it, train an exported project, serve it on loopback.

Rasa Open Source 3.6 needs Python 3.10 and pydantic 1, so it never shares mitra's environment: it lives in
MITRA_RASA_VENV (default ~/.cache/mitra/rasa-venv, outside the repository, so every clone reuses it) and
mitra talks to it over HTTP. Trained models are cached by the export's content hash.
"""
from __future__ import annotations

import fcntl
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

RASA_VERSION = "3.6.21"
RASA_SDK_VERSION = "3.6.2"  # the rasa-sdk release line that matches Rasa 3.6
CACHE_ROOT = Path.home() / ".cache" / "mitra"
MODELS_CACHE = CACHE_ROOT / "rasa-models"


class RasaUnavailable(RuntimeError):
    """Rasa's environment cannot be made here (no Python 3.10, no package index); the message says which."""


def venv_dir() -> Path:
    from core.settings import get_settings

    return get_settings().rasa_venv


def rasa_bin(venv: Path | None = None) -> Path:
    return (venv or venv_dir()) / "bin" / "rasa"


def find_python310() -> str | None:
    """A working Python 3.10: on PATH, or one pyenv installed."""
    candidates = [shutil.which("python3.10"), *sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.10*/bin/python3.10")))]
    for candidate in filter(None, candidates):
        try:
            out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.startswith("Python 3.10"):
            return candidate
    return None


def venv_ready(venv: Path | None = None) -> bool:
    marker = (venv or venv_dir()) / ".mitra-rasa-installed"
    return marker.exists() and rasa_bin(venv).exists()


def ensure_venv(say: Callable[[str], None] = print, timeout_s: float = 1800) -> Path:
    """Create the venv once (about 2-3 minutes and 2.7 GB); concurrent callers wait for the first."""
    venv = venv_dir()
    if venv_ready(venv):
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / ".rasa-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if venv_ready(venv):
            return venv
        python = find_python310()
        if python is None:
            raise RasaUnavailable("Rasa 3.6 needs Python 3.10 and none was found (python3.10 on PATH or pyenv)")
        say(f"creating Rasa's environment in {venv} with {python}")
        shutil.rmtree(venv, ignore_errors=True)
        _run([python, "-m", "venv", str(venv)], timeout_s)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--prefer-binary", "-q"]
        _run([*pip, "pip<24"], timeout_s)
        _run([*pip, f"rasa=={RASA_VERSION}", f"rasa-sdk=={RASA_SDK_VERSION}"], timeout_s)
        (venv / ".mitra-rasa-installed").write_text(f"rasa=={RASA_VERSION} rasa-sdk=={RASA_SDK_VERSION}\n")
    return venv


def _run(command: list[str], timeout_s: float, cwd: Path | None = None) -> None:
    _finish(_start(command, cwd), timeout_s)


@dataclass
class _Process:
    command: list[str]
    popen: subprocess.Popen
    errors: IO[str]  # its stderr, in a file: a pipe nobody reads would stall a long run


def _start(command: list[str], cwd: Path | None = None) -> _Process:
    errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by _finish or _stop, when the process ends
    popen = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, text=True, env=rasa_env())
    return _Process(command, popen, errors)


def _finish(process: _Process, timeout_s: float) -> None:
    """Wait for `process`; RasaUnavailable with its complaint when it fails or runs past `timeout_s`."""
    name = " ".join(process.command[:4])
    with process.errors:
        try:
            process.popen.wait(timeout_s)
        except subprocess.TimeoutExpired as exc:
            _stop(process)
            raise RasaUnavailable(f"{name} did not finish within {timeout_s:.0f}s") from exc
        if process.popen.returncode != 0:
            process.errors.seek(0)
            raise RasaUnavailable(f"{name} failed (exit {process.popen.returncode}):\n{process.errors.read()[-3000:]}")


def _stop(process: _Process) -> None:
    process.popen.kill()
    process.popen.wait()
    process.errors.close()


def rasa_env(**extra: str) -> dict[str, str]:
    """Environment for Rasa's processes: quiet, offline telemetry, loopback only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "SANIC_HOST": "127.0.0.1",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONWARNINGS": "ignore"}, **extra)
    return env


def validate(project: Path, timeout_s: float = 600) -> None:
    """`rasa data validate`: raises RasaUnavailable with Rasa's complaint when the project is refused."""
    _run([str(rasa_bin()), "data", "validate"], timeout_s, cwd=project)


def validated(project: Path, digest: str, cache: Path = MODELS_CACHE) -> None:
    """`validate` once per export: an export Rasa accepted is remembered by its hash, as its model is."""
    marker = _accepted_marker(cache, digest)
    if marker.exists():
        return
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / f".{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            validate(project)
            marker.touch()


def _accepted_marker(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.valid"


def train(project: Path, digest: str, timeout_s: float = 1800, cache: Path = MODELS_CACHE) -> Path:
    """The trained model for this export: from the cache when the same export was trained before.

    A new export is validated (`rasa data validate`) while it trains, and its model is kept only when Rasa
    accepted it. `rasa train` is told to skip its own validation: it reads the project's YAML twice more to do
    it, which took longer than the training itself (minutes at phase-two size, docs/benchmarks.md)."""
    cache.mkdir(parents=True, exist_ok=True)
    model = cache / f"{digest}.tar.gz"
    if model.exists():
        return model
    with open(cache / f".{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not model.exists():
            out = project.resolve() / "models"  # rasa runs in the project; a relative --out would land inside it
            command = [str(rasa_bin()), "train", "--skip-validation", "--fixed-model-name", digest, "--out", str(out)]
            training = _start(command, project)
            try:
                validate(project)
                _accepted_marker(cache, digest).touch()
            except BaseException:  # refused, or stopped: a refused project is answered now, not after the training
                _stop(training)
                raise
            _finish(training, timeout_s)
            shutil.copyfile(out / f"{digest}.tar.gz", cache / f".{digest}.partial")
            os.replace(cache / f".{digest}.partial", model)
    return model


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RasaServers:
    """Rasa's server (REST channel and HTTP API) and its action server, both on 127.0.0.1."""

    url: str
    actions_url: str
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def stop(self, timeout_s: float = 20) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout_s)

    def log_tail(self, chars: int = 3000) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}" for p in self.logs if p.exists())

    def __enter__(self) -> RasaServers:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(project: Path, model: Path, mitra_url: str, service_token: str, port: int | None = None,
          actions_port: int | None = None, ready_timeout_s: float = 240) -> RasaServers:
    """Start both servers from the project directory (the component and actions import from there)."""
    port, actions_port = port or free_port(), actions_port or free_port()
    actions_url = f"http://127.0.0.1:{actions_port}/webhook"
    (project / "endpoints.run.yml").write_text(f"action_endpoint:\n  url: {actions_url}\n")
    env = rasa_env(MITRA_URL=mitra_url, MITRA_SERVICE_TOKEN=service_token)
    servers = RasaServers(f"http://127.0.0.1:{port}", actions_url)
    launch = [
        ("actions.log", [str(venv_dir() / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
                         "-p", str(actions_port)]),
        ("rasa.log", [str(rasa_bin()), "run", "--enable-api", "-m", str(model), "-i", "127.0.0.1",
                      "-p", str(port), "--endpoints", "endpoints.run.yml", "--credentials", "credentials.yml"]),
    ]
    try:
        for name, command in launch:
            log = project / name
            servers.logs.append(log)
            with open(log, "w") as handle:
                servers.processes.append(subprocess.Popen(command, cwd=project, env=env, stdout=handle,
                                                          stderr=subprocess.STDOUT, start_new_session=True))
        _wait_until_ready(servers, f"http://127.0.0.1:{actions_port}/health", ready_timeout_s)
        _wait_until_ready(servers, f"{servers.url}/status", ready_timeout_s)
    except BaseException:
        servers.stop()
        raise
    return servers


def _wait_until_ready(servers: RasaServers, url: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in servers.processes):
            raise RasaUnavailable(f"a Rasa process exited while starting:\n{servers.log_tail()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RasaUnavailable(f"{url} was not ready within {timeout_s:.0f}s:\n{servers.log_tail()}")

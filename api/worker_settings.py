"""Tuning for the embedded inbox worker (environment prefix MITRA_INBOX_; see docs/configuration.md)."""
from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MITRA_INBOX_", env_file=".env", extra="ignore")

    enabled: bool = True  # run the worker inside `mitra serve`
    lock_seconds: float = 300.0  # a claimed row is retried by any worker once this passes
    max_attempts: int = 5  # then the row is marked failed and the citizen gets an apology
    retry_delay_s: float = 5.0  # first retry delay after an error; doubles per attempt
    poll_interval_s: float = 0.5  # how often an idle worker looks for rows (a new webhook wakes it at once)
    advance_interval_s: float = 60.0  # how often the embedded department connector moves application statuses
    per_citizen_per_minute: int = 30  # more messages than this in a minute get one notice, then no answer; 0: off
    sweep_interval_s: float = 5.0  # task queue: how often each worker looks for messages no task is coming for
    sweep_waiting_s: float = 30.0  # task queue: a message unclaimed this long is enqueued again
    pause_before_processing_s: float = 0.0  # test hook: widen the window between store and process

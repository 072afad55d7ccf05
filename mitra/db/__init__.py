"""Persistence: SQLAlchemy models, engine/session factory and Alembic migrations (`init_db`)."""
from mitra.db.crypto import Vault, VaultError
from mitra.db.engine import make_engine, make_session_factory
from mitra.db.migrate import init_db
from mitra.db.models import (
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

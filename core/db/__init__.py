"""Persistence: SQLAlchemy models, engine/session factory and Alembic migrations (`init_db`)."""
from core.db import (
    commerce_models,  # noqa: F401 - registers the payment and booking tables
    document_models,  # noqa: F401 - registers the issued-documents register
    review_models,  # noqa: F401 - registers the analysts' tables on Base.metadata
)
from core.db.engine import make_engine, make_session_factory
from core.db.migrate import init_db
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
from core.db.notify_models import Consent, Handoff, Notification, SendPause
from core.security import Vault, VaultError

__all__ = [
    "Application", "Base", "Consent", "Handoff", "Notification", "SendPause", "Certificate", "Citizen", "Conversation", "Delivery", "InboxItem", "Message",
    "ReferenceCounter", "Vault", "VaultError", "init_db", "make_engine", "make_session_factory", "utcnow",
]

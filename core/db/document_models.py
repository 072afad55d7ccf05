"""The register of receipts and tickets: a hash chain like the certificate register, one row per document."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base


class IssuedDocument(Base):
    """A receipt or an e-ticket as it was issued; `facts` holds exactly what the document prints."""

    __tablename__ = "issued_documents"
    # two documents can never claim the same predecessor: the chain cannot fork
    __table_args__ = (Index("uq_issued_documents_prev_hash", "prev_hash", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)  # carried in the signed token
    kind: Mapped[str] = mapped_column(String(16))  # receipt | ticket
    reference: Mapped[str] = mapped_column(String(64), unique=True)  # payment id or booking PNR: one document each
    facts: Mapped[dict] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)

"""Certificates: a signed token in a QR code, a PDF, and a hash-chained register anyone can audit.

The token is `<serial>.<HMAC-SHA256(secret_key, serial)>`, so a forged serial is refused before the
database is read; the register row it points to must still hash to what the chain says, so an altered
row is refused too. Each row stores prev_hash and record_hash = sha256(prev_hash + canonical JSON).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

import qrcode
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.db.models import Application, Certificate
from core.security import same_secret

GENESIS_HASH = "0" * 64
SIGNATURE_CHARS = 32  # 192 bits of the HMAC: plenty against forgery, short enough for a QR code


@dataclass
class VerificationResult:
    valid: bool
    reason: str  # "valid", "forged or damaged token", "unknown certificate", "record altered"
    holder: str = ""
    service_name: str = ""
    service_name_te: str = ""
    reference: str = ""
    issued_at: datetime | None = None


@dataclass
class AuditResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def _signature(serial: str, secret_key: str, purpose: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}:{serial}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:SIGNATURE_CHARS]


def make_token(serial: str, secret_key: str, purpose: str = "certificate") -> str:
    """`purpose` keeps a certificate's token from passing as a receipt's (applications/documents.py)."""
    return f"{serial}.{_signature(serial, secret_key, purpose)}"


def serial_from_token(token: str, secret_key: str, purpose: str = "certificate") -> str | None:
    """The serial, if the token was signed with this key; None for anything forged or damaged."""
    serial, dot, signature = (token or "").strip().partition(".")
    if not dot or not serial.isalnum() or len(serial) > 32:
        return None
    return serial if same_secret(signature, _signature(serial, secret_key, purpose)) else None


def certificate_content(cert: Certificate) -> dict:
    return {
        "serial": cert.serial,
        "reference": cert.reference,
        "holder_name": cert.holder_name,
        "service_id": cert.service_id,
        "service_name_en": cert.service_name_en,
        "service_name_te": cert.service_name_te,
        "issued_at": cert.issued_at.replace(microsecond=0).isoformat(),
    }


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def audit_chain(session: Session) -> AuditResult:
    """Walk the register in order; the first row whose hashes or link do not hold is named."""
    prev = GENESIS_HASH
    checked = 0
    for cert in session.scalars(select(Certificate).order_by(Certificate.id)):
        content = certificate_content(cert)
        problem = _row_problem(cert, content, prev)
        if problem:
            return AuditResult(False, checked, cert.id, problem)
        prev = cert.record_hash
        checked += 1
    return AuditResult(True, checked)


def _row_problem(cert: Certificate, content: dict, expected_prev: str | None) -> str:
    if content_hash(content) != cert.content_hash:
        return "content does not match its hash"
    if expected_prev is not None and cert.prev_hash != expected_prev:
        return "link to the previous record is broken"
    if chain_hash(cert.prev_hash, content) != cert.record_hash:
        return "record hash does not match"
    return ""


def holder_name_of(application: Application, catalog=None) -> str:
    fields = application.fields or {}
    service = catalog.services.get(application.service_id) if catalog is not None else None
    return (service.holder_name(fields) if service else "") or fields.get("applicant_name") or \
        fields.get("name") or "—"


class CertificateRegistry:
    """Issues, renders and verifies certificates for one database and one secret key."""

    def __init__(self, session_factory: sessionmaker[Session], settings, catalog=None):
        self.sessions = session_factory
        self.secret_key = settings.secret_key
        self.public_base_url = settings.public_base_url.rstrip("/")
        self.font = getattr(settings, "document_font", "")
        self.catalog = catalog

    def issue(self, session: Session, application: Application, now: datetime) -> Certificate:
        """Append a certificate for `application` to the chain (inside the caller's transaction)."""
        existing = session.scalar(select(Certificate).where(Certificate.application_id == application.id))
        if existing:
            return existing
        head = session.scalar(select(Certificate).order_by(Certificate.id.desc()).limit(1))
        names = self._service_names(application.service_id)
        cert = Certificate(
            serial=secrets.token_hex(8), application_id=application.id,
            holder_name=holder_name_of(application, self.catalog), service_id=application.service_id,
            service_name_en=names[0], service_name_te=names[1], reference=application.reference,
            issued_at=now.replace(microsecond=0, tzinfo=None),
        )
        content = certificate_content(cert)
        cert.prev_hash = head.record_hash if head else GENESIS_HASH
        cert.content_hash = content_hash(content)
        cert.record_hash = chain_hash(cert.prev_hash, content)
        session.add(cert)
        session.flush()
        return cert

    def _service_names(self, service_id: str) -> tuple[str, str]:
        if self.catalog is not None and service_id in self.catalog.services:
            name = self.catalog.services[service_id].name
            return name.en, name.te
        return service_id, service_id

    def token(self, cert: Certificate) -> str:
        return make_token(cert.serial, self.secret_key)

    def verify_url(self, cert: Certificate) -> str:
        return f"{self.public_base_url}/verify/{self.token(cert)}"

    def verify_token(self, token: str) -> VerificationResult:
        serial = serial_from_token(token, self.secret_key)
        if serial is None:
            return VerificationResult(False, "forged or damaged token")
        with self.sessions() as session:
            cert = session.scalar(select(Certificate).where(Certificate.serial == serial))
            if cert is None:
                return VerificationResult(False, "unknown certificate")
            if _row_problem(cert, certificate_content(cert), None):
                return VerificationResult(False, "record altered")
            return VerificationResult(True, "valid", cert.holder_name, cert.service_name_en,
                                      cert.service_name_te, cert.reference, cert.issued_at)

    def for_reference(self, reference: str) -> Certificate | None:
        with self.sessions() as session:
            return session.scalar(select(Certificate).where(Certificate.reference == reference))

    def audit(self) -> AuditResult:
        with self.sessions() as session:
            return audit_chain(session)

    def pdf(self, cert: Certificate) -> bytes:
        from applications.documents import render_certificate

        return render_certificate(cert, self.verify_url(cert), self.font)


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()

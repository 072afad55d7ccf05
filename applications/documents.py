"""Receipts, e-tickets and certificates as PDF documents, in Telugu and English, with a QR code to the verify page.

Telugu is shaped by HarfBuzz (fpdf2 + uharfbuzz) in a real Telugu font, so conjuncts and vowel signs print as a
reader expects. Every document carries a signed token (`<serial>.<HMAC>`, see bot/certificates.make_token) in its
QR code and address; the register row it points to is hash-chained, so a forged token or an altered row is refused.

For payments and bookings (the commerce side):

    facts = receipt_facts(reference=payment_id, payer_en="Srinivasa Rao", payer_te="శ్రీనివాస రావు",
                          purpose_en="Electricity bill, USC 1234567890", purpose_te="విద్యుత్ బిల్లు",
                          amount_paise=125000, paid_at=now)
    facts = ticket_facts(reference=pnr, passenger_en=..., passenger_te=..., journey_en="Vijayawada to Tirupati",
                         journey_te=..., travel_date=date, departure="21:30", seats=("12", "13"), fare_paise=...)
    register = DocumentRegister(session_factory, settings)
    doc = register.issue(session, facts)          # inside the caller's transaction; once per reference
    Document(filename, register.pdf(doc))         # bot.replies.Document for a WhatsApp document reply

render_receipt(facts, verify_url) / render_ticket(facts, verify_url) / render_certificate(cert, verify_url) give
the PDF bytes directly.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from applications.certificates import (
    GENESIS_HASH,
    chain_hash,
    content_hash,
    make_token,
    qr_png,
    serial_from_token,
)
from core.db.document_models import IssuedDocument
from core.india_time import india_text
from nlu.answers.numbers import rupees as indian_rupees

STATE_EN = "Government of Andhra Pradesh"
STATE_TE = "ఆంధ్రప్రదేశ్ ప్రభుత్వం"
TOKEN_PURPOSE = "document"
DEBIAN_TELUGU_FONTS = (
    "/usr/share/fonts/truetype/teluguvijayam/Mandali-Regular.ttf",
    "/usr/share/fonts/truetype/lohit-telugu/Lohit-Telugu.ttf",
)


class FontMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Detail:
    label_en: str
    label_te: str
    value: str


@dataclass(frozen=True)
class DocumentFacts:
    """Exactly what a document prints and what its verify page shows."""

    kind: str  # receipt | ticket | certificate
    reference: str
    title_en: str
    title_te: str
    holder_en: str
    holder_te: str
    details: tuple[Detail, ...]
    issued_at: datetime
    issuer_en: str = STATE_EN
    issuer_te: str = STATE_TE

    @property
    def issued(self) -> Detail:
        return Detail("Issued at", "జారీ", india_text(self.issued_at))

    def as_json(self) -> dict:
        data = asdict(self)
        data["issued_at"] = self.issued_at.replace(microsecond=0, tzinfo=None).isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> DocumentFacts:
        return cls(**{**data, "details": tuple(Detail(**d) for d in data["details"]),
                      "issued_at": datetime.fromisoformat(data["issued_at"])})


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str  # "valid", "forged or damaged token", "unknown document", "record altered"
    facts: DocumentFacts | None = None


def rupees(paise: int) -> str:
    return "₹ " + indian_rupees(paise / 100, always_paise=True).removeprefix("₹")


def receipt_facts(*, reference: str, payer_en: str, payer_te: str, purpose_en: str, purpose_te: str,
                  amount_paise: int, paid_at: datetime, issuer_en: str = STATE_EN,
                  issuer_te: str = STATE_TE) -> DocumentFacts:
    details = (Detail("Paid for", "చెల్లింపు", f"{purpose_en} · {purpose_te}"),
               Detail("Amount", "మొత్తం", rupees(amount_paise)),
               Detail("Paid on", "చెల్లించిన తేదీ", india_text(paid_at)))
    return DocumentFacts("receipt", reference, "Payment receipt", "చెల్లింపు రసీదు", payer_en, payer_te,
                         details, paid_at, issuer_en, issuer_te)


def ticket_facts(*, reference: str, passenger_en: str, passenger_te: str, journey_en: str, journey_te: str,
                 travel_date: date, departure: str, seats: tuple[str, ...], fare_paise: int, issued_at: datetime,
                 issuer_en: str = "APSRTC", issuer_te: str = "ఏపీఎస్ఆర్టీసీ") -> DocumentFacts:
    details = (Detail("Journey", "ప్రయాణం", f"{journey_en} · {journey_te}"),
               Detail("Date", "తేదీ", f"{travel_date:%d %b %Y} {departure}".strip()),
               Detail("Seats", "సీట్లు", ", ".join(seats)),
               Detail("Fare", "ఛార్జీ", rupees(fare_paise)))
    return DocumentFacts("ticket", reference, "E-ticket", "ఇ-టికెట్", passenger_en, passenger_te,
                         details, issued_at, issuer_en, issuer_te)


def certificate_facts(cert) -> DocumentFacts:
    """A certificate register row (core.db.models.Certificate) as document facts: name in both scripts."""
    holder_en, holder_te = both_scripts(cert.holder_name)
    details = (Detail("Certificate serial", "క్రమ సంఖ్య", cert.serial),)
    return DocumentFacts("certificate", cert.reference, cert.service_name_en, cert.service_name_te,
                         holder_en, holder_te, details, cert.issued_at)


def both_scripts(name: str) -> tuple[str, str]:
    """(English, Telugu) spellings of a stored name: a Telugu name is romanised for the English line."""
    if any("\u0c00" <= ch <= "\u0c7f" for ch in name):
        from nlu.translit import to_latin

        return to_latin(name).title(), name
    return name, ""


# ------------------------------------------------------------------------------------------- rendering
def telugu_font_path(configured: str = "") -> Path:
    """The configured font, else the PyPI-packaged Noto Sans Telugu, else one of Debian's fonts-telu."""
    if configured:
        return Path(configured)
    try:
        from fontpkg_noto_sans_telugu import ROOT
        found = sorted((ROOT / "files").glob("*.ttf"))
        if found:
            return found[0]
    except ModuleNotFoundError:
        pass
    for candidate in DEBIAN_TELUGU_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("no Telugu font: pip install fontpkg-noto-sans-telugu, or set MITRA_DOCUMENT_FONT")


@lru_cache(maxsize=8)
def font_at_weight(path: Path, weight: int) -> Path | None:
    """A variable font (PyPI's Noto Sans Telugu is one) as a static font of one weight, made once and kept in
    the temporary directory: given the variable font, fpdf2 instantiates it with fontTools for every document,
    seconds of CPU per receipt. A static font is returned as it is; None where no static copy can be written."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(path, lazy=True)
    if "fvar" not in font:
        return path
    stat = path.stat()
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{weight}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / "mitra-fonts" / f"{path.stem}-{weight}-{key}.ttf"
    if not target.is_file():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            static = instancer.instantiateVariableFont(TTFont(path), {"wght": weight}, static=True)
            partial = target.with_suffix(f".{os.getpid()}.partial")
            static.save(partial)
            os.replace(partial, target)  # whole or absent, for other processes making the same one
        except OSError:  # no writable temporary directory: fpdf2 instantiates it (slowly) for each document
            return None
    return target


def _add_font(pdf: FPDF, style: str, font: Path, weight: int) -> None:
    static = font_at_weight(font, weight)
    pdf.add_font("doc", style, static or font, variations=None if static else {"wght": weight})


def _new_pdf(font: Path, title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2000, 1, 1))  # same facts, same bytes
    pdf.set_title(title)
    pdf.set_author(STATE_EN)
    _add_font(pdf, "", font, 400)
    _add_font(pdf, "B", font, 700)
    pdf.set_text_shaping(True, script="telu", language="te")  # mixed lines: Latin first still shapes Telugu
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def render_document(facts: DocumentFacts, verify_url: str, font: str = "") -> bytes:
    pdf = _new_pdf(telugu_font_path(font), f"{facts.title_en} {facts.reference}")
    pdf.set_font("doc", "B", 15)
    pdf.cell(0, 8, f"{facts.issuer_en} · {facts.issuer_te}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("doc", "B", 20)
    pdf.cell(0, 14, f"{facts.title_en} · {facts.title_te}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows = [Detail("Name", "పేరు", facts.holder_en), Detail("", "", facts.holder_te),
            Detail("Reference", "సూచిక", facts.reference), *facts.details,
            facts.issued]
    for row in rows:
        if row.value:
            _detail_row(pdf, row)
    pdf.image(qr_png(verify_url), x=140, y=200, w=50, h=50)
    pdf.set_font("doc", "", 9)
    pdf.set_xy(20, 255)
    pdf.multi_cell(170, 5, "Scan the QR code or open this address to check this document · "
                           "ఈ పత్రాన్ని తనిఖీ చేయడానికి QR కోడ్‌ను స్కాన్ చేయండి:\n" + verify_url)
    return bytes(pdf.output())


LABEL_WIDTH = 55  # mm, the label column of a document's detail rows


def _detail_row(pdf: FPDF, row: Detail) -> None:
    label = f"{row.label_en} · {row.label_te}" if row.label_en else ""
    size = 11.0
    pdf.set_font("doc", "", size)
    while size > 7 and pdf.get_string_width(label) > LABEL_WIDTH - 2:  # a long label shrinks, never overprints
        size -= 0.5
        pdf.set_font_size(size)
    pdf.cell(LABEL_WIDTH, 9, label)
    pdf.set_font("doc", "B", 13)
    pdf.multi_cell(0, 9, row.value, new_x="LMARGIN", new_y="NEXT")


def render_receipt(facts: DocumentFacts, verify_url: str, font: str = "") -> bytes:
    return render_document(facts, verify_url, font)


def render_ticket(facts: DocumentFacts, verify_url: str, font: str = "") -> bytes:
    return render_document(facts, verify_url, font)


def render_certificate(cert, verify_url: str, font: str = "") -> bytes:
    return render_document(certificate_facts(cert), verify_url, font)


# ------------------------------------------------------------------------------------------- the register
def _row_problem(doc: IssuedDocument) -> str:
    if content_hash(doc.facts) != doc.content_hash:
        return "content does not match its hash"
    if chain_hash(doc.prev_hash, doc.facts) != doc.record_hash:
        return "record hash does not match"
    return ""


class DocumentRegister:
    """Issues receipts and tickets into a hash-chained register, renders them and verifies their tokens."""

    def __init__(self, session_factory: sessionmaker[Session], settings):
        self.sessions = session_factory
        self.secret_key = settings.secret_key
        self.public_base_url = settings.public_base_url.rstrip("/")
        self.font = getattr(settings, "document_font", "")

    def issue(self, session: Session, facts: DocumentFacts) -> IssuedDocument:
        """Append the document (inside the caller's transaction); the same reference gives the same document."""
        existing = session.scalar(select(IssuedDocument).where(IssuedDocument.reference == facts.reference))
        if existing:
            return existing
        head = session.scalar(select(IssuedDocument).order_by(IssuedDocument.id.desc()).limit(1))
        content = facts.as_json()
        doc = IssuedDocument(serial=secrets.token_hex(8), kind=facts.kind, reference=facts.reference,
                             facts=content, issued_at=datetime.fromisoformat(content["issued_at"]),
                             prev_hash=head.record_hash if head else GENESIS_HASH,
                             content_hash=content_hash(content))
        doc.record_hash = chain_hash(doc.prev_hash, content)
        session.add(doc)
        session.flush()
        return doc

    def token(self, doc: IssuedDocument) -> str:
        return make_token(doc.serial, self.secret_key, TOKEN_PURPOSE)

    def verify_url(self, doc: IssuedDocument) -> str:
        return f"{self.public_base_url}/verify/{self.token(doc)}"

    def pdf(self, doc: IssuedDocument) -> bytes:
        return render_document(DocumentFacts.from_json(doc.facts), self.verify_url(doc), self.font)

    def filename(self, doc: IssuedDocument) -> str:
        return f"{doc.kind}-{doc.reference}.pdf"

    def signed_serial(self, token: str) -> str | None:
        return serial_from_token(token, self.secret_key, TOKEN_PURPOSE)

    def verify_token(self, token: str) -> Verification:
        serial = self.signed_serial(token)
        if serial is None:
            return Verification(False, "forged or damaged token")
        with self.sessions() as session:
            doc = session.scalar(select(IssuedDocument).where(IssuedDocument.serial == serial))
            if doc is None:
                return Verification(False, "unknown document")
            if _row_problem(doc):
                return Verification(False, "record altered")
            return Verification(True, "valid", DocumentFacts.from_json(doc.facts))

    def for_reference(self, reference: str) -> IssuedDocument | None:
        with self.sessions() as session:
            return session.scalar(select(IssuedDocument).where(IssuedDocument.reference == reference))

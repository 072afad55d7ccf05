"""The receipt or e-ticket document sent once a payment is recorded.

A plain record (`PaidDocument`) plus a simple PDF; the documents helper's applications/documents.py
(shaped Telugu, verify QR) renders the same record when it lands.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class PaidDocument:
    kind: str  # receipt | ticket
    reference: str  # the payment reference (and receipt number)
    title: str
    lines: tuple[tuple[str, str], ...]  # (label, value) as the citizen saw them, identifiers masked
    amount: str  # rupees, formatted
    paid_at: str
    gateway_payment_id: str
    check_url: str  # where the QR code points

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.reference}.pdf"


def render_pdf(doc: PaidDocument) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A5, invariant=1)
    width, height = A5
    page.setTitle(f"{doc.title} {doc.reference}")
    page.setFont("Helvetica-Bold", 14)
    page.drawString(12 * mm, height - 18 * mm, doc.title)
    page.setFont("Helvetica", 10)
    y = height - 30 * mm
    for label, value in (("Reference", doc.reference), *doc.lines, ("Amount paid", f"Rs. {doc.amount}"),
                         ("Paid at", doc.paid_at), ("Gateway payment", doc.gateway_payment_id)):
        page.drawString(12 * mm, y, f"{label}: {value}")
        y -= 6 * mm
    image = qrcode.make(doc.check_url)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    page.drawImage(ImageReader(buffer), width - 42 * mm, 10 * mm, 32 * mm, 32 * mm)
    page.showPage()
    page.save()
    return out.getvalue()

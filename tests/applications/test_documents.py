"""Receipts and e-tickets as PDFs: Telugu shaped in a Telugu font, a QR code that opens the verify page, and
the verify page over HTTP refusing forged tokens and altered register rows."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime

import httpx
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import update

from applications.certificates import make_token
from applications.documents import DocumentRegister, receipt_facts, render_receipt, ticket_facts
from core.db.document_models import IssuedDocument

PAID_AT = datetime(2026, 11, 30, 10, 15)
PAYER_TE = "శ్రీనివాస రావు"
JOURNEY_TE = "విజయవాడ నుండి తిరుపతి"


def receipt(reference: str = "pay_Q1w2e3r4") -> object:
    return receipt_facts(reference=reference, payer_en="Srinivasa Rao", payer_te=PAYER_TE,
                         purpose_en="Electricity bill, USC 1234567890", purpose_te="విద్యుత్ బిల్లు",
                         amount_paise=125050, paid_at=PAID_AT)


def ticket(reference: str = "APS26113000042") -> object:
    return ticket_facts(reference=reference, passenger_en="Lakshmi", passenger_te="లక్ష్మి",
                        journey_en="Vijayawada to Tirupati", journey_te=JOURNEY_TE, travel_date=date(2026, 12, 5),
                        departure="21:30", seats=("12", "13"), fare_paise=98000, issued_at=PAID_AT)


def page_text(pdf: bytes) -> str:
    """The text a reader copies out, through the PDF's ToUnicode map (poppler: pypdf mis-reads the extra glyphs
    of a shaped Telugu cluster as stray characters)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils, `make system-deps`) is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


def embedded_fonts(pdf: bytes) -> set[str]:
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]) for f in fonts.values()}


def qr_text(pdf: bytes) -> str:
    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0].image
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(_png(image))))
    assert len(found) == 1
    return found[0].text


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.convert("L").resize((image.width * 4, image.height * 4), Image.NEAREST).save(buffer, "PNG")
    return buffer.getvalue()


def test_receipt_prints_telugu_in_a_telugu_font_and_extracts_as_telugu():
    url = "http://127.0.0.1:8000/verify/abc123.signature"
    pdf = render_receipt(receipt(), url)
    text = page_text(pdf)
    assert PAYER_TE in text and "Srinivasa Rao" in text
    assert "చెల్లింపు రసీదు" in text and "₹ 1,250.50" in text and "pay_Q1w2e3r4" in text
    assert "30 Nov 2026 15:45 IST" in text  # paid at 10:15 UTC: the citizen's clock, zone named
    assert any("NotoSansTelugu" in name for name in embedded_fonts(pdf)), embedded_fonts(pdf)
    assert qr_text(pdf) == url


def test_the_same_receipt_renders_to_the_same_bytes():
    url = "http://127.0.0.1:8000/verify/x.y"
    assert render_receipt(receipt(), url) == render_receipt(receipt(), url)


def test_the_variable_font_is_made_static_once_per_weight(monkeypatch, tmp_path):
    """fpdf2 would instantiate the variable font for every document; each weight is made once and reused."""
    from fontTools.ttLib import TTFont

    from applications import documents

    font = documents.telugu_font_path()
    if "fvar" not in TTFont(font, lazy=True):
        pytest.skip(f"{font.name} is not a variable font")
    monkeypatch.setattr(documents.tempfile, "gettempdir", lambda: str(tmp_path))
    documents.font_at_weight.cache_clear()
    bold = documents.font_at_weight(font, 700)
    assert bold.parent == tmp_path / "mitra-fonts" and "fvar" not in TTFont(bold, lazy=True)
    assert TTFont(bold, lazy=True)["OS/2"].usWeightClass == 700
    made = bold.stat().st_mtime_ns
    documents.font_at_weight.cache_clear()  # another process: finds the file, does not make it again
    assert documents.font_at_weight(font, 700) == bold and bold.stat().st_mtime_ns == made
    assert documents.font_at_weight(bold, 400) == bold  # a static font is used as it is
    documents.font_at_weight.cache_clear()
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setattr(documents.tempfile, "gettempdir", lambda: str(blocked))  # nowhere to write a copy
    try:  # the document is still made, from the variable font
        assert documents.font_at_weight(font, 700) is None
        assert "Srinivasa Rao" in page_text(render_receipt(receipt(), "http://127.0.0.1:8000/verify/x.y"))
    finally:
        documents.font_at_weight.cache_clear()


def test_issued_once_per_reference_and_chained(settings, session_factory):
    register = DocumentRegister(session_factory, settings)
    with session_factory.begin() as s:
        first = register.issue(s, receipt())
        again = register.issue(s, receipt())
        second = register.issue(s, ticket())
        assert again.id == first.id and second.prev_hash == first.record_hash
        token = register.token(first)
    assert register.verify_token(token).valid


def test_verify_page_shows_what_the_ticket_shows_and_refuses_forgery(server, session_factory):
    register = server.services.documents()
    with session_factory.begin() as s:
        doc = register.issue(s, ticket())
        url = register.verify_url(doc)
        serial = doc.serial
    pdf = register.pdf(register.for_reference("APS26113000042"))
    assert qr_text(pdf) == url and url in page_text(pdf).replace("\n", "")
    page = httpx.get(url.replace("http://127.0.0.1:8000", server.url))
    assert page.status_code == 200 and "VALID" in page.text
    values = re.findall(r"<dd>(.*?)</dd>", page.text)
    assert "Lakshmi · లక్ష్మి" in values and "APS26113000042" in values and "12, 13" in values
    assert any(JOURNEY_TE in v for v in values) and "₹ 980.00" in values and "30 Nov 2026 15:45 IST" in values
    printed = re.sub(r"\s+", "", page_text(pdf))
    for value in values:
        plain = value.replace("&gt;", ">").replace("&amp;", "&")
        for part in plain.split(" · "):
            assert re.sub(r"\s+", "", part) in printed, part

    token = url.rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    bad = httpx.get(f"{server.url}/verify/{tampered}")
    assert bad.status_code == 400 and "INVALID" in bad.text and "forged" in bad.text
    other_key = httpx.get(f"{server.url}/verify/{make_token(serial, 'another-key', 'document')}")
    assert other_key.status_code == 400
    as_certificate = httpx.get(f"{server.url}/verify/{make_token(serial, 'test-secret-key')}")
    assert as_certificate.status_code == 404  # a certificate token for a receipt's serial names no certificate

    with session_factory.begin() as s:
        facts = dict(doc.facts, holder_en="Someone Else")
        s.execute(update(IssuedDocument).where(IssuedDocument.serial == serial).values(facts=facts))
    altered = httpx.get(url.replace("http://127.0.0.1:8000", server.url))
    assert altered.status_code == 400 and "record altered" in altered.text


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "ab.cd.ef", "%F0%9F%98%80.zz"])
def test_nonsense_tokens_get_a_clear_invalid_page(server, token):
    page = httpx.get(f"{server.url}/verify/{token}")
    assert page.status_code == 400 and "INVALID" in page.text


def test_a_certificate_prints_a_telugu_holder_in_both_scripts():
    from applications.documents import render_certificate
    from core.db import Certificate

    cert = Certificate(serial="0123abcd4567ef89", holder_name="రవి కుమార్", service_id="revenue.caste_certificate",
                       service_name_en="Caste certificate", service_name_te="కుల ధృవీకరణ పత్రం",
                       reference="REV-2026-000042", issued_at=PAID_AT)
    pdf = render_certificate(cert, "http://127.0.0.1:8000/verify/0123abcd4567ef89.sig")
    text = page_text(pdf)
    assert "రవి కుమార్" in text and "Ravi Kumaar" in text and "కుల ధృవీకరణ పత్రం" in text  # romanised for the English line
    assert qr_text(pdf).endswith("/verify/0123abcd4567ef89.sig")


def test_a_long_label_never_overprints_its_value():
    """The label column is fixed; a label too long for it is set smaller rather than run into the value."""
    from payments.documents import receipt as payment_receipt

    facts = payment_receipt("MP26120571", "S** K****", "Electricity bill 2026-11", "కరెంటు బిల్లు", 135100, PAID_AT,
                            [("Consumer", "S** K****"), ("Number", "1234567890123")], "pay_6cf35b1a939ad4")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils, `make system-deps`) is not installed")
    boxes = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=render_receipt(facts, "http://x/verify/a.b"),
                           capture_output=True, check=True).stdout.decode("utf-8")
    words = [(float(x0), float(y0), float(x1), w) for x0, y0, x1, w in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', boxes)]
    value = next(w for w in words if w[3] == "pay_6cf35b1a939ad4")
    label = [w for w in words if abs(w[1] - value[1]) < 3 and w[0] < value[0]]
    assert label and max(w[2] for w in label) <= value[0], (label, value)

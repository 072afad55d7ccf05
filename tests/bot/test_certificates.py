"""Certificates end to end: issued on schedule, downloaded in the chat, verified, and the register audited."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select, update
from typer.testing import CliRunner

from applications.certificates import audit_chain, make_token, qr_png
from catalog.schema import FieldType
from core.db import Application, Certificate
from mitra.cli import app as cli
from tests.utils.chat import REFERENCE, Chat, fill_fields, first_service, open_by_menu, pay_fee


def apply_for_certificate(chat: Chat, catalog, clock) -> str:
    """Apply, and pay the fee on the payment page (the office starts once it is paid)."""
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, clock.now.date())
    reference = REFERENCE.search(chat.say(choice="submit")[0].text).group()
    pay_fee(chat)
    return reference


def test_status_moves_on_the_services_schedule(make_bot, catalog, connector, clock):
    chat = Chat(make_bot())
    reference = apply_for_certificate(chat, catalog, clock)
    app = connector.status(reference)
    total = app.expected_by - app.submitted_at
    assert connector.advance(app.submitted_at + total * 0.1) == []
    assert connector.advance(app.submitted_at + total * 0.5) == [(reference, "under_review")]
    assert "under review" in chat.say(f"status of {reference}")[0].text
    assert connector.advance(app.expected_by - timedelta(seconds=1)) == [(reference, "approved")]
    assert connector.advance(app.expected_by) == [(reference, "issued")]
    assert connector.advance(app.expected_by + timedelta(days=30)) == []
    history = connector.status(reference).history
    assert [h["status"] for h in history] == ["submitted", "submitted", "under_review", "approved", "issued"]
    assert history[1]["note"] == "fee paid"  # the office's time started with the fee


def test_certificate_download_verify_and_tamper_detection(make_bot, catalog, connector, clock, sessions):
    chat = Chat(make_bot())
    reference = apply_for_certificate(chat, catalog, clock)
    connector.advance(clock.now + timedelta(days=400))
    replies = chat.say(f"status of {reference}")
    document = next(r for r in replies if r.kind == "document")
    assert document.document.filename == f"{reference}.pdf"
    url = re.search(r"http://127\.0\.0\.1:8765/verify/(\S+)", document.text)
    token = url.group(1)

    pdf = PdfReader(io.BytesIO(document.document.content))
    page_text = pdf.pages[0].extract_text()
    assert reference in page_text and "Ravi Kumar" in page_text and url.group(0) in page_text
    images = pdf.pages[0].images
    assert len(images) == 1  # the QR code
    expected_qr = qr_png(url.group(0))
    from PIL import Image
    assert images[0].image.convert("1").tobytes() == Image.open(io.BytesIO(expected_qr)).convert("1").tobytes()

    registry = chat.bot.certificates
    result = registry.verify_token(token)
    assert result.valid and result.holder == "Ravi Kumar" and result.reference == reference
    assert result.issued_at is not None and result.service_name
    serial, signature = token.split(".")
    assert not registry.verify_token(f"{serial}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}").valid
    assert not registry.verify_token(make_token("0" * 16, "some-other-key")).valid
    assert registry.verify_token(make_token("0" * 16, "test-secret")).reason == "unknown certificate"
    assert registry.verify_token("garbage").reason == "forged or damaged token"

    with sessions.begin() as s:
        s.execute(update(Certificate).values(holder_name="Someone Else"))
    assert registry.verify_token(token).reason == "record altered"


def test_audit_names_the_first_altered_record(make_bot, catalog, connector, clock, sessions, db_url):
    references = []
    for number in range(3):
        chat = Chat(make_bot(), citizen=f"91980000001{number}")
        references.append(apply_for_certificate(chat, catalog, clock))
    connector.advance(clock.now + timedelta(days=400))
    with sessions() as s:
        certs = s.scalars(select(Certificate).order_by(Certificate.id)).all()
        assert len(certs) == 3 and certs[1].prev_hash == certs[0].record_hash
        assert audit_chain(s).ok and audit_chain(s).checked == 3
    runner = CliRunner()
    ok = runner.invoke(cli, ["certificates", "audit", "--database-url", db_url])
    assert ok.exit_code == 0 and "3 certificate records" in ok.output

    with sessions.begin() as s:
        s.execute(update(Certificate).where(Certificate.id == certs[1].id)
                  .values(issued_at=certs[1].issued_at + timedelta(days=1)))
    with sessions() as s:
        result = audit_chain(s)
    assert not result.ok and result.first_bad_id == certs[1].id and result.checked == 1
    bad = runner.invoke(cli, ["certificates", "audit", "--database-url", db_url])
    assert bad.exit_code == 1 and f"record {certs[1].id}" in bad.output


def test_a_rewritten_record_with_fresh_hashes_still_breaks_the_chain(make_bot, catalog, connector, clock,
                                                                     sessions):
    from applications.certificates import certificate_content, chain_hash, content_hash

    for number in range(2):
        apply_for_certificate(Chat(make_bot(), citizen=f"91980000002{number}"), catalog, clock)
    connector.advance(clock.now + timedelta(days=400))
    with sessions.begin() as s:
        first = s.scalars(select(Certificate).order_by(Certificate.id)).first()
        first.holder_name = "Forger"
        content = certificate_content(first)
        first.content_hash = content_hash(content)
        first.record_hash = chain_hash(first.prev_hash, content)
    with sessions() as s:
        result = audit_chain(s)
    assert not result.ok and result.first_bad_id == first.id + 1


def test_only_the_applicant_receives_the_certificate(make_bot, catalog, connector, clock, sessions):
    reference = apply_for_certificate(Chat(make_bot()), catalog, clock)
    connector.advance(clock.now + timedelta(days=400))
    stranger = Chat(make_bot(), citizen="919811111111").say(f"status of {reference}")
    # another number learns nothing: the same "not found" as for a reference that does not exist (issue 15)
    assert [r.kind for r in stranger] == ["text"] and "could not find" in stranger[0].text
    assert "issued" not in stranger[0].text
    with sessions() as s:
        assert s.scalar(select(Application.status)) == "issued"


def test_a_fee_not_paid_now_is_paid_later_by_the_reference(make_bot, catalog, clock, connector):
    bot = make_bot()
    chat = Chat(bot)
    service = first_service(catalog, "certificate", FieldType.aadhaar)
    assert service.fee > 0
    open_by_menu(chat, service)
    fill_fields(chat.say, service.fields, catalog, clock.now.date())
    submitted = chat.say(choice="submit")
    reference = REFERENCE.search(submitted[0].text).group()
    assert submitted[-1].kind == "buttons" and f"₹{service.fee:g}" in submitted[-1].text  # the fee, asked
    later = chat.say(choice="stop")[-1].text
    assert "Nothing was charged" in later and f'"pay {reference}"' in later
    assert f"Fee ₹{service.fee:g}: not paid yet" in chat.say(f"status of {reference}")[0].text
    assert connector.advance(clock.now + timedelta(days=400)) == []  # the office waits for the fee
    asked = chat.say(f"pay {reference}")[-1]
    assert asked.kind == "buttons" and reference in asked.text and f"₹{service.fee:g}" in asked.text
    clock.now += timedelta(days=10)  # paid ten days late: the office's days count from then
    link = re.search(r"/pay/(\S+)", chat.say(choice="pay")[-1].text).group(1)
    receipt = bot.ledger.documents.for_reference(bot.ledger.simulate(link, "pay").notices[0].document)
    assert receipt.facts["holder_en"] not in ("", "-", "—")  # the applicant's name, kept with the application
    assert f"Fee ₹{service.fee:g}: paid." in chat.say(f"status of {reference}")[0].text
    status = connector.status(reference)
    assert status.expected_by - status.submitted_at == timedelta(days=10 + service.sla_days)
    assert connector.advance(clock.now + timedelta(days=service.sla_days) - timedelta(minutes=1))[-1][1] == "approved"
    stranger = Chat(bot, citizen="919800000077")
    assert stranger.say(f"pay {reference}")[-1].text.startswith(f"No fee is due for {reference}.")

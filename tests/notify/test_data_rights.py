"""Consent and data rights through the signed webhook: the first-contact notice, "my data", "delete my data"
(no personal value left in the database, SQLite file bytes or every PostgreSQL row), and the retention job."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from core.db import Application, Citizen, Consent, Conversation, Message
from core.db.commerce_models import PaymentOrder
from tests.notify.conftest import citizen_db_id, submit_application

NAME = "Lakshmiprasanna Venkataramana"
MOBILE = "9701234567"
PG_URL = os.environ.get("MITRA_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def test_first_contact_notice_links_the_privacy_page_and_is_recorded(app, citizen):
    import httpx

    first = citizen.say("Hi")
    assert "/privacy" in first[0].text and "STOP" in first[0].text
    assert "/privacy" not in citizen.say("menu")[0].text  # once
    with app.services.session_factory() as session:
        consent = session.scalar(select(Consent))
        assert consent.notice_version == app.services.settings.privacy_notice_version and consent.notice_at
    page = httpx.get(f"{app.url}/privacy", timeout=10)
    assert page.status_code == 200 and "delete my data" in page.text and "ఆపు" in page.text


def test_my_data_is_a_document_of_what_is_held(app, citizen, graph):
    citizen.say("Hi")
    reference = submit_application(app.services, citizen_db_id(app.services, citizen.wa_id), NAME, MOBILE)
    sent = citizen.say("my data")
    assert sent[0].kind == "document"
    upload = graph.uploads[sent[0].payload["document"]["id"]]
    held = json.loads(upload.content)
    assert held["number"] == citizen.wa_id
    assert held["applications"][0]["reference"] == reference
    assert held["applications"][0]["details"]["applicant_name"] == NAME
    assert any(m["text"].startswith("Hi") for m in held["messages"])


def _erase_journey(app, citizen) -> str:
    citizen.say("Hi")
    citizen.say(f"my name is {NAME}")  # the citizen's own words, stored as conversation text
    reference = submit_application(app.services, citizen_db_id(app.services, citizen.wa_id), NAME, MOBILE)
    _open_a_payment(app, citizen, reference)
    ask = citizen.say("delete my data")
    assert ask[0].kind == "button" and "erase:yes" in ask[0].choice_ids
    done = citizen.tap("erase:yes", "Yes, delete")
    assert "Your data is deleted" in done[0].text and reference in done[0].text
    return reference


def _open_a_payment(app, citizen, reference: str) -> None:
    """A payment link with the citizen's number and name on its order (a ticket's would have both)."""
    from payments.ledger import Payable, once_subject

    app.services.ledger().open_order(citizen_db_id(app.services, citizen.wa_id), Payable(
        "revenue.income_certificate", "fee", once_subject(reference), 4500, "Income certificate fee",
        (("Application", reference),), contact=f"+91{MOBILE}", holder=NAME), "en")


def _sqlite_bytes(settings) -> bytes:
    db = Path(settings.sqlalchemy_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_delete_my_data_leaves_no_personal_value_in_the_sqlite_file(app, citizen):
    settings = app.services.settings
    citizen.say("Hi")
    citizen.say(f"my name is {NAME}")
    assert NAME.encode() in _sqlite_bytes(settings)  # the scan would see it: the test can fail
    reference = _erase_journey(app, citizen)
    data = _sqlite_bytes(settings)
    for value in (NAME, MOBILE, citizen.wa_id, "my name is"):
        assert value.encode() not in data, value
    _kept_and_fresh(app, citizen, reference)


def _kept_and_fresh(app, citizen, reference: str) -> None:
    with app.services.session_factory() as session:
        kept = session.scalar(select(Application).where(Application.reference == reference))
        assert kept.status == "submitted" and kept.fields_sealed == ""
        assert set(kept.fields.values()) == {"[erased]"}
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert session.get(Citizen, kept.citizen_id).number_sealed == ""
        order = session.scalar(select(PaymentOrder).where(PaymentOrder.citizen_id == kept.citizen_id))
        assert order.amount_paise == 4500 and (order.details["contact"], order.details["holder"]) == ("", "")
    fresh = citizen.say("Hi")
    assert "/privacy" in fresh[0].text  # a new conversation: the first-contact notice again
    new_id = citizen_db_id(app.services, citizen.wa_id)
    assert new_id != kept.citizen_id
    with app.services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 1
    other = citizen.say(f"status of {reference}")[0].text  # the new conversation cannot see the old one
    assert "submitted" not in other.lower().replace("not found", "")


def _postgres_reachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:  # any reason: report it in the skip
        return f"PostgreSQL at {PG_URL} is not reachable: {exc}"


@pytest.fixture
def pg_settings(api_settings, tmp_path):
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"notify_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://") + f"?options=-csearch_path%3D{schema}"
    yield api_settings.model_copy(update={"database_url": url, "analyst_tokens": ""}), schema
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_delete_my_data_leaves_no_personal_value_in_postgresql(pg_settings, graph, catalog):
    from api.app import create_app
    from bot.engine import Bot
    from core.db import init_db, make_session_factory
    from core.settings import InboxSettings
    from runtime.services import Services
    from tests.api.whatsapp_citizen import WhatsAppCitizen
    from tests.fakes.http_server import ThreadedServer
    from whatsapp.client import RetryPolicy, WhatsAppClient

    settings, schema = pg_settings
    engine = init_db(settings.sqlalchemy_url)
    sessions = make_session_factory(engine)
    services = Services.start(settings, catalog=catalog, session_factory=sessions,
                              worker_settings=InboxSettings(poll_interval_s=0.05),
                              whatsapp=WhatsAppClient.from_settings(settings, retry=RetryPolicy(attempts=2)))
    services._bot = Bot(catalog, None, sessions, services.connector(), settings)
    with ThreadedServer(create_app(settings, services=services)) as server:
        server.services = services
        citizen = WhatsAppCitizen(server.url, graph, sessions)
        citizen.say("Hi")
        citizen.say(f"my name is {NAME}")
        assert NAME in _every_value(engine, schema)
        assert NAME.encode() in _every_page(engine, schema)  # the page scan sees it: the test can fail
        reference = _erase_journey(server, citizen)
        values, pages = _every_value(engine, schema), _every_page(engine, schema)
        for value in (NAME, MOBILE, citizen.wa_id, "my name is"):
            assert value not in values, value
            assert value.encode() not in pages, f"{value} is still on disk (a dead row version)"
        _kept_and_fresh(server, citizen, reference)


def _every_page(engine, schema: str) -> bytes:
    """Every block of every table, TOAST table and index of the schema as PostgreSQL holds it on disk, dead row
    versions included (pageinspect's get_raw_page; needs a superuser, as the test database's trust login is)."""
    import psycopg

    try:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect SCHEMA public")
    except Exception as exc:  # not a superuser, or contrib not installed
        pytest.skip(f"pageinspect is not available to read PostgreSQL pages: {exc}")
    relations = text("""SELECT c.oid::regclass::text, pg_relation_size(c.oid) / current_setting('block_size')::int
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = :s AND c.relkind IN ('r', 'i')
        UNION ALL
        SELECT t.oid::regclass::text, pg_relation_size(t.oid) / current_setting('block_size')::int
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class t ON t.oid = c.reltoastrelid
        WHERE n.nspname = :s""")
    with engine.connect() as conn:
        found = conn.execute(relations, {"s": schema}).all()
        return b"".join(bytes(conn.execute(text("SELECT public.get_raw_page(:r, :b)"), {"r": name, "b": block})
                              .scalar_one())
                        for name, blocks in found for block in range(blocks))


def _every_value(engine, schema: str) -> str:
    """Every row of every table as text: the whole database as a reader with SQL access sees it."""
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                              {"s": schema}).scalars().all()
        return "\n".join(str(row) for table in tables
                         for row in conn.execute(text(f'SELECT t::text FROM "{schema}"."{table}" t')))


def test_retention_deletes_old_voice_notes_and_masks_old_text(app, citizen):
    from datetime import timedelta

    from core.audio_store import AudioStore
    from core.db import utcnow
    from runtime.retention import MASKED, apply_retention

    settings = app.services.settings
    store = AudioStore(settings.audio_dir)
    old = store.save("hash-a", "wamid.old", b"OggS old note")
    new = store.save("hash-a", "wamid.new", b"OggS new note")
    month_ago = time.time() - (settings.retention_audio_days + 1) * 86400
    os.utime(old, (month_ago, month_ago))
    citizen.say("Hi")
    today = apply_retention(app.services.session_factory, settings)
    assert today.audio_deleted == 1 and not old.exists() and new.exists()
    assert today.messages_masked == 0
    later = utcnow() + timedelta(days=settings.retention_text_days + 1)
    assert apply_retention(app.services.session_factory, settings, now=later).messages_masked >= 2
    with app.services.session_factory() as session:
        assert set(session.scalars(select(Message.text))) == {MASKED}

"""Bot fixtures: a real SQLite file per test, the real catalog, a clock tests move by hand."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from applications.connectors import EmbeddedConnector
from bot.engine import Bot
from bot.replies import IncomingMessage, Reply
from catalog.formats import get_format
from catalog.schema import FieldType, ServiceField
from core.db import init_db, make_session_factory
from core.settings import Settings

VALID_AADHAAR = "234567890124"  # Verhoeff check digit 4
VALID_MOBILE = "9848012345"


@dataclass
class Clock:
    now: datetime = datetime(2026, 3, 2, 10, 30)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(tmp_path):
    return Settings(secret_key="test-secret", public_base_url="http://127.0.0.1:8765", data_dir=tmp_path)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'core.db'}"


@pytest.fixture
def sessions(db_url):
    engine = init_db(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this session, migrated once (skips when none is reachable)."""
    from tests.scale.services import postgres_database

    with postgres_database("mitra_bot") as url:
        init_db(url).dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sqlite_and_postgres_url(request, tmp_path):
    """Run a test on a SQLite file and on an emptied PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'core.db'}"
    from tests.scale.services import truncate_all

    url = request.getfixturevalue("postgres_url")
    truncate_all(url)
    return url


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def connector(sessions, catalog, settings):
    return EmbeddedConnector.for_catalog(sessions, catalog, settings)


@pytest.fixture
def make_bot(catalog, sessions, connector, settings, clock):
    def build(router=None) -> Bot:
        return Bot(catalog, router, sessions, connector, settings, clock=clock)
    return build


_ids = itertools.count(1)


@dataclass
class Chat:
    """One citizen talking to a bot; every message gets a fresh WhatsApp-like id."""

    bot: Bot
    citizen: str = "919800000001"
    sent: list[str] = field(default_factory=list)

    def say(self, text: str | None = None, choice: str | None = None, message_id: str | None = None,
            **extra) -> list[Reply]:
        message_id = message_id or f"wamid.test{next(_ids)}"
        self.sent.append(message_id)
        return self.bot.handle(IncomingMessage(self.citizen, message_id, text=text, choice_id=choice, **extra))


def all_text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def answers_for(spec: ServiceField, catalog, today: date) -> tuple[str, str]:
    """(a valid answer, an invalid one) for any field of the catalog."""
    gaz = catalog.gazetteer
    if spec.type == FieldType.date:
        past, future = today - timedelta(days=9000), today + timedelta(days=10)
        good = {"past": past, "future": future, "any": past}[spec.date_range]
        bad = {"past": future.strftime("%d-%m-%Y"), "future": past.strftime("%d-%m-%Y"),
               "any": "no date here"}[spec.date_range]
        return good.strftime("%d-%m-%Y"), bad
    if spec.type in (FieldType.number, FieldType.amount):
        low = spec.min if spec.min is not None else 1
        good = f"{low:g}"
        bad = "lots" if spec.max is None else f"{spec.max + 1:g}"
        return good, bad
    if spec.type == FieldType.identifier:  # the format's own example, and words that are no number
        return get_format(spec.format).example, "hello there"
    places = {FieldType.district: gaz.districts, FieldType.town: gaz.towns, FieldType.temple: gaz.temples}
    if spec.type in places:
        return places[spec.type][0].name.en, "Atlantis Nowhere"
    return {
        FieldType.text: ("Water pipe broken near the school", "x"),
        FieldType.name: ("Ravi Kumar", "12345"),
        FieldType.aadhaar: ("2345 6789 0124", "2345 6789 0123"),
        FieldType.mobile: (VALID_MOBILE, "12345"),
        FieldType.mandal: ("Tenali", "7"),
        FieldType.choice: (spec.choices[-1].label.en if spec.choices else "", "zzz-not-an-option"),
        FieldType.reference: ("AP-REV-2026-000001", "hello there"),
        FieldType.survey_number: ("123/4A", "survey?"),
    }[spec.type]



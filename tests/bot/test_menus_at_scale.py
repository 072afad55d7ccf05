"""The numbered menus at phase-two scale (issue 16): 45 departments and a department of 25 services, walked
through the real Bot in English, Telugu and romanized Telugu; every page must be a valid WhatsApp list.

The big catalog is the real one with departments and services cloned under new ids and numbers, so the test
holds whatever size the real catalog has grown to.
"""
from __future__ import annotations

import re

import pytest

from bot import render
from bot.engine import Bot
from catalog.loader import Catalog
from catalog.schema import Bilingual
from tests.utils.chat import Chat
from whatsapp.payloads import reply_payloads

DEPARTMENTS = 45
BIG_DEPARTMENT_SERVICES = 25
TELUGU = re.compile(r"[\u0C00-\u0C7F]")

# (how the citizen makes their language known, "menu", "more") per language tag
SPEAKERS = {
    "en": ({"choice": "lang:en"}, "menu", "more"),
    "te": ({"choice": "lang:te"}, "మెనూ", "ఇంకా"),
    "te-latn": ({"text": "namaskaram"}, "menu chupinchandi", "inka"),
}


def grown(catalog: Catalog) -> Catalog:
    """`catalog` with at least DEPARTMENTS departments and its first department holding at least
    BIG_DEPARTMENT_SERVICES services (clones of real services under new ids and menu numbers)."""
    departments, services = dict(catalog.departments), dict(catalog.services)
    real = catalog.departments_in_menu_order()
    number = max(d.menu_number for d in real)
    for i in range(max(0, DEPARTMENTS - len(real))):
        base = real[i % len(real)]
        number += 1
        clone = base.model_copy(update={
            "id": f"{base.id}_region{i}", "code": "Z" + "ABCDEFGHIJKLMNOPQRSTUVWXY"[i % 25] * 2,
            "menu_number": number,
            "name": Bilingual(en=f"{base.name.en} (region {i + 1})", te=f"{base.name.te} (ప్రాంతం {i + 1})")})
        departments[clone.id] = clone
        template = catalog.by_department(base.id)[0]
        services[f"{clone.id}.{template.id.split('.')[1]}"] = template.model_copy(update={
            "id": f"{clone.id}.{template.id.split('.')[1]}", "department": clone.id, "menu_path": (number, 1)})
    big = real[0]
    own = catalog.by_department(big.id)
    others = [s for s in catalog.services.values() if s.department != big.id]
    last = max(s.menu_path[1] for s in own)
    for i in range(max(0, BIG_DEPARTMENT_SERVICES - len(own))):
        template = others[i]
        new_id = f"{big.id}.extra{i}_{template.id.split('.')[1]}"
        services[new_id] = template.model_copy(update={
            "id": new_id, "department": big.id, "menu_path": (big.menu_number, last + 1 + i)})
    return Catalog(departments, services, catalog.gazetteer, catalog.version + "-grown")


@pytest.fixture
def big(catalog):
    return grown(catalog)


@pytest.fixture
def chat_in(big, sessions, connector, settings, clock):
    def start(tag: str) -> tuple[Chat, str, str]:
        chat = Chat(Bot(big, None, sessions, connector, settings, clock=clock))
        known, menu, more = SPEAKERS[tag]
        chat.say(**known)
        return chat, menu, more
    return start


def fits_whatsapp(reply) -> None:
    """The reply, split as the outbound client splits it, is a list WhatsApp accepts without clipping."""
    *texts, last = render.fit(reply)
    assert last.kind == "list" and all(t.kind == "text" for t in texts)
    assert 1 <= len(last.rows) <= render.LIST_MAX_ROWS
    assert len(last.text) <= render.INTERACTIVE_BODY_MAX and len(last.list_button) <= render.LIST_BUTTON_MAX
    assert len({row.id for row in last.rows}) == len(last.rows)
    for row in last.rows:
        assert len(row.title) <= render.ROW_TITLE_MAX and len(row.description) <= render.ROW_DESCRIPTION_MAX
    payload = reply_payloads("919800000001", last)[0]["interactive"]
    sent = payload["action"]["sections"][0]["rows"]
    assert [(r["id"], r["title"]) for r in sent] == [(r.id, r.title) for r in last.rows]  # nothing clipped later


def walk_pages(chat: Chat, first, more: str, prefix: str) -> list[str]:
    """Every row id of a paged menu, following "more" until the first page comes back."""
    seen, page = [], first
    for _ in range(20):
        fits_whatsapp(page)
        seen += [r.id for r in page.rows if r.id.startswith(prefix)]
        assert page.rows[-1].id == "more"
        page = chat.say(more)[-1]
        if page.rows[0].id == first.rows[0].id:
            return seen
    raise AssertionError("the pages never came back to the first")


@pytest.mark.parametrize("tag", list(SPEAKERS))
def test_every_department_and_service_is_reachable_by_more_and_by_number(chat_in, big, tag):
    chat, menu, more = chat_in(tag)
    departments = big.departments_in_menu_order()
    assert len(departments) >= DEPARTMENTS

    first = chat.say(menu)[-1]
    assert walk_pages(chat, first, more, "dept:") == [f"dept:{d.menu_number}" for d in departments]
    assert all(bool(TELUGU.search(r.title)) == (tag != "en") for r in first.rows)

    # a number from the last page works from the first page too
    late = departments[-1]
    chat.say(menu)
    listed = chat.say(str(late.menu_number))[-1]
    assert [r.id for r in listed.rows] == [f"svc:{s.id}" for s in big.by_department(late.id)]

    # the big department: three pages of services, and a digit from the last page starts that service
    big_department = departments[0]
    chat.say(menu)
    services = big.by_department(big_department.id)
    assert len(services) >= BIG_DEPARTMENT_SERVICES
    first_services = chat.say(str(big_department.menu_number))[-1]
    assert walk_pages(chat, first_services, more, "svc:") == [f"svc:{s.id}" for s in services]
    chosen = services[-1]
    started = chat.say(str(chosen.menu_path[1]))
    assert chosen.name.get(tag) in "\n".join(r.text for r in started)


def test_the_page_body_lists_the_numbers_a_citizen_may_type(chat_in, big):
    chat, menu, more = chat_in("en")
    page = chat.say(menu)[-1]
    second = chat.say(more)[-1]
    for shown in (page, second):
        numbers = [int(r.title.split(".")[0]) for r in shown.rows if r.id.startswith("dept:")]
        assert all(re.search(rf"(^|\n){n}\. ", shown.text) for n in numbers)
        assert re.search(r"page \d+ of \d+", shown.text)


def test_a_shortened_telugu_title_keeps_whole_letters(catalog):
    """WhatsApp counts characters; a Telugu letter is often several ("త్రు" is four), and half a letter draws a
    broken glyph. Every Telugu service name too long for a list row is cut between letters."""
    import regex

    from bot.render import ROW_TITLE_MAX, clip

    long_names = [s.name.te for s in catalog.services.values() if len(s.name.te) > ROW_TITLE_MAX]
    assert long_names
    for title in long_names:
        clipped = clip(title, ROW_TITLE_MAX)
        assert len(clipped) <= ROW_TITLE_MAX and clipped.endswith("…")
        letters = regex.findall(r"\X", title)
        kept = clipped[:-1].rstrip()
        assert any("".join(letters[:n]).rstrip() == kept for n in range(len(letters))), clipped

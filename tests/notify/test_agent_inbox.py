"""A person answers: a citizen asks for an agent over WhatsApp, an agent answers from the inbox page in
headless Chromium and resolves; the citizen's side is what the fake Graph server received."""
from __future__ import annotations

import httpx
from sqlalchemy import select

from core.db import Conversation, Handoff
from tests.notify.conftest import AGENT_TOKEN
from tests.utils.browser import chromium, needs_chromium
from tests.utils.net import wait_for


def handoffs(services) -> list[Handoff]:
    with services.session_factory() as session:
        return list(session.scalars(select(Handoff).order_by(Handoff.id)))


def test_the_citizen_is_told_the_wait_and_can_cancel(app, citizen):
    citizen.say("Hi")
    told = citizen.say("agent")
    assert any("Expected wait: about" in s.text and "cancel" in s.text for s in told)
    assert handoffs(app.services)[-1].status == "waiting"
    citizen.say("cancel")
    assert handoffs(app.services)[-1].status == "cancelled"


def test_only_agents_reach_the_inbox(app):
    assert httpx.get(f"{app.url}/v1/agent/handoffs", timeout=10).status_code == 401
    bad = httpx.get(f"{app.url}/v1/agent/handoffs", headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert bad.status_code == 401
    as_agent = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    assert httpx.get(f"{app.url}/v1/analyst/queue", headers=as_agent, timeout=10).status_code == 403


@needs_chromium
def test_an_agent_answers_from_the_inbox_page_and_resolves(app, citizen, graph):
    citizen.say("Hi")
    citizen.say("My Aadhaar is 2345 6789 0124 and my pension has not come")
    citizen.say("agent")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{app.url}/agent")
        page.fill("#token", AGENT_TOKEN)
        page.click("#signin")
        page.wait_for_selector("#queue li.handoff")
        entry = page.locator("#queue li.handoff").first.inner_text()
        assert "waiting" in entry and "5678" in entry and citizen.wa_id not in entry
        page.locator("#queue li.handoff").first.click()
        page.wait_for_selector(".msg.in")
        shown = page.locator("#messages").inner_text()
        assert "pension has not come" in shown and "2345 6789 0124" not in shown  # numbers masked
        page.locator("button.quick[data-id='checking:te']").click()
        assert "పరిశీలిస్తున్నాను" in page.input_value("#reply")
        page.fill("#reply", "Your pension for November is released; it reaches your account by Friday.")
        page.click("#send")
        page.wait_for_function("document.querySelector('#status').textContent.startsWith('sent as')")
        assert page.inner_text("#status") == "sent as text"
        answer = wait_for(lambda: [m for m in graph.sent_to(citizen.wa_id)
                                   if "released" in m.get("text", {}).get("body", "")])
        assert answer[0]["text"]["body"].startswith("Mana Mitra officer:")
        page.click("#resolve")
        page.wait_for_function("document.querySelector('#status').textContent === 'resolved'")
        assert page.locator("#queue li.handoff").count() == 0
    assert wait_for(lambda: [m for m in graph.sent_to(citizen.wa_id)
                             if "Mitra, the assistant, will help" in m.get("text", {}).get("body", "")])
    assert handoffs(app.services)[-1].status == "resolved" and handoffs(app.services)[-1].agent == "Sita"
    with app.services.session_factory() as session:
        assert session.scalar(select(Conversation.handed_off)) is False
    citizen.seen = len(graph.sent_to(citizen.wa_id))
    back = citizen.say("menu")  # the bot answers again
    assert back[0].kind == "list"

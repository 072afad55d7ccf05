"""A web-chat citizen pays a bill on the simulated gateway's page (another tab) and the chat shows the receipt:
the page polls GET /v1/chat/updates, draws the document link, and the link downloads the register's PDF."""
from __future__ import annotations

import re

import httpx
import pytest

from tests.utils.browser import CHROMIUM_MARKS, chromium, send

pytestmark = CHROMIUM_MARKS


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


def tap(page, choice_id: str) -> None:
    count = page.locator(".bubble.bot, .error").count()
    page.click(f"button[data-choice='{choice_id}']:not([disabled])")
    page.wait_for_function(f"document.querySelectorAll('.bubble.bot, .error').length > {count}")


def test_web_chat_shows_the_receipt_after_paying_on_the_pay_page(app):
    with chromium() as browser:
        chat = browser.new_page(viewport={"width": 480, "height": 900})
        chat.goto(f"{app.url}/chat")
        chat.wait_for_selector(".choices button")
        for said in ("English", "menu", "5", "1", "1234567890123", "9848012345"):
            send(chat, said)
        tap(chat, "submit")
        assert "Amount due" in chat.locator(".bubble.bot").last.inner_text()
        tap(chat, "pay")
        link = re.search(r"https?://\S+/pay/(\S+)", chat.locator(".bubble.bot").last.inner_text())
        assert link, chat.locator(".bubble.bot").last.inner_text()

        pay_page = browser.new_page()  # the citizen pays in another tab, as a gateway page opens
        pay_page.goto(f"{app.url}/pay/{link.group(1)}")
        pay_page.click("#pay")
        pay_page.wait_for_load_state()
        assert "Your receipt is in your chat" in pay_page.inner_text("#result")

        chat.bring_to_front()  # back to the chat tab
        chat.wait_for_selector(".doc a", timeout=30000)  # pushed, without the citizen writing again
        anchor = chat.locator(".doc a").last
        assert anchor.inner_text().startswith("📄 receipt-") and "Payment received" in \
            chat.locator(".doc").last.inner_text()
        href = anchor.get_attribute("href")
        browser.close()
    pdf = httpx.get(f"{app.url}{href}", timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

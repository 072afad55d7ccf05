"""Script-looking text a citizen sends is shown as text, never run, on the chat page and the analysts' page
(headless Chromium with Playwright)."""
from __future__ import annotations

import httpx
import pytest

from tests.security.conftest import ANALYST_TOKEN
from tests.utils.browser import CHROMIUM_MARKS, chromium

pytestmark = CHROMIUM_MARKS
HOSTILE = ('zzqx <img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script> '
           '<svg onload="window.__pwned=1"></svg>')


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def test_script_text_does_not_run_on_the_chat_or_analyst_page(server, browser):
    chat = browser.new_page()
    chat.goto(f"{server.url}/chat")
    for _ in range(2):  # the first message of a session gets the welcome; the second is routed (and queued)
        count = chat.locator(".bubble.bot").count()
        chat.fill("#text", HOSTILE)
        chat.click("#send")
        chat.wait_for_function(f"document.querySelectorAll('.bubble.bot').length > {count}")
    assert HOSTILE in chat.locator("body").inner_text()  # shown literally
    assert chat.evaluate("window.__pwned") is None
    assert chat.locator(".bubble img, .bubble svg, .bubble script").count() == 0

    queued = httpx.get(f"{server.url}/v1/analyst/queue", headers={"Authorization": f"Bearer {ANALYST_TOKEN}"}).json()
    assert any(HOSTILE in str(item) for item in queued["items"]), (queued, chat.locator("body").inner_text())
    analyst = browser.new_page()
    analyst.goto(f"{server.url}/analyst")
    analyst.fill("#token", ANALYST_TOKEN)
    analyst.click("#login-button")
    analyst.wait_for_function("document.body.innerText.includes('zzqx')", timeout=30000)
    assert HOSTILE in analyst.locator("body").inner_text()
    assert analyst.evaluate("window.__pwned") is None
    # the dashboard's plotly charts draw their own svg; anything else would be the hostile text's markup
    injected = "#app img, #app script, #app svg:not(.js-plotly-plot svg):not(.main-svg):not(.main-svg *)"
    assert analyst.locator(injected).count() == 0

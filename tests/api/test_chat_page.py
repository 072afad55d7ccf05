"""The web chat page in headless Chromium, talking to the real bot: text, buttons, lists, documents, errors."""
from __future__ import annotations

import re
import wave
from datetime import timedelta
from io import BytesIO

import pytest

from api.app import create_app
from core.db import utcnow
from tests.fakes.http_server import ThreadedServer
from tests.utils.browser import CHROMIUM_MARKS, chromium, send

pytestmark = CHROMIUM_MARKS


@pytest.fixture
def chat_server(services_factory, settings, catalog, session_factory):
    """The app with a real Bot; routing free text is not needed here (menus and digits), so no model loads."""
    from applications.connectors import EmbeddedConnector
    from bot.engine import Bot

    connector = EmbeddedConnector.for_catalog(session_factory, catalog, settings)
    bot = Bot(catalog, None, session_factory, connector, settings)
    services = services_factory(_bot=bot)
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server:
        server.connector = connector
        server.services = services
        yield server


@pytest.fixture
def page(chat_server):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 480, "height": 900})
        page.goto(f"{chat_server.url}/chat")
        yield page


def bot_bubbles(page) -> list[str]:
    return page.locator(".bubble.bot").all_inner_texts()


def test_greeting_buttons_and_escaping(page):
    page.wait_for_selector(".choices button")
    assert "voice note" in bot_bubbles(page)[0]
    titles = page.locator(".choices button").all_inner_texts()
    assert any(title.endswith("Menu") for title in titles)  # "మెనూ / Menu" while the language is unknown
    send(page, "<img src=x onerror=\"document.title='pwned'\"> hello")
    assert page.locator("#log img").count() == 0 and page.title() != "pwned"
    assert "<img src=x" in page.locator(".bubble.me").last.inner_text()


def test_menu_list_to_a_workflow_by_tapping(page, catalog):
    page.wait_for_selector(".choices button")
    page.get_by_role("button", name="Menu").click()
    page.wait_for_selector(".list-open")
    page.locator(".list-open").last.click()
    rows = page.locator(".rows.open button")
    assert 1 <= rows.count() <= 10
    revenue = catalog.departments["revenue"]
    page.locator(f".rows.open button[data-choice='dept:{revenue.menu_number}']").click()
    page.wait_for_function("document.querySelectorAll('.list-open').length >= 2")
    page.locator(".list-open").last.click()
    page.locator(".rows.open button[data-choice='svc:revenue.caste_certificate']").click()
    prompt = catalog.services["revenue.caste_certificate"].fields[0].prompt  # language not known yet: either
    page.wait_for_function(f"document.body.innerText.includes({prompt.en!r}) || "
                           f"document.body.innerText.includes({prompt.te!r})")
    assert page.locator(".choices button:not([disabled])").count() == 0  # old choices can't be re-tapped


def test_certificate_download_link(page, chat_server, catalog):
    service = catalog.services["revenue.caste_certificate"]
    page.wait_for_selector(".choices button")
    for text in ("menu", str(service.menu_path[0]), str(service.menu_path[1]), "Ravi Kumar", "2345 6789 0124",
                 "BC-B", catalog.gazetteer.districts[0].name.en, "Tenali", "9848012345"):
        send(page, text)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_function("[...document.querySelectorAll('.bubble.bot')].pop().innerText.includes('AP-REV-')")
    reference = re.findall(r"AP-REV-\d{4}-\d{6}", page.locator(".bubble.bot").last.inner_text())[0]
    page.locator(".choices button[data-choice='pay']").click()  # the fee: the office starts once it is paid
    page.wait_for_function("[...document.querySelectorAll('.bubble.bot')].pop().innerText.includes('/pay/')")
    link = re.search(r"/pay/\S+", page.locator(".bubble.bot").last.inner_text()).group(0)
    assert page.request.post(chat_server.url + link, form={"action": "pay"}).status == 200
    chat_server.connector.advance(utcnow() + timedelta(days=60))
    send(page, f"status of {reference}")
    certificate = page.locator(f".doc a:has-text('{reference}.pdf')")  # after the fee's receipt
    certificate.wait_for()
    href = certificate.get_attribute("href")
    assert href.startswith("/v1/chat/documents/")
    pdf = page.request.get(chat_server.url + href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert page.request.get(chat_server.url + href[:-3] + "abc").status == 404  # an altered link


def test_bad_audio_upload_shows_the_reason(page, tmp_path):
    page.wait_for_selector(".choices button")
    bad = tmp_path / "note.ogg"
    bad.write_bytes(b"OggS" + b"\x01" * 300)
    page.set_input_files("#upload", str(bad))
    page.wait_for_selector(".error")
    assert page.locator(".error").inner_text().strip()


def silent_wav() -> bytes:
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 16000)
    return buffer.getvalue()


def test_silent_recording_is_refused_with_a_reason(page, tmp_path):
    page.wait_for_selector(".choices button")
    path = tmp_path / "silence.wav"
    path.write_bytes(silent_wav())
    page.set_input_files("#upload", str(path))
    page.wait_for_selector(".error")
    assert "🎤 silence.wav" in page.locator(".bubble.me").last.inner_text()


@pytest.mark.slow
def test_microphone_recording_is_sent_as_a_voice_note(services_factory, settings, api_router, api_transcriber,
                                                      tmp_path):
    """Chromium's fake microphone plays espeak-ng saying a request; MediaRecorder's note is transcribed and routed."""
    from voice.espeak import espeak_available, voice_note

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (make system-deps)")
    spoken = tmp_path / "request.wav"
    spoken.write_bytes(voice_note("I need a caste certificate", fmt="wav"))
    services = services_factory(_router=api_router, _transcriber=api_transcriber)
    microphone = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  f"--use-file-for-fake-audio-capture={spoken}%noloop"]
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server, \
            chromium(*microphone) as browser:
        page = browser.new_context(permissions=["microphone"]).new_page()
        page.goto(f"{server.url}/chat")
        page.wait_for_selector(".choices button")
        with page.expect_response(lambda r: r.url.endswith("/v1/chat/audio")) as uploaded:
            page.click("#record")
            page.wait_for_selector("#record.recording")
            page.wait_for_timeout(4000)  # the whole sentence, then stop
            page.click("#record")
        response = uploaded.value
        assert response.status == 200, response.text()
        transcript = response.json()["transcript"].lower()
        assert "cast" in transcript and "certificate" in transcript, transcript  # Whisper may write "cast"
        page.wait_for_function("document.querySelector('.note') && "
                               "document.querySelector('.note').innerText.toLowerCase().includes('certificate')")
        page.wait_for_function("[...document.querySelectorAll('.bubble.bot')].pop().innerText.includes('aste')")
        assert page.locator(".error").count() == 0
        offered = page.locator(".bubble.bot").last.inner_text()
    assert "Caste certificate" in offered or "కుల" in offered, offered

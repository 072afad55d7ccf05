"""Parsing Meta's webhook JSON and checking its signature."""
from __future__ import annotations

import pytest

from tests.utils.webhooks import message_webhook, status_webhook, text_webhook
from whatsapp import signature
from whatsapp.webhook_payload import PayloadError, parse_webhook

WA = "919876543210"


def test_text_message_and_contact_name():
    batch = parse_webhook(text_webhook(WA, "wamid.1", "caste certificate kavali", timestamp=1700000000))
    (m,) = batch.messages
    assert (m.message_id, m.wa_id, m.type, m.text, m.timestamp) == (
        "wamid.1", WA, "text", "caste certificate kavali", 1700000000)
    assert m.profile_name == "Ravi" and m.supported


def test_voice_note():
    payload = message_webhook(WA, {"id": "wamid.2", "type": "audio", "audio": {
        "id": "MEDIA1", "mime_type": "audio/ogg; codecs=opus", "sha256": "abc", "voice": True}})
    (m,) = parse_webhook(payload).messages
    assert (m.media_id, m.mime_type, m.voice) == ("MEDIA1", "audio/ogg; codecs=opus", True)


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
def test_interactive_replies(kind):
    payload = message_webhook(WA, {"id": "wamid.3", "type": "interactive", "interactive": {
        "type": kind, kind: {"id": "confirm_yes", "title": "Yes"}}})
    (m,) = parse_webhook(payload).messages
    assert (m.choice_id, m.choice_title) == ("confirm_yes", "Yes")


def test_template_quick_reply_button():
    payload = message_webhook(WA, {"id": "wamid.4", "type": "button", "button": {"payload": "menu", "text": "Menu"}})
    (m,) = parse_webhook(payload).messages
    assert (m.choice_id, m.text) == ("menu", "Menu")


@pytest.mark.parametrize("kind,body", [("image", {"id": "IMG", "mime_type": "image/jpeg"}),
                                       ("sticker", {"id": "ST"}),
                                       ("location", {"latitude": 16.5, "longitude": 80.6})])
def test_unsupported_types_are_parsed_not_refused(kind, body):
    (m,) = parse_webhook(message_webhook(WA, {"id": "wamid.5", "type": kind, kind: body})).messages
    assert m.type == kind and not m.supported


def test_statuses():
    batch = parse_webhook(status_webhook("wamid.OUT", "failed", WA, errors=[{"code": 131026, "title": "Undeliverable"}]))
    (s,) = batch.statuses
    assert (s.message_id, s.status, s.recipient_id) == ("wamid.OUT", "failed", WA)
    assert s.errors[0]["code"] == 131026
    assert batch.messages == []


@pytest.mark.parametrize("payload", [[], {"entry": "x"}, {"entry": [{"changes": [{"value": "x"}]}]},
                                     {"entry": [{"changes": [{"value": {"messages": [{"type": "text"}]}}]}]},
                                     {"entry": [{"changes": [{"value": {"messages": [
                                         {"id": "w", "from": WA, "type": "audio", "audio": {}}]}}]}]}])
def test_malformed_payloads_raise_payload_error(payload):
    with pytest.raises(PayloadError):
        parse_webhook(payload)


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"a": 1}'
    good = signature.sign(body, "s3cret")
    assert good.startswith("sha256=") and len(good) == 7 + 64
    assert signature.is_valid(body, good, "s3cret")
    assert not signature.is_valid(body + b" ", good, "s3cret")
    assert not signature.is_valid(body, good, "other")
    assert not signature.is_valid(body, None, "s3cret")
    assert not signature.is_valid(body, good.removeprefix("sha256="), "s3cret")
    assert not signature.is_valid(body, good, "")  # no secret configured: nothing is accepted

"""The outbound client against the fake Graph server over real HTTP."""
from __future__ import annotations

import json

import pytest

from bot.replies import Button, Document, ListRow, Reply
from whatsapp.client import GraphError, MediaError, RetryPolicy, WhatsAppClient

CITIZEN = "919876543210"


def test_text_is_sent_and_its_wamid_returned(wa_client, graph):
    ids = wa_client.send_reply(CITIZEN, Reply(kind="text", text="Welcome to Mana Mitra"))
    assert ids == [graph.sent[0]["id"]]
    assert graph.sent[0]["text"]["body"] == "Welcome to Mana Mitra"
    assert graph.sent[0]["to"] == CITIZEN


def test_long_text_is_split_not_cut(wa_client, graph):
    text = "అ" * 5000
    wa_client.send_reply(CITIZEN, Reply(kind="text", text=text))
    assert "".join(m["text"]["body"] for m in graph.sent) == text
    assert len(graph.sent) == 2


def test_buttons_are_capped_at_three_and_titles_at_twenty(wa_client, graph):
    buttons = [Button(f"b{i}", f"A very long button title number {i}") for i in range(5)]
    wa_client.send_reply(CITIZEN, Reply(kind="buttons", text="Caste certificate?", buttons=buttons))
    sent = graph.sent[0]["interactive"]["action"]["buttons"]
    assert [b["reply"]["id"] for b in sent] == ["b0", "b1", "b2"]
    assert all(len(b["reply"]["title"]) <= 20 for b in sent)
    assert not graph.rejected


def test_list_is_capped_at_ten_rows_within_limits(wa_client, graph):
    rows = [ListRow(f"svc{i}", f"Service title that is long {i}", "d" * 100) for i in range(12)]
    wa_client.send_reply(CITIZEN, Reply(kind="list", text="Did you mean", rows=rows,
                                        list_button="Choose a service please"))
    action = graph.sent[0]["interactive"]["action"]
    assert len(action["sections"][0]["rows"]) == 10
    assert len(action["button"]) <= 20
    assert not graph.rejected


def test_document_is_uploaded_then_sent_by_media_id(wa_client, graph):
    pdf = b"%PDF-1.4 fake certificate"
    doc = Document(filename="certificate.pdf", content=pdf, caption="Your caste certificate")
    wa_client.send_reply(CITIZEN, Reply(kind="document", text="", document=doc))
    media_id = graph.sent[0]["document"]["id"]
    assert graph.uploads[media_id].content == pdf
    assert graph.uploads[media_id].mime_type == "application/pdf"
    assert graph.sent[0]["document"]["filename"] == "certificate.pdf"


def test_429_with_retry_after_is_retried(wa_client, graph):
    graph.fail_next(429, times=2, retry_after="0")
    wa_client.send_text(CITIZEN, "hello")
    assert len(graph.sent) == 1
    assert [r[1] for r in graph.requests].count(f"/{graph.phone_number_id}/messages") == 3


def test_retry_after_is_respected():
    slept = []
    client = WhatsAppClient("http://127.0.0.1:9", "1", "t", retry=RetryPolicy(attempts=3, base_delay_s=0.01),
                            sleep=slept.append, timeout_s=0.5)
    with pytest.raises(GraphError):
        client.send_text(CITIZEN, "hello")  # nothing listens on port 9: transport errors, backoff
    assert slept == [0.01, 0.02]
    assert RetryPolicy().delay(0, "7") == 7.0


def test_server_errors_exhaust_retries_with_a_clear_error(wa_client, graph):
    graph.fail_next(500, times=10)
    with pytest.raises(GraphError, match="after 4 attempts"):
        wa_client.send_text(CITIZEN, "hello")
    assert graph.sent == []


def test_timeout_is_retried(graph_server, graph):
    client = WhatsAppClient(graph_server.url, graph.phone_number_id, graph.token,
                            retry=RetryPolicy(attempts=3, base_delay_s=0.01), timeout_s=0.3)
    graph.fail_next(status=0, delay_s=1.0)
    client.send_text(CITIZEN, "after a timeout")
    assert [m["text"]["body"] for m in graph.sent] == ["after a timeout"]


def test_client_errors_are_not_retried(wa_client, graph):
    with pytest.raises(GraphError) as err:
        wa_client.send_payload({"messaging_product": "whatsapp", "to": CITIZEN, "type": "text", "text": {}})
    assert err.value.status == 400
    assert len(graph.requests) == 1


def test_wrong_token_is_refused(graph_server, graph):
    client = WhatsAppClient(graph_server.url, graph.phone_number_id, "wrong", retry=RetryPolicy(attempts=1))
    with pytest.raises(GraphError) as err:
        client.send_text(CITIZEN, "hi")
    assert err.value.status == 401


def test_media_download_follows_the_url_with_the_token(wa_client, graph):
    media_id = graph.add_media(b"OggS voice bytes", "audio/ogg; codecs=opus")
    media = wa_client.download_media(media_id, max_bytes=1024)
    assert media.content == b"OggS voice bytes"
    assert media.mime_type.startswith("audio/ogg")
    assert ("GET", f"/download/{media_id}") in graph.requests


def test_media_too_large_or_wrong_type_is_refused(wa_client, graph):
    big = graph.add_media(b"x" * 2048, "audio/ogg")
    with pytest.raises(MediaError, match="too large"):
        wa_client.download_media(big, max_bytes=1024)
    image = graph.add_media(b"\x89PNG", "image/png")
    with pytest.raises(MediaError, match="not supported"):
        wa_client.download_media(image, max_bytes=1024)


def test_media_size_is_enforced_while_streaming(wa_client, graph, monkeypatch):
    media_id = graph.add_media(b"y" * 4096, "audio/ogg")
    # the metadata under-reports the size; the streamed body must still be cut off
    monkeypatch.setattr(wa_client, "_request", _lying_metadata(wa_client._request, media_id, graph))
    with pytest.raises(MediaError, match="too large"):
        wa_client.download_media(media_id, max_bytes=1024)


def _lying_metadata(request, media_id, graph):
    def wrapped(method, url, **kwargs):
        response = request(method, url, **kwargs)
        if url.endswith(f"/{media_id}"):
            data = response.json()
            data["file_size"] = 10
            response._content = json.dumps(data).encode()
        return response
    return wrapped


def test_rate_limit_spaces_out_sends():
    from core.ratelimit import TokenBucket

    now = [0.0]
    waits = []

    def sleep(s):
        waits.append(s)
        now[0] += s

    bucket = TokenBucket(rate=2, burst=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(6):
        bucket.acquire()
    assert waits == pytest.approx([0.5, 0.5, 0.5, 0.5])
    with pytest.raises(ValueError):
        TokenBucket(rate=0)

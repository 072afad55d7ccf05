"""Hostile requests against the running app: forged and replayed webhooks, oversized and deeply nested bodies,
malformed Unicode, SQL- and script-looking text. Each gets a clear 4xx (or a polite reply), never a 500,
and whatever is stored is stored as the citizen wrote it."""
from __future__ import annotations

import json
import socket

import httpx
import pytest
from sqlalchemy import func, inspect, select

from core.db import InboxItem, Message
from tests.security.conftest import ANALYST_TOKEN
from tests.utils.net import wait_for
from tests.utils.webhooks import APP_SECRET, post_webhook, text_webhook
from whatsapp.signature import sign

WA = "919812300001"
HOSTILE_TEXTS = [
    "'; DROP TABLE messages; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM citizens WHERE ('1'='1",
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "{{7*7}} ${7*7} %s %(x)s \\x00",
]


def inbox_rows(services) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(InboxItem))


# ------------------------------------------------------------------------------------------ signatures

@pytest.mark.parametrize("header", [
    None,                                                   # missing
    "",                                                     # empty
    "sha256=" + "0" * 64,                                   # well-formed, wrong
    "sha1=" + "0" * 40,                                     # another algorithm
    "sha256=zz",                                            # not hex
    "SHA256=" + "0" * 64,                                   # wrong case of the prefix
])
def test_webhooks_without_a_valid_signature_are_refused_and_not_stored(server, header):
    body = json.dumps(text_webhook(WA, "wamid.FORGED", "hello")).encode()
    headers = {"Content-Type": "application/json"} | ({"X-Hub-Signature-256": header} if header is not None else {})
    response = httpx.post(f"{server.url}/webhook", content=body, headers=headers)
    assert response.status_code == 401 and "X-Hub-Signature-256" in response.json()["detail"]
    assert inbox_rows(server.services) == 0


def test_a_signature_for_another_body_or_secret_is_refused(server):
    body = json.dumps(text_webhook(WA, "wamid.SWAP", "hello")).encode()
    other = json.dumps(text_webhook(WA, "wamid.SWAP", "hello!")).encode()
    for header in (sign(other, APP_SECRET), sign(body, "not-the-app-secret")):
        response = httpx.post(f"{server.url}/webhook", content=body, headers={"X-Hub-Signature-256": header})
        assert response.status_code == 401
    assert inbox_rows(server.services) == 0


def test_a_replayed_webhook_is_answered_once(server, graph):
    """A captured, validly signed webhook sent again (now and much later) gets no second answer."""
    payload = text_webhook(WA, "wamid.REPLAY1", "hello", timestamp=1600000000)
    assert post_webhook(server.url, payload).json()["stored"] == 1
    wait_for(lambda: graph.sent_to(WA))
    answered = len(graph.sent_to(WA))
    for _ in range(3):
        assert post_webhook(server.url, payload).json() == {"received": 1, "stored": 0, "statuses": 0}
    post_webhook(server.url, text_webhook(WA, "wamid.REPLAY2", "thanks"))
    wait_for(lambda: len(graph.sent_to(WA)) > answered)
    with server.services.session_factory() as session:
        inbound = session.scalars(select(Message.wa_message_id).where(Message.direction == "in")).all()
    assert sorted(inbound) == ["wamid.REPLAY1", "wamid.REPLAY2"]


# ------------------------------------------------------------------------------------------- size

def test_oversized_bodies_are_refused_from_the_declared_length(server):
    huge = 50 * 1024 * 1024
    for path in ("/webhook", "/v1/chat/messages", "/v1/route", "/v1/transcribe"):
        status, _ = raw_request(server.port, path, {"Content-Length": str(huge), "Content-Type": "application/json"},
                                b"{")
        assert status == 413, path


def test_oversized_chunked_bodies_are_refused_without_reading_them_all(server):
    """No Content-Length: the guard counts bytes as they stream and answers 413 long before the end."""
    file_part = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="note.ogg"\r\n'
                 b"Content-Type: audio/ogg\r\n\r\n")
    for path, content_type, start in (
            ("/webhook", "application/json", b""), ("/v1/chat/messages", "application/json", b""),
            ("/v1/analyst/import", "text/csv", b""), ("/v1/transcribe", "multipart/form-data; boundary=b0undary",
                                                     file_part)):
        status, sent = chunked_until_answered(server.port, path, content_type, start, give_up_after=200 * 2**20)
        assert status == 413, path
        assert sent < 40 * 1024 * 1024, (path, sent)  # the largest limit (audio) is 16 MB


def chunked_until_answered(port: int, path: str, content_type: str, start: bytes,
                           give_up_after: int) -> tuple[int, int]:
    """Stream a chunked body until the server answers; (status, bytes sent by then)."""
    import select

    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            f"Content-Type: {content_type}\r\nAuthorization: Bearer {ANALYST_TOKEN}\r\n\r\n")
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + (b"%x\r\n" % len(start) + start + b"\r\n" if start else b""))
        while sent < give_up_after:
            if select.select([sock], [], [], 0)[0]:
                break
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        data = sock.recv(65536)
    return int(data.split(b"\r\n", 1)[0].split()[1]), sent


def raw_request(port: int, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    """Send exactly these bytes (httpx would correct a lying Content-Length)."""
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + \
        "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line = data.split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), data


# ---------------------------------------------------------------------------------- nesting and Unicode

DEEP = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
LONE_SURROGATE = b'{"text": "caste \\ud800 certificate"}'
OVERLONG_UTF8 = b'{"text": "caste \xc0\xaf\xe0\x80\xaf certificate"}'  # overlong "/" in two and three bytes
ENCODED_SURROGATE = b'{"text": "caste \xed\xa0\x80 certificate"}'  # a surrogate written out as UTF-8
INVALID_BYTES = b'{"text": "caste \xff\xfe certificate"}'


@pytest.mark.parametrize("body", [DEEP, LONE_SURROGATE, OVERLONG_UTF8, ENCODED_SURROGATE, INVALID_BYTES],
                         ids=["deep", "lone-surrogate", "overlong-utf8", "encoded-surrogate", "invalid-bytes"])
@pytest.mark.parametrize("path", ["/v1/chat/messages", "/v1/route"])
def test_malformed_json_bodies_get_a_400_with_a_reason(server, path, body):
    response = httpx.post(f"{server.url}{path}", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("body", [
    b'{"entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    json.dumps(text_webhook(WA, "wamid.U1", "caste \ud800 certificate")).encode(),
    json.dumps(text_webhook("91\udfff", "wamid.U2", "hi")).encode(),
    json.dumps(text_webhook(WA, "wamid.U3", "hi")).encode().replace(b'"hi"', b'"\xc0\xaf\xed\xa0\x80"'),
], ids=["deep", "surrogate-text", "surrogate-sender", "overlong-and-encoded-surrogate"])
def test_signed_webhooks_with_malformed_json_are_refused(server, body):
    response = httpx.post(f"{server.url}/webhook", content=body, headers={"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert response.status_code == 400 and response.json()["detail"].startswith("not a WhatsApp webhook payload")
    assert inbox_rows(server.services) == 0


def test_every_server_error_is_absent_from_the_metrics_after_hostile_bodies(server):
    """The requests above in one go, then the app's own count of 5xx answers must not have moved."""
    from runtime import metrics

    before = metrics.ERRORS.labels("http")._value.get()
    for body in (DEEP, LONE_SURROGATE, OVERLONG_UTF8, b"\x00" * 1000, b"[]", b"null", b'"x"', b"1e999999"):
        for path in ("/v1/chat/messages", "/v1/route", "/v1/applications/check"):
            httpx.post(f"{server.url}{path}", content=body, headers={"Content-Type": "application/json"})
    assert metrics.ERRORS.labels("http")._value.get() == before


# ------------------------------------------------------------------------------- SQL- and script-looking text

def test_sql_and_script_text_is_stored_verbatim_and_never_executed(server, graph):
    services = server.services
    tables_before = set(inspect(services.session_factory.kw["bind"]).get_table_names())
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        browser.get("/chat")
        for text in HOSTILE_TEXTS:
            response = browser.post("/v1/chat/messages", json={"text": text})
            assert response.status_code == 200 and response.json()["replies"], text
            response = browser.post("/v1/chat/messages", json={"choice_id": text})
            assert response.status_code == 200 and response.json()["replies"], text
    for n, text in enumerate(HOSTILE_TEXTS):  # as WhatsApp text, sender name and message id
        message_id = f"wamid.{text}.{n}"
        payload = text_webhook(WA, message_id, text, name=text)
        assert post_webhook(server.url, payload).status_code == 200
        wait_for(lambda m=message_id: _inbound_text(services, m) is not None)
        assert _inbound_text(services, message_id) == text
    assert set(inspect(services.session_factory.kw["bind"]).get_table_names()) == tables_before
    with services.session_factory() as session:
        web_texts = session.scalars(select(Message.text).where(Message.direction == "in")).all()
        assert session.scalar(select(func.count()).select_from(InboxItem).where(InboxItem.status == "failed")) == 0
    for text in HOSTILE_TEXTS:
        assert text in web_texts
    wait_for(lambda: len({m["to"] for m in graph.sent}) and len(graph.sent_to(WA)) >= len(HOSTILE_TEXTS))


def _inbound_text(services, message_id: str) -> str | None:
    with services.session_factory() as session:
        return session.scalar(select(Message.text).where(Message.wa_message_id == message_id,
                                                         Message.direction == "in"))

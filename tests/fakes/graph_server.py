"""A fake WhatsApp Cloud (Graph) API: the messages and media endpoints mitra uses, with scripted faults.

It checks the bearer token and the documented payload shapes, answers as Meta does, and records
everything it receives so tests can assert on what a citizen would have seen.
"""
from __future__ import annotations

import asyncio
import hashlib
import itertools
import threading
from collections import deque
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.fakes.http_server import ThreadedServer

TOKEN = "test-access-token"
PHONE_NUMBER_ID = "1055500000"


@dataclass
class Fault:
    status: int = 500  # 0 means: hang for `delay_s` (a timeout for the client), then answer normally
    retry_after: str | None = None
    delay_s: float = 0.0
    code: int = 4  # Meta's error.code in the body (131047 re-engagement, 131026 undeliverable, ...)
    only_type: str | None = None  # the fault hits the next message of this type only (e.g. "text")


ERROR_TITLES = {131047: "Re-engagement message", 131026: "Message undeliverable",
                130429: "Rate limit hit", 131056: "(Business Account, Consumer Account) pair rate limit hit"}


@dataclass
class Upload:
    media_id: str
    filename: str
    mime_type: str
    content: bytes


@dataclass
class FakeGraph:
    token: str = TOKEN
    phone_number_id: str = PHONE_NUMBER_ID
    sent: list[dict] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    rejected: list[dict] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def fail_next(self, status: int = 500, times: int = 1, retry_after: str | None = None,
                  delay_s: float = 0.0) -> None:
        for _ in range(times):
            self.faults.append(Fault(status, retry_after, delay_s))

    def fail_with_code(self, code: int, status: int = 400, times: int = 1, only_type: str | None = None) -> None:
        """The next send(s) answer as Meta does for error `code` (optionally only for one message type)."""
        for _ in range(times):
            self.faults.append(Fault(status, code=code, only_type=only_type))

    def add_media(self, content: bytes, mime_type: str) -> str:
        media_id = f"media-{next(self._ids)}"
        self.media[media_id] = (content, mime_type)
        return media_id

    def sent_to(self, wa_id: str) -> list[dict]:
        with self._lock:
            return [m for m in self.sent if m["to"] == wa_id]

    def new_wamid(self) -> str:
        return f"wamid.FAKE{next(self._ids):08d}"


def meta_error(code: int) -> dict:
    """An error body as the Cloud API documents it."""
    title = ERROR_TITLES.get(code, "scripted fault")
    return {"error": {"message": f"({code}) {title}", "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": title},
                      "fbtrace_id": "AbCdEfFAKE"}}


async def _message_type(request: Request) -> str | None:
    if request.method != "POST" or not request.url.path.endswith("/messages"):
        return None
    try:
        return (await request.json()).get("type", "text")
    except ValueError:
        return None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "OAuthException", "code": 100}}, status)


def validate_message(payload: dict, uploads: dict) -> str | None:
    """The reason a payload breaks the Cloud API's documented rules, or None."""
    if payload.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not str(payload.get("to", "")).strip():
        return "missing 'to'"
    kind = payload.get("type", "text")
    body = payload.get(kind)
    if not isinstance(body, dict):
        return f"missing '{kind}' object"
    if kind == "text":
        text = body.get("body", "")
        return None if 0 < len(text) <= 4096 else f"text body length {len(text)} not in 1..4096"
    if kind == "document":
        if body.get("id") not in uploads and not body.get("link"):
            return "document needs an uploaded media id or a link"
        return None
    if kind == "audio":  # an uploaded audio/ogg (Opus) or audio/mpeg... file, by id or link; no caption
        if body.get("id") not in uploads and not body.get("link"):
            return "audio needs an uploaded media id or a link"
        if body.get("id") in uploads and not uploads[body["id"]].mime_type.startswith("audio/"):
            return "audio message with a media id that is not audio"
        return "audio takes no caption" if "caption" in body else None
    if kind == "interactive":
        return _validate_interactive(body)
    if kind == "template":
        return _validate_template(body, uploads)
    return f"unsupported message type {kind!r}"


def _validate_template(body: dict, uploads: dict) -> str | None:
    if not str(body.get("name", "")).strip():
        return "template needs a name"
    if not str((body.get("language") or {}).get("code", "")).strip():
        return "template needs language.code"
    for component in body.get("components") or []:
        for parameter in component.get("parameters") or []:
            if parameter.get("type") == "text":
                text = parameter.get("text", "")
                if not text or "\n" in text or len(text) > 1024:
                    return f"template text parameter not allowed: {text!r}"
            elif parameter.get("type") == "document":
                if parameter["document"].get("id") not in uploads and not parameter["document"].get("link"):
                    return "template document needs an uploaded media id or a link"
            else:
                return f"unsupported template parameter type {parameter.get('type')!r}"
    return None


def _validate_interactive(body: dict) -> str | None:
    text = (body.get("body") or {}).get("text", "")
    if not 0 < len(text) <= 1024:
        return f"interactive body length {len(text)} not in 1..1024"
    action = body.get("action") or {}
    if body.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return f"{len(buttons)} buttons (1..3 allowed)"
        titles = [b["reply"]["title"] for b in buttons]
        if any(not 0 < len(t) <= 20 for t in titles):
            return f"button title too long: {titles}"
        if len({b['reply']['id'] for b in buttons}) != len(buttons):
            return "button ids must be unique"
        return None
    if body.get("type") == "list":
        rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            return f"{len(rows)} list rows (1..10 allowed)"
        if not 0 < len(action.get("button", "")) <= 20:
            return "list button text must be 1..20 characters"
        for row in rows:
            if not 0 < len(row.get("title", "")) <= 24 or len(row.get("description", "")) > 72:
                return f"list row out of limits: {row}"
        return None
    return f"unsupported interactive type {body.get('type')!r}"


def create_graph_app(graph: FakeGraph) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def faults_and_auth(request: Request, call_next):
        kind = await _message_type(request)
        with graph._lock:
            graph.requests.append((request.method, request.url.path))
            fault = graph.faults[0] if graph.faults else None
            if fault is not None and fault.only_type not in (None, kind):
                fault = None
            elif fault is not None:
                graph.faults.popleft()
        if fault is not None:
            if fault.delay_s:
                await asyncio.sleep(fault.delay_s)
            if fault.status:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return JSONResponse(meta_error(fault.code), fault.status, headers=headers)
        if request.headers.get("authorization") != f"Bearer {graph.token}":
            return _error(401, "Invalid OAuth access token")
        return await call_next(request)

    @app.post("/{phone_number_id}/messages")
    async def messages(phone_number_id: str, request: Request):
        if phone_number_id != graph.phone_number_id:
            return _error(400, f"unknown phone number id {phone_number_id}")
        payload = await request.json()
        reason = validate_message(payload, graph.uploads)
        if reason:
            graph.rejected.append({"payload": payload, "reason": reason})
            return _error(400, reason)
        wamid = graph.new_wamid()
        with graph._lock:
            graph.sent.append({**payload, "id": wamid})
        return {"messaging_product": "whatsapp", "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                "messages": [{"id": wamid}]}

    @app.post("/{phone_number_id}/media")
    async def upload(phone_number_id: str, request: Request):
        form = await request.form()
        file = form.get("file")
        if form.get("messaging_product") != "whatsapp" or file is None or isinstance(file, str):
            return _error(400, "media upload needs messaging_product=whatsapp and a file")
        media_id = f"upload-{next(graph._ids)}"
        graph.uploads[media_id] = Upload(media_id, file.filename or "", str(form.get("type", "")),
                                         await file.read())
        return {"id": media_id}

    @app.get("/download/{media_id}")
    async def download(media_id: str):
        if media_id not in graph.media:
            return _error(404, "media not found")
        content, mime = graph.media[media_id]
        return Response(content, media_type=mime)

    @app.get("/{media_id}")
    async def media_url(media_id: str):
        if media_id not in graph.media:
            return _error(404, "media not found")
        content, mime = graph.media[media_id]
        return {"messaging_product": "whatsapp", "url": f"{graph.base_url}/download/{media_id}",
                "mime_type": mime, "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content), "id": media_id}

    return app


class GraphServer(ThreadedServer):
    """Start with `with GraphServer() as server:`; `server.graph` holds what was received."""

    def __init__(self):
        self.graph = FakeGraph()
        super().__init__(create_graph_app(self.graph))
        self.graph.base_url = self.url

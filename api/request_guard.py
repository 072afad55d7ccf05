"""Refuse hostile request bodies before any handler sees them.

- Size: a body over its path's limit is refused with 413 from its Content-Length alone, or as soon as the
  streamed bytes pass the limit (a chunked upload never gets read to the end).
- JSON: bodies sent as JSON (or with no Content-Type, which FastAPI also parses as JSON) are refused with 400
  when nested deeper than MAX_JSON_DEPTH or when a string holds a lone UTF-16 surrogate ("\\ud800"),
  which Python accepts but no database or encoder can store, or a number that is not finite (NaN, Infinity,
  1e999), which no JSON answer can echo back. The signed webhook is checked by its router
  after the signature, with `loads_json`, so an unsigned body costs no parsing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

MAX_JSON_DEPTH = 64
DEFAULT_MAX_BODY = 256 * 1024
PARSE_INLINE_BYTES = 64 * 1024  # bigger JSON bodies are checked off the event loop


class UnsafeJson(ValueError):
    """A JSON body that parses but must not be processed; the message says why."""


def check_json(value, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Walk a parsed JSON value without recursion: depth and Unicode of every string and key."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise UnsafeJson("numbers must be finite (no NaN, Infinity or 1e999)")
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise UnsafeJson(f"JSON nested deeper than {max_depth} levels")
            if isinstance(item, dict):
                for key, child in item.items():
                    _check_text(key)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnsafeJson(f"text holds an invalid character (lone surrogate {text[exc.start]!r}); "
                         "send well-formed UTF-8") from None


def loads_json(body: bytes | str, max_depth: int = MAX_JSON_DEPTH):
    """json.loads that refuses what `check_json` refuses; all errors are ValueError subclasses."""
    try:
        value = json.loads(body)
    except RecursionError:
        raise UnsafeJson(f"JSON nested deeper than {max_depth} levels") from None
    check_json(value, max_depth)
    return value


@dataclass
class BodyLimits:
    """The largest body each path accepts: the longest matching prefix wins, else `default`."""

    default: int = DEFAULT_MAX_BODY
    by_prefix: dict[str, int] = field(default_factory=dict)
    json_exempt: tuple[str, ...] = ()  # paths whose router checks JSON itself (after a signature)

    def limit_for(self, path: str) -> int:
        matches = [p for p in self.by_prefix if path == p or path.startswith(p.rstrip("/") + "/")]
        return self.by_prefix[max(matches, key=len)] if matches else self.default

    def checks_json(self, path: str) -> bool:
        return not any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.json_exempt)


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return ""


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return not media or media == "application/json" or media.endswith("+json")


class RequestGuard:
    """ASGI middleware enforcing BodyLimits and the JSON checks."""

    def __init__(self, app, limits: BodyLimits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = self.limits.limit_for(path)
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            return await _error(413, f"the request body is {declared} bytes; the limit here is {limit}")(
                scope, receive, send)
        if self.limits.checks_json(path) and _is_json(_header(scope, b"content-type")):
            return await self._checked_json(scope, receive, send, limit)
        return await self.app(scope, _limited_receive(receive, limit), send)

    async def _checked_json(self, scope, receive, send, limit: int):
        try:
            body = await _read_all(receive, limit)
        except HTTPException as exc:
            return await _error(exc.status_code, exc.detail)(scope, receive, send)
        problem = await _json_problem(body)
        if problem:
            return await _error(400, problem)(scope, receive, send)
        return await self.app(scope, _replay(body, receive), send)


async def _json_problem(body: bytes) -> str | None:
    def check() -> str | None:
        try:
            loads_json(body)
        except UnsafeJson as exc:
            return str(exc)
        except ValueError:
            return None  # not JSON at all: the endpoint gives its own error
        return None

    if not body:
        return None
    return check() if len(body) <= PARSE_INLINE_BYTES else await run_in_threadpool(check)


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the request body is larger than the limit here of {limit} bytes")


async def _read_all(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect as the server would report it

    return replay


def _limited_receive(receive, limit: int):
    size = 0

    async def limited():
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                # FastAPI and the routers re-raise HTTPException from body reading as it is: a 413.
                raise _too_large(limit)
        return message

    return limited

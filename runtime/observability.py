"""Structured logs: one JSON object a line, each with the request id or WhatsApp message id it belongs to,
and never an Aadhaar or mobile number in clear (every message, argument, extra field and traceback is
masked with nlu.entities.mask_pii before it is written).

`configure_logging()` installs this on the root logger (`mitra serve` and the workers call it);
`RequestContext` is the ASGI middleware that gives each HTTP request an id, logs it and counts it.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from runtime import metrics

request_id_var: ContextVar[str | None] = ContextVar("mitra_request_id", default=None)
message_id_var: ContextVar[str | None] = ContextVar("mitra_message_id", default=None)

REQUEST_ID_HEADER = "x-request-id"
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# LogRecord's own attributes; anything else on a record came from `extra=` and is logged as a field.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_MASKED = "_mitra_masked"


def _mask(value):
    from nlu.entities import mask_pii

    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value if not isinstance(value, int) or abs(value) < 10**9 else mask_pii(str(value))
    return mask_pii(str(value))


class MaskPersonalNumbers(logging.Filter):
    """Rewrites a record so that its message, extra fields and traceback carry no personal numbers."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _MASKED, False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = _mask(message), None
        for key in [k for k in vars(record) if k not in _RECORD_FIELDS and not k.startswith("_")]:
            setattr(record, key, _mask(getattr(record, key)))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _mask(record.exc_text)
        record.exc_info = None  # the masked text replaces it; the raw traceback would repeat the numbers
        if record.stack_info:
            record.stack_info = _mask(record.stack_info)
        setattr(record, _MASKED, True)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, ids, extra fields, error."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, var in (("request_id", request_id_var), ("message_id", message_id_var)):
            value = getattr(record, key, None) or var.get()
            if value:
                line[key] = value
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_") and key not in line:
                line[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(MaskPersonalNumbers())
    handler.setFormatter(JsonFormatter())
    return handler


def configure_logging(level: str | int = "INFO", stream=None) -> logging.Handler:
    """Send every log line (mitra's, uvicorn's, celery's) through one masked JSON handler on the root logger."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_mitra_json", False)]:
        root.removeHandler(old)
    handler = json_handler(stream)
    handler._mitra_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return handler


@contextmanager
def log_context(*, message_id: str | None = None, request_id: str | None = None):
    """Every line logged inside carries these ids (work for one WhatsApp message, one request)."""
    tokens = []
    if message_id is not None:
        tokens.append((message_id_var, message_id_var.set(message_id)))
    if request_id is not None:
        tokens.append((request_id_var, request_id_var.set(request_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def _request_id(scope) -> str:
    for name, value in scope.get("headers") or []:
        if name == REQUEST_ID_HEADER.encode():
            given = value.decode("latin-1")
            if _GOOD_REQUEST_ID.match(given):
                return given
    return uuid.uuid4().hex


class RequestContext:
    """ASGI middleware: a request id (the caller's X-Request-ID if sane, else new) in the logs and the
    response headers, one log line and one count per request, and 5xx answers counted as errors."""

    log = logging.getLogger("mitra.http")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = _request_id(scope)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER.encode(), request_id.encode())]
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status["code"], time.perf_counter() - started)
            request_id_var.reset(token)

    def _record(self, scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = scope.get("method", "")
        metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
        metrics.HTTP_SECONDS.labels(method, route).observe(seconds)
        if status >= 500:
            metrics.ERRORS.labels("http").inc()
        level = logging.ERROR if status >= 500 else logging.INFO
        self.log.log(level, "%s %s %s", method, route, status,
                     extra={"status": status, "duration_ms": round(seconds * 1000, 1)})

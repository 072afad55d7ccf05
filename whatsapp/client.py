"""Outbound Cloud API client: send replies, upload documents, download media; retries and a rate limit."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bot.replies import Reply
from core.ratelimit import TokenBucket
from whatsapp.payloads import document_payload, reply_payloads, text_payloads

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
AUDIO_MIME_PREFIXES = ("audio/",)


class GraphError(RuntimeError):
    """The Graph API refused a request (4xx other than 429) or kept failing after every retry."""

    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status, self.body = status, body

    @property
    def code(self) -> int | None:
        """Meta's error code (error.code in the body, e.g. 131047), when the body carries one."""
        try:
            return int(json.loads(self.body)["error"]["code"])
        except (ValueError, KeyError, TypeError):
            return None


class MediaError(ValueError):
    """Downloaded media is too large, of the wrong type, or missing; the message is citizen-readable."""


@dataclass
class Media:
    content: bytes
    mime_type: str
    sha256: str = ""


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(self.max_delay_s, max(0.0, float(retry_after)))
            except ValueError:
                pass  # an HTTP date: fall back to our own backoff
        return min(self.max_delay_s, self.base_delay_s * 2 ** attempt)


class WhatsAppClient:
    def __init__(self, base_url: str, phone_number_id: str, access_token: str, rate_per_s: float = 80.0,
                 retry: RetryPolicy | None = None, timeout_s: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep, bucket=None):
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self.retry = retry or RetryPolicy()
        self.bucket = bucket or TokenBucket(rate_per_s)  # a shared (Redis) bucket when given
        self._sleep = sleep
        self._http = httpx.Client(timeout=timeout_s, headers={"Authorization": f"Bearer {access_token}"})

    @classmethod
    def from_settings(cls, settings, **kwargs) -> WhatsAppClient:
        if settings.redis_url and "bucket" not in kwargs:  # one pace for every process sending for the number
            from core.ratelimit import outbound_bucket

            kwargs["bucket"] = outbound_bucket(settings.redis_url, settings.whatsapp_phone_number_id,
                                               settings.outbound_rate_per_s)
        return cls(settings.graph_base_url, settings.whatsapp_phone_number_id,
                   settings.whatsapp_access_token, settings.outbound_rate_per_s, **kwargs)

    def close(self) -> None:
        self._http.close()

    # -- sending ---------------------------------------------------------------------------------
    def send_reply(self, to: str, reply: Reply) -> list[str]:
        """Send one bot reply; returns the WhatsApp message ids (wamid...) of what was sent."""
        if reply.kind == "document" and reply.document is not None:
            doc = reply.document
            media_id = self.upload_media(doc.content, doc.mime_type, doc.filename)
            payloads = [document_payload(to, media_id, doc.filename, doc.caption or reply.text)]
        else:
            payloads = reply_payloads(to, reply)
        return [self.send_payload(p) for p in payloads]

    def send_text(self, to: str, text: str) -> list[str]:
        return [self.send_payload(p) for p in text_payloads(to, text)]

    def send_payload(self, payload: dict) -> str:
        self.bucket.acquire()
        response = self._request("POST", f"{self.base_url}/{self.phone_number_id}/messages", json=payload)
        try:
            return response.json()["messages"][0]["id"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise GraphError("messages endpoint answered without a message id", response.status_code,
                             response.text[:500]) from None

    def upload_media(self, content: bytes, mime_type: str, filename: str) -> str:
        response = self._request(
            "POST", f"{self.base_url}/{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, content, mime_type)},
        )
        try:
            return str(response.json()["id"])
        except (ValueError, KeyError, TypeError):
            raise GraphError("media upload answered without an id", response.status_code,
                             response.text[:500]) from None

    # -- receiving -------------------------------------------------------------------------------
    def download_media(self, media_id: str, max_bytes: int,
                       allowed_prefixes: tuple[str, ...] = AUDIO_MIME_PREFIXES) -> Media:
        """GET {base}/{media_id} for the URL, then GET the URL with the bearer token, within limits."""
        meta = self._request("GET", f"{self.base_url}/{media_id}").json()
        url, mime = meta.get("url"), str(meta.get("mime_type", ""))
        if not url:
            raise MediaError("the voice note could not be found")
        if not mime.startswith(allowed_prefixes):
            raise MediaError(f"this file type ({mime or 'unknown'}) is not supported")
        if int(meta.get("file_size") or 0) > max_bytes:
            raise MediaError(f"the file is too large (limit {max_bytes // (1024 * 1024)} MB)")
        content = self._download(url, max_bytes)
        return Media(content=content, mime_type=mime, sha256=str(meta.get("sha256", "")))

    def _download(self, url: str, max_bytes: int) -> bytes:
        for attempt in range(self.retry.attempts):
            try:
                with self._http.stream("GET", url) as response:
                    if response.status_code in RETRY_STATUSES and attempt + 1 < self.retry.attempts:
                        self._sleep(self.retry.delay(attempt, response.headers.get("Retry-After")))
                        continue
                    if response.status_code >= 400:
                        raise GraphError(f"media download failed with {response.status_code}",
                                         response.status_code)
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise MediaError(f"the file is too large (limit {max_bytes // (1024 * 1024)} MB)")
                        chunks.append(chunk)
                    return b"".join(chunks)
            except httpx.TransportError as exc:
                if attempt + 1 >= self.retry.attempts:
                    raise GraphError(f"media download failed: {exc!r}") from exc
                self._sleep(self.retry.delay(attempt, None))
        raise GraphError("media download kept failing")

    # -- transport -------------------------------------------------------------------------------
    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        last_error = "no attempt made"
        for attempt in range(self.retry.attempts):
            try:
                response = self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:  # timeouts, refused connections, resets
                last_error = repr(exc)
                retry_after = None
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise GraphError(f"{method} {url} failed with {response.status_code}",
                                     response.status_code, response.text[:500])
                last_error, retry_after = f"status {response.status_code}", response.headers.get("Retry-After")
            if attempt + 1 < self.retry.attempts:
                delay = self.retry.delay(attempt, retry_after)
                log.warning("graph %s %s: %s; retrying in %.2fs", method, url, last_error, delay)
                self._sleep(delay)
        raise GraphError(f"{method} {url} failed after {self.retry.attempts} attempts: {last_error}")

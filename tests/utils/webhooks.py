"""What Meta posts to /webhook, signed with the test app secret, and posting it to a running app."""
from __future__ import annotations

import json
import time

import httpx

from whatsapp.signature import sign

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"


def text_webhook(wa_id: str, message_id: str, body: str, timestamp: int | None = None, name: str = "Ravi") -> dict:
    return message_webhook(wa_id, {"id": message_id, "type": "text", "text": {"body": body}}, timestamp, name)


def message_webhook(wa_id: str, message: dict, timestamp: int | None = None, name: str = "Ravi") -> dict:
    """The JSON Meta posts for one incoming message (Cloud API webhook, field 'messages')."""
    message = {"from": wa_id, "timestamp": str(timestamp or int(time.time())), **message}
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": "1055500000"},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [message]}}]}]}


def status_webhook(wamid: str, status: str, recipient: str, errors: list | None = None) -> dict:
    item = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": recipient}
    if errors:
        item["errors"] = errors
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": "1055500000"}, "statuses": [item]}}]}]}


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return body, {"X-Hub-Signature-256": sign(body, secret), "Content-Type": "application/json"}


def post_webhook(url: str, payload: dict, secret: str = APP_SECRET, timeout: float = 30) -> httpx.Response:
    """POST `payload` to `url`/webhook, signed as Meta signs it."""
    body, headers = signed(payload, secret)
    return httpx.post(f"{url}/webhook", content=body, headers=headers, timeout=timeout)

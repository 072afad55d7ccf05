"""X-Hub-Signature-256: HMAC-SHA256 of the raw webhook body with the app secret."""
from __future__ import annotations

import hashlib
import hmac

from core.security import same_secret

PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta would send for this body (used by tests and the fake Graph server)."""
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Constant-time check of the header against the body. No secret configured means nothing is valid."""
    if not app_secret or not header or not header.startswith(PREFIX):
        return False
    return same_secret(header.strip(), sign(body, app_secret))

"""Short-lived signed links for documents shown on the web chat (a certificate PDF download)."""
from __future__ import annotations

import hashlib
import hmac
import re
import time
from pathlib import Path

from core.security import same_secret

NAME_RE = re.compile(r"^[0-9a-f]{64}$")


class LinkError(ValueError):
    pass


class DocumentShelf:
    """Files kept under `root` by content hash; links carry the hash, an expiry and an HMAC."""

    def __init__(self, root: Path, secret_key: str, ttl_s: int = 24 * 3600):
        self.root = Path(root)
        self._key = hmac.new(secret_key.encode(), b"mitra-chat-documents", hashlib.sha256).digest()
        self.ttl_s = ttl_s

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]

    def put(self, content: bytes, filename: str, now: float | None = None) -> str:
        """Store the file and return a token for it."""
        name = hashlib.sha256(content).hexdigest()
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / name
        if not path.exists():
            path.write_bytes(content)
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)[:80] or "document.pdf"
        payload = f"{name}.{int((now or time.time()) + self.ttl_s)}.{safe}"
        return f"{payload}.{self._sign(payload)}"

    def get(self, token: str, now: float | None = None) -> tuple[bytes, str]:
        """The file's bytes and filename; LinkError when the link is forged, altered or expired."""
        payload, _, signature = token.rpartition(".")
        if not payload or not same_secret(signature, self._sign(payload)):
            raise LinkError("this link is not valid")
        name, expires, filename = payload.split(".", 2)
        if not NAME_RE.match(name) or not expires.isdigit():
            raise LinkError("this link is not valid")
        if int(expires) < (now or time.time()):
            raise LinkError("this link has expired; ask for the document again")
        path = self.root / name
        if not path.is_file():
            raise LinkError("the document is no longer available")
        return path.read_bytes(), filename

"""Secrets: constant-time comparison of client-sent secrets, and the vault that keeps citizens' numbers out of
the database in clear (Fernet encryption plus a keyed hash for lookups).

Both vault keys are derived from `settings.secret_key`, so rotating that key makes old rows unreadable: plan for it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken


def same_secret(given: str | bytes, expected: str | bytes) -> bool:
    """True when equal, in time independent of where they differ.

    `hmac.compare_digest` refuses str with non-ASCII characters (TypeError); a forged token, header or
    query parameter may carry any character, so both sides are compared as UTF-8 bytes.
    """
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


class VaultError(ValueError):
    """A sealed value could not be opened (wrong key or altered data)."""


def _derive(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


class Vault:
    """Encrypt/decrypt small strings and compute stable lookup hashes, all keyed by one secret."""

    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("secret_key is empty; set MITRA_SECRET_KEY")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret_key, "mitra-db-encryption")))
        self._hash_key = _derive(secret_key, "mitra-db-lookup")

    def seal(self, value: str) -> str:
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError) as exc:
            raise VaultError("cannot decrypt: wrong secret key or altered value") from exc

    def seal_json(self, value) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def open_json(self, sealed: str):
        return json.loads(self.open(sealed))

    def lookup_hash(self, value: str) -> str:
        """The same input always gives the same hash (so it can be indexed); without the key it reveals nothing."""
        return hmac.new(self._hash_key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()

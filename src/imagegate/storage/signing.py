"""HMAC-signed, expiring URLs for stored images."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path

from imagegate.errors import GoneError, PermissionDeniedError
from imagegate.storage.local import private_dir, write_private


def load_or_create_secret(path: Path) -> bytes:
    """The signing secret kept in `path`, generated on first start."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    private_dir(path.parent)
    secret = secrets.token_bytes(32)
    write_private(path, secret.hex().encode())
    return secret


class UrlSigner:
    """Signs (name, expiry) pairs and checks them."""

    def __init__(self, secret: bytes, ttl_seconds: int) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds

    def _signature(self, name: str, expires: int) -> str:
        msg = f"{name}\n{expires}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def sign(self, name: str, now: float | None = None) -> tuple[int, str]:
        """Expiry (unix seconds) and signature for `name`."""
        expires = int((now or time.time()) + self.ttl_seconds)
        return expires, self._signature(name, expires)

    def verify(self, name: str, expires: str | int | None, signature: str | None, now: float | None = None) -> None:
        """Raise 403 for a bad signature, 410 for a good but expired one."""
        if not isinstance(expires, int) and not (isinstance(expires, str) and expires.isascii() and expires.isdigit() and len(expires) <= 18):
            raise PermissionDeniedError("Invalid or missing URL signature.", code="invalid_signature")
        expiry = int(expires)
        if not signature or not signature.isascii() or not hmac.compare_digest(self._signature(name, expiry), signature):
            raise PermissionDeniedError("Invalid or missing URL signature.", code="invalid_signature")
        if (now or time.time()) > expiry:
            raise GoneError("This image URL has expired. URLs are valid for a limited time; download images promptly.", code="url_expired")

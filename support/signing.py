"""HMAC signatures of the inbound webhooks (1C-Connect, the mail provider)."""

import hashlib
import hmac


def signature_valid(*, body: bytes, header: str, secret: str) -> bool:
    """`header` is the hex HMAC-SHA256 of the raw body, optionally prefixed "sha256="."""
    if not secret or not header:
        return False
    received = header.strip().removeprefix("sha256=")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received, expected)


def sign(*, body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

"""1C passwords without plaintext at rest (issue 14).

A generated password is sealed (Fernet: AES-128-CBC + HMAC-SHA256) with a key derived from
SECRET_KEY until the member reveals it once in the panel or it expires; operations carry the
sealed form to the worker, which unseals it only to hand it to the 1C driver.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

# No look-alikes (0/O, 1/l/I): the member may type it from the screen.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
GENERATED_LENGTH = 14


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"onebuh-1c-passwords:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))


def seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def unseal(token: str) -> str | None:
    """The password, or None when the token is empty or was sealed with another key."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None

"""Secrets the portal must use again later but never show or keep in clear (a customer's
object-storage keys): sealed with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

The key is ONEBUH_FIELD_KEY (a Fernet key, or any long secret, which is hashed into one); when it
is unset the key is derived from SECRET_KEY under a label of its own. Values sealed with the
SECRET_KEY-derived key stay readable after ONEBUH_FIELD_KEY is set (MultiFernet tries both), so
an installation can move to a dedicated key without re-entering anything; a new seal always uses
the first key. Rotating SECRET_KEY without ONEBUH_FIELD_KEY makes sealed values unreadable
(`unseal` answers None and the owner is asked to enter the keys again).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _key(secret: str, label: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{secret}".encode()).digest())


def _fernet() -> MultiFernet:
    keys = []
    dedicated = getattr(settings, "ONEBUH_FIELD_KEY", "")
    if dedicated:
        try:
            keys.append(Fernet(dedicated.encode()))
        except ValueError:  # not a Fernet key: any long secret will do
            keys.append(Fernet(_key(dedicated, "onebuh-field-key")))
    keys.append(Fernet(_key(settings.SECRET_KEY, "onebuh-sealed-fields")))
    return MultiFernet(keys)


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def unseal(token: str) -> str | None:
    """The value, or None when the token is empty or was sealed with a key we no longer have."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None

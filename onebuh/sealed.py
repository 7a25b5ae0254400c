"""Secrets the portal must use again later but never show or keep in clear (a customer's
object-storage keys): sealed with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

The key is ONEBUH_FIELD_KEY (a Fernet key, or any long secret, which is hashed into one); when it
is unset the key is derived from SECRET_KEY under a label of its own. Values sealed with the
SECRET_KEY-derived key stay readable after ONEBUH_FIELD_KEY is set (MultiFernet tries both), so
an installation can move to a dedicated key without re-entering anything; a new seal always uses
the first key. Rotating SECRET_KEY without ONEBUH_FIELD_KEY makes sealed values unreadable
(`unseal` answers None and the owner is asked to enter the keys again).

Each kind of secret has its own purpose label, so the SECRET_KEY-derived keys differ by purpose
(a customer's bucket keys and the 1C passwords of issue 14 are not sealed under one key); the
dedicated key, when set, seals every purpose.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _key(secret: str, label: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(f"{label}:{secret}".encode()).digest())


FIELDS = "onebuh-sealed-fields"
ONEC_PASSWORDS = "onebuh-1c-passwords"


def _fernet(purpose: str) -> MultiFernet:
    keys = []
    dedicated = getattr(settings, "ONEBUH_FIELD_KEY", "")
    if dedicated:
        try:
            keys.append(Fernet(dedicated.encode()))
        except ValueError:  # not a Fernet key: any long secret will do
            keys.append(Fernet(_key(dedicated, "onebuh-field-key")))
    keys.append(Fernet(_key(settings.SECRET_KEY, purpose)))
    return MultiFernet(keys)


def seal(value: str, *, purpose: str = FIELDS) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode()


def unseal(token: str, *, purpose: str = FIELDS) -> str | None:
    """The value, or None when the token is empty or was sealed with a key we no longer have."""
    if not token:
        return None
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return None

"""One sealing module (onebuh.sealed) for every secret kept for later use: purposes keep their
SECRET_KEY-derived keys apart, tokens sealed before the merge stay readable, a dedicated key
takes over new seals without losing old ones."""

import base64
import hashlib

from cryptography.fernet import Fernet

from infobases import passwords
from onebuh import sealed


def _legacy_password_token(secret_key: str, password: str) -> str:
    """A 1C password as infobases/passwords.py sealed it before it moved onto onebuh.sealed."""
    digest = hashlib.sha256(f"onebuh-1c-passwords:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest)).encrypt(password.encode()).decode()


def test_a_password_sealed_before_the_merge_still_opens(settings):
    token = _legacy_password_token(settings.SECRET_KEY, "Kx7mPq2rTz9wNa")
    assert passwords.unseal(token) == "Kx7mPq2rTz9wNa"


def test_purposes_do_not_open_each_others_tokens(settings):
    settings.ONEBUH_FIELD_KEY = ""
    password = passwords.seal("Kx7mPq2rTz9wNa")
    bucket_key = sealed.seal("AKIA-secret")
    assert sealed.unseal(password) is None
    assert passwords.unseal(bucket_key) is None
    assert sealed.unseal(bucket_key) == "AKIA-secret"


def test_a_dedicated_key_seals_new_values_and_old_ones_still_open(settings):
    settings.ONEBUH_FIELD_KEY = ""
    old = passwords.seal("before-the-key")
    settings.ONEBUH_FIELD_KEY = Fernet.generate_key().decode()
    new = passwords.seal("after-the-key")
    assert passwords.unseal(old) == "before-the-key"
    only_dedicated = Fernet(settings.ONEBUH_FIELD_KEY.encode())
    assert only_dedicated.decrypt(new.encode()).decode() == "after-the-key"


def test_another_secret_key_opens_nothing(settings):
    settings.ONEBUH_FIELD_KEY = ""
    token = passwords.seal("Kx7mPq2rTz9wNa")
    settings.SECRET_KEY = "rotated-" + settings.SECRET_KEY
    assert passwords.unseal(token) is None
    assert passwords.unseal("") is None

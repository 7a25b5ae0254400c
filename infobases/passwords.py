"""1C passwords without plaintext at rest (issue 14).

A generated password is sealed (onebuh.sealed, under the 1C passwords' own purpose) until the
member reveals it once in the panel or it expires; operations carry the sealed form to the worker,
which unseals it only to hand it to the 1C driver.
"""

import secrets

from onebuh import sealed

# No look-alikes (0/O, 1/l/I): the member may type it from the screen.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
GENERATED_LENGTH = 14


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))


def seal(password: str) -> str:
    return sealed.seal(password, purpose=sealed.ONEC_PASSWORDS)


def unseal(token: str) -> str | None:
    """The password, or None when the token is empty or was sealed with another key."""
    return sealed.unseal(token, purpose=sealed.ONEC_PASSWORDS)

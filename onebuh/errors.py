"""Refusals that every app shares.

A service refuses bad input with Django's `ValidationError`; it refuses an action that the
object's current state does not allow (busy, not ready, already done, closed, the tariff's limit
used, the account suspended) with `Conflict`, a `ValidationError` too, so forms and panel views
show it the same way, while the API answers it with 409 instead of 400: the request may be right
and succeed later or after another change."""

from django.core.exceptions import ValidationError

CONFLICT = "conflict"


class Conflict(ValidationError):
    def __init__(self, message, params=None):
        super().__init__(message, code=CONFLICT, params=params)


def is_conflict(error: ValidationError) -> bool:
    """Every message of the error is a conflict (a field error or a mix stays a 400)."""
    if hasattr(error, "error_dict"):
        return False
    return all(item.code == CONFLICT for item in error.error_list)

"""The staff's support desk in the Django admin (Russian through gettext)."""

from . import macros, reference, tickets  # noqa: F401  (registers the model admins)

"""The staff's support desk in the Django admin (Russian through gettext)."""

from . import reference, tickets  # noqa: F401  (registers the model admins)

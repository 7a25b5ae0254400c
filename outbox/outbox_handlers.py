"""The outbox's own kinds."""

from . import email  # noqa: F401 (registers the "email" kind)

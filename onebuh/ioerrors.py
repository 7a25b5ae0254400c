"""Disk and other I/O errors told to people in Russian (through gettext), logged once at ERROR."""

import errno
import logging

from django.utils.translation import gettext as _

logger = logging.getLogger("onebuh.io")


def io_error_message(error: OSError) -> str:
    """The Russian explanation, with the system's own words in brackets for staff."""
    detail = f" ({error.strerror or error})" if (error.strerror or str(error)) else ""
    return _explanation(error) + detail


def _explanation(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "The server has no free disk space to finish this. Nothing was half-written; the "
            "operator has been alerted. Try again later."
        )
    return _(
        "A disk or network error on the server stopped this. Nothing was half-written; the "
        "operator has been alerted. Try again later."
    )


def io_error_log(error: OSError, what: str) -> None:
    logger.error("%s failed with an I/O error: %s", what, error)

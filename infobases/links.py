"""Signed download links of backups: who may use one and until when (1.2, 2.4)."""

from django.core import signing

from .models import Backup

DOWNLOAD_SALT = "infobases.backup-download"


def backup_download_token(*, backup: Backup, user) -> str:
    """A link that expires (ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS) and names who may use it."""
    return signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(f"{backup.pk}:{user.pk}")


def backup_download_unsign(*, token: str, max_age: int) -> tuple[int, int]:
    """(backup id, user id); raises signing.SignatureExpired / BadSignature."""
    value = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(token, max_age=max_age)
    backup_id, user_id = value.split(":")
    return int(backup_id), int(user_id)

"""Where backups and uploads live: the "infobases" storage (onebuh/files.py).

On the file system that is ONEBUH_INFOBASES_DIR, outside the web root; with object storage a
prefix of the bucket. Stored names are relative, so the folder or the bucket can move (and tests
can use tmp_path).
"""

import os
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse
from django.utils import timezone

from onebuh import files

ALIAS = "infobases"


class InfobasesFileSystemStorage(FileSystemStorage):
    """The folder follows ONEBUH_INFOBASES_DIR as read now (tests point it at tmp_path)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.ONEBUH_INFOBASES_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def backup_relative_path(*, subscriber_id: int, ref: str, backup_id: int, stamp: str) -> str:
    return f"backups/{subscriber_id}/{ref}/{stamp}-{backup_id}.dt"


def upload_relative_path(*, subscriber_id: int, name: str) -> str:
    return f"uploads/{subscriber_id}/{name}.dt"


def delete_files(relative_paths: Iterable[str]) -> int:
    """Delete stored files; ones already gone are fine (a retried purge or retention)."""
    return files.delete(alias=ALIAS, names=relative_paths)


def local_copy(relative: str):
    """A local path holding the stored .dt for the 1C tools (a context manager)."""
    return files.local_copy(alias=ALIAS, name=relative)


def local_target(relative: str):
    """A local path the 1C tools write a dump to; stored under `relative` afterwards."""
    return files.local_target(alias=ALIAS, name=relative)


def backup_file_response(backup) -> HttpResponse:
    """The copy's .dt file as a download named after the infobase and the copy's time."""
    stamp = timezone.localtime(backup.created_at).strftime("%Y%m%d-%H%M")
    return files.download_response(
        alias=ALIAS, name=backup.file, filename=f"{backup.infobase.ref}-{stamp}.dt"
    )

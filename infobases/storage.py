"""Where backups and uploads live: under ONEBUH_INFOBASES_DIR, outside the web root.

Stored paths are relative to that folder, so the folder can move (and tests can use tmp_path).
"""

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils import timezone


def root() -> Path:
    return Path(settings.ONEBUH_INFOBASES_DIR)


def absolute(relative: str) -> Path:
    path = (root() / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError(f"{relative!r} is outside the infobases folder")
    return path


def backup_relative_path(*, subscriber_id: int, ref: str, backup_id: int, stamp: str) -> str:
    return f"backups/{subscriber_id}/{ref}/{stamp}-{backup_id}.dt"


def upload_relative_path(*, subscriber_id: int, name: str) -> str:
    return f"uploads/{subscriber_id}/{name}.dt"


def delete_files(relative_paths: Iterable[str]) -> int:
    """Delete stored files; ones already gone are fine (a retried purge or retention)."""
    deleted = 0
    for relative in relative_paths:
        if not relative:
            continue
        try:
            absolute(relative).unlink()
            deleted += 1
        except FileNotFoundError:
            pass
    return deleted


def backup_file_response(backup) -> FileResponse:
    """The copy's .dt file as a download named after the infobase and the copy's time."""

    try:
        handle = open(absolute(backup.file), "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError as error:
        raise Http404 from error
    stamp = timezone.localtime(backup.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(handle, as_attachment=True, filename=f"{backup.infobase.ref}-{stamp}.dt")

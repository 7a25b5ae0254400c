"""Writes of the infobases app (STYLE.md §1). Views, admin, tasks and commands call these."""

from ..links import backup_download_token, backup_download_unsign
from .backups import (
    backup_request,
    backup_restore,
    backups_apply_retention,
    backups_schedule_daily,
)
from .infobases import (
    access_revoke,
    access_set,
    infobase_create,
    infobase_delete,
    infobase_rename,
    lock_clear,
    lock_set,
    session_end,
)
from .licensing import licences_record_renewals, registration_numbers_import
from .operations import operation_retry, operation_run
from .releases import release_publish, updates_start_due
from .resumable import (
    upload_complete,
    upload_finish,
    upload_part_url,
    upload_parts,
    upload_receive_part,
    upload_start,
)
from .uploads import placement_request_place

__all__ = [
    "access_revoke",
    "access_set",
    "backup_download_token",
    "backup_download_unsign",
    "backup_request",
    "backup_restore",
    "backups_apply_retention",
    "backups_schedule_daily",
    "infobase_create",
    "infobase_delete",
    "infobase_rename",
    "licences_record_renewals",
    "lock_clear",
    "lock_set",
    "operation_retry",
    "operation_run",
    "upload_complete",
    "upload_finish",
    "upload_part_url",
    "upload_parts",
    "upload_receive_part",
    "upload_start",
    "placement_request_place",
    "registration_numbers_import",
    "release_publish",
    "session_end",
    "updates_start_due",
]

from .backup import (
    Backup,
    BackupKind,
    BackupStatus,
    PlacementRequest,
    PlacementStatus,
    ScheduledUpdate,
    UpdateStatus,
)
from .catalog import Release, Solution
from .infobase import (
    AccessRole,
    Infobase,
    InfobaseAccess,
    InfobaseStatus,
    Operation,
    OperationKind,
    OperationStatus,
)
from .licensing import LicenceEvent, LicenceEventKind, RegistrationNumber
from .targets import MAX_TARGETS, BackupCopy, BackupTarget, CopyStatus
from .uploads import UploadSession, UploadStatus

__all__ = [
    "AccessRole",
    "Backup",
    "BackupCopy",
    "BackupTarget",
    "CopyStatus",
    "MAX_TARGETS",
    "BackupKind",
    "BackupStatus",
    "Infobase",
    "InfobaseAccess",
    "InfobaseStatus",
    "LicenceEvent",
    "LicenceEventKind",
    "Operation",
    "OperationKind",
    "OperationStatus",
    "PlacementRequest",
    "PlacementStatus",
    "Release",
    "RegistrationNumber",
    "ScheduledUpdate",
    "Solution",
    "UploadSession",
    "UploadStatus",
    "UpdateStatus",
]

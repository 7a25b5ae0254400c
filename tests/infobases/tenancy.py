"""How to address another subscriber's objects in the infobases app (see tests/test_tenancy.py)."""

from infobases.services import backup_download_token
from subscribers.models import MemberRole
from tests.factories import MembershipFactory
from tests.infobases.factories import (
    AccessFactory,
    BackupFactory,
    InfobaseFactory,
    backup_target_of,
    failed_copy_of,
)


def _infobase(other):
    return {"pk": InfobaseFactory(subscriber=other).pk}


def _session(other):
    return {"pk": InfobaseFactory(subscriber=other).pk, "session_id": "sess-1"}


def _access(other):
    member = MembershipFactory(subscriber=other, role=MemberRole.USER)
    return {"pk": AccessFactory(infobase=InfobaseFactory(subscriber=other), membership=member).pk}


def _infobase_with_access(other):
    """A base of the other subscriber in which one of its members has a 1C account."""
    member = MembershipFactory(subscriber=other, role=MemberRole.USER)
    infobase = InfobaseFactory(subscriber=other)
    AccessFactory(infobase=infobase, membership=member)
    return {"pk": infobase.pk}


def _backup(other):
    return {"pk": BackupFactory(infobase=InfobaseFactory(subscriber=other)).pk}


def _backup_token(other):
    backup = BackupFactory(infobase=InfobaseFactory(subscriber=other))
    owner = MembershipFactory(subscriber=other, role=MemberRole.OWNER).user
    return {"token": backup_download_token(backup=backup, user=owner)}


def _upload(other, number=None):
    from infobases.models import UploadSession

    session = UploadSession.objects.create(
        subscriber=other,
        name="Чужая",
        original_name="other.dt",
        size_bytes=10,
        part_bytes=10,
        file="uploads/other.dt",
    )
    return {"pk": session.pk} if number is None else {"pk": session.pk, "number": number}


def _backup_target(other):
    return {"pk": backup_target_of(other, "other-copies").pk}


def _backup_copy(other):
    return {"pk": failed_copy_of(other).pk}


OBJECT_URLS = {
    "infobases:backup_copy_retry": _backup_copy,
    "infobases:backup_target": _backup_target,
    "infobases:backup_target_check": _backup_target,
    "infobases:backup_target_delete": _backup_target,
    "infobases:detail": _infobase,
    "infobases:password": _infobase_with_access,
    "infobases:password_reveal": _infobase_with_access,
    "infobases:password_reset": _infobase_with_access,
    "infobases:v8i": _infobase,
    "infobases:rename": _infobase,
    "infobases:delete": _infobase,
    "infobases:lock": _infobase,
    "infobases:backup_create": _infobase,
    "infobases:session_end": _session,
    "infobases:access_revoke": _access,
    "infobases:backup_download": _backup,
    "infobases:backup_restore": _backup,
    "infobases:backup_file": _backup_token,
    "infobases:upload_status": _upload,
    "infobases:upload_complete": _upload,
    "infobases:upload_part": lambda other: _upload(other, number=1),
    "infobases:upload_part_data": lambda other: _upload(other, number=1),
}

PUBLIC_URLS: set[str] = set()

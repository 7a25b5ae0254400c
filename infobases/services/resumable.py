"""6.1 over the storage layer: a .dt uploaded in parts that survives a dropped connection.

The browser computes the SHA-256 while it sends the parts (static/js/dt-upload.js) straight to
storage; the portal never holds the body. Which parts are stored is asked of the storage itself
(S3 ListParts, or the part files on disk), so a resume after a reload needs nothing else. When
the browser says it is done, a worker joins the parts, checks size, kind and checksum, and only
then records the placement request.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh import files
from outbox.services import outbox_enqueue
from subscribers.locks import lock_subscriber
from subscribers.models import Subscriber

from .. import passwords, storage
from ..models import Solution, UploadSession, UploadStatus
from ..provisioning.dtfile import ONEC_CONTAINER_MAGIC, DumpRefused, looks_like_dt
from .common import check_infobase_limit, require_active
from .uploads import SHA256_RE, placement_request_record

UPLOAD_FINISH_KIND = "infobases.upload_finish"

S3_MIN_PART_BYTES = 5 * 2**20


def part_bytes_for(size: int) -> int:
    """The configured part size, grown so a 20 GB file stays within S3's 10,000 parts."""
    part = settings.ONEBUH_UPLOAD_PART_BYTES
    while -(-size // part) > 10_000:
        part *= 2
    return part


@transaction.atomic
def upload_start(
    *,
    subscriber: Subscriber,
    uploaded_by,
    filename: str,
    size: int,
    name: str,
    solution: Solution | None = None,
    comment: str = "",
    dt_admin_login: str = "",
    dt_admin_password: str = "",
) -> UploadSession:
    """Check everything that can be checked before a byte is sent, then open the upload."""
    require_active(subscriber)
    # The tariff's base limit before the upload starts, not after 20 GB have arrived; the lock
    # keeps two managers from both passing with the last free place.
    subscriber = lock_subscriber(subscriber)
    check_infobase_limit(subscriber)
    if not filename.lower().endswith(".dt"):
        raise ValidationError(
            _(
                "Upload an infobase dump: a .dt file made by 1C (Configurator → Administration → "
                "Dump infobase)."
            )
        )
    limit = settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES
    if size <= 0:
        raise ValidationError(_("The file is empty."))
    if size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s; at most %(limit)s can be uploaded. Ask support to move a "
                "bigger infobase."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    relative = storage.upload_relative_path(subscriber_id=subscriber.pk, name=uuid.uuid4().hex)
    upload_id = files.multipart_start(alias=storage.ALIAS, name=relative)
    return UploadSession.objects.create(
        subscriber=subscriber,
        created_by=uploaded_by,
        name=" ".join(name.split())[:100] or filename[:100],
        solution=solution,
        comment=comment,
        dt_admin_login=dt_admin_login,
        dt_admin_password_sealed=passwords.seal(dt_admin_password) if dt_admin_password else "",
        original_name=filename[:255],
        size_bytes=size,
        part_bytes=part_bytes_for(size),
        file=relative,
        upload_id=upload_id,
    )


def _require_uploading(session: UploadSession, number: int | None = None) -> None:
    if session.status != UploadStatus.UPLOADING:
        raise ValidationError(_("This upload is already finished. Start a new one."))
    if number is not None and not 1 <= number <= session.part_count:
        raise ValidationError(_("There is no such part of the file."))


def upload_part_url(*, session: UploadSession, number: int, local_url: str) -> str:
    """Where the browser sends part `number` (a presigned S3 URL, or `local_url`)."""
    _require_uploading(session, number)
    return files.multipart_part_url(
        alias=storage.ALIAS,
        name=session.file,
        upload_id=session.upload_id,
        number=number,
        local_url=local_url,
    )


def upload_receive_part(*, session: UploadSession, number: int, stream, length: int) -> str:
    """File system only: store part `number` from the request body; answers its ETag."""
    _require_uploading(session, number)
    expected = session.part_length(number)
    if length != expected:
        raise ValidationError(
            ngettext(
                "This part must be %(expected)s byte, not %(length)s.",
                "This part must be %(expected)s bytes, not %(length)s.",
                expected,
            )
            % {"expected": expected, "length": length}
        )
    try:
        return files.multipart_write_part(
            alias=storage.ALIAS, name=session.file, number=number, stream=stream, limit=expected
        )
    except ValueError as error:
        raise ValidationError(_("The part is bigger than announced.")) from error


def upload_parts(*, session: UploadSession) -> list[dict]:
    if session.status != UploadStatus.UPLOADING:
        return []
    return files.multipart_parts(
        alias=storage.ALIAS, name=session.file, upload_id=session.upload_id
    )


def upload_complete(*, session: UploadSession, sha256: str) -> UploadSession:
    """The browser has sent every part: check them in a worker (the body never crosses here)."""
    sha256 = sha256.strip().lower()
    if not SHA256_RE.match(sha256):
        raise ValidationError(_("Enter the file's SHA-256 checksum: 64 hexadecimal characters."))
    _require_uploading(session)
    parts = upload_parts(session=session)
    if [p["number"] for p in parts] != list(range(1, session.part_count + 1)):
        raise ValidationError(_("Not every part of the file has arrived yet."))
    with transaction.atomic():
        # A double click or two tabs: only one completion is taken.
        taken = UploadSession.objects.filter(pk=session.pk, status=UploadStatus.UPLOADING).update(
            status=UploadStatus.VERIFYING, sha256=sha256
        )
        if not taken:
            raise ValidationError(_("This upload is already finished. Start a new one."))
        # Owed with the state change (issue 10): a lost message never leaves it "verifying".
        outbox_enqueue(
            kind=UPLOAD_FINISH_KIND,
            payload={"session_id": str(session.pk)},
            dedupe_key=f"upload-finish:{session.pk}",
        )
    session.refresh_from_db()
    return session


def _stored_looks_like_dt(name: str) -> bool:
    head = files.read_head(alias=storage.ALIAS, name=name, length=4)
    if head == ONEC_CONTAINER_MAGIC:
        return True
    if head.startswith(b"PK"):  # The local driver's dumps (embedded default, tests).
        with files.local_copy(alias=storage.ALIAS, name=name) as path:
            return looks_like_dt(path)
    return False


def _fail(session: UploadSession, message: str) -> None:
    files.delete(alias=storage.ALIAS, names=[session.file])
    UploadSession.objects.filter(pk=session.pk).update(status=UploadStatus.FAILED, message=message)


def upload_finish(*, session_id) -> str:
    """Join, verify and record the upload (a worker; re-running a finished one does nothing)."""
    session = UploadSession.objects.filter(pk=session_id, status=UploadStatus.VERIFYING).first()
    if session is None:
        return "skipped"
    # Safe to repeat: a worker that died after joining the parts left the whole file stored
    # (and the parts gone), so a rerun checks that file instead of joining again.
    stored = files.storage_for(storage.ALIAS)
    joined = stored.exists(session.file) and stored.size(session.file) == session.size_bytes
    if not joined:
        parts = files.multipart_parts(
            alias=storage.ALIAS, name=session.file, upload_id=session.upload_id
        )
        if sum(p["size"] for p in parts) != session.size_bytes:
            files.multipart_abort(
                alias=storage.ALIAS, name=session.file, upload_id=session.upload_id
            )
            _fail(session, _("The file arrived incomplete. Upload it again."))
            return "failed"
        files.multipart_complete(
            alias=storage.ALIAS, name=session.file, upload_id=session.upload_id, parts=parts
        )
    try:
        is_dump = _stored_looks_like_dt(session.file)
    except DumpRefused as error:  # an archive bomb (issue 18): refused with the reason
        _fail(session, str(error))
        return "failed"
    if not is_dump:
        _fail(
            session, _("This is not an infobase dump (.dt): the file's content is of another kind.")
        )
        return "failed"
    digest, size = files.sha256_and_size(alias=storage.ALIAS, name=session.file)
    if digest != session.sha256 or size != session.size_bytes:
        _fail(
            session,
            _("The checksum does not match: the file was damaged on the way. Upload it again."),
        )
        return "failed"
    with transaction.atomic():
        placement = placement_request_record(
            subscriber=session.subscriber,
            uploaded_by=session.created_by,
            relative=session.file,
            size=size,
            sha256=digest,
            original_name=session.original_name,
            name=session.name,
            solution=session.solution,
            comment=session.comment,
            dt_admin_login=session.dt_admin_login,
            dt_admin_password_sealed=session.dt_admin_password_sealed,
        )
        UploadSession.objects.filter(pk=session.pk).update(
            status=UploadStatus.DONE, placement=placement, message="", dt_admin_password_sealed=""
        )
    return "done"

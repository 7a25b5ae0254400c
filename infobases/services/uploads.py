"""6.1: a local infobase uploaded as .dt becomes a placement request the operator handles."""

import hashlib
import os
import re
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from onebuh import files
from onebuh.ioerrors import io_error_log, io_error_message
from subscribers.audit import audit_record
from subscribers.models import Subscriber

from .. import storage
from ..models import Infobase, PlacementRequest, PlacementStatus, Solution
from ..provisioning.dtfile import looks_like_dt
from .common import require_active
from .infobases import infobase_create

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _store_upload(*, subscriber_id: int, uploaded, sha256: str) -> tuple[str, int]:
    """Check and store the file; on any problem nothing is left on disk."""
    limit = settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES
    if not uploaded.name.lower().endswith(".dt"):
        raise ValidationError(
            _(
                "Upload an infobase dump: a .dt file made by 1C (Configurator → Administration → "
                "Dump infobase)."
            )
        )
    if uploaded.size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s; at most %(limit)s can be uploaded. Ask support to move a "
                "bigger infobase."
            )
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    relative = storage.upload_relative_path(subscriber_id=subscriber_id, name=uuid.uuid4().hex)
    fd, tmp_name = tempfile.mkstemp(dir=files.scratch_dir(), suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in uploaded.chunks():
                size += len(piece)
                if size > limit:
                    raise ValidationError(_("The file is bigger than allowed."))
                digest.update(piece)
                handle.write(piece)
        if not looks_like_dt(tmp_name):
            raise ValidationError(
                _("This is not an infobase dump (.dt): the file's content is of another kind.")
            )
        if digest.hexdigest() != sha256:
            raise ValidationError(
                _("The checksum does not match: the file was damaged on the way. Upload it again.")
            )
        with open(tmp_name, "rb") as handle:
            relative = files.save(alias=storage.ALIAS, name=relative, content=handle)
    except OSError as error:
        # A full disk (or a failing one): a Russian message, nothing half-written, one ERROR line.
        io_error_log(error, f"Storing an uploaded .dt of subscriber {subscriber_id}")
        storage.delete_files([relative])
        raise ValidationError(io_error_message(error)) from error
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return relative, size


def placement_request_create(
    *,
    subscriber: Subscriber,
    uploaded_by,
    uploaded,
    sha256: str,
    name: str,
    solution: Solution | None = None,
    comment: str = "",
) -> PlacementRequest:
    require_active(subscriber)
    sha256 = sha256.strip().lower()
    if not SHA256_RE.match(sha256):
        raise ValidationError(_("Enter the file's SHA-256 checksum: 64 hexadecimal characters."))
    relative, size = _store_upload(subscriber_id=subscriber.pk, uploaded=uploaded, sha256=sha256)
    try:
        return _placement_record(
            subscriber=subscriber,
            uploaded_by=uploaded_by,
            relative=relative,
            size=size,
            sha256=sha256,
            original_name=uploaded.name,
            name=name,
            solution=solution,
            comment=comment,
        )
    except Exception:
        storage.delete_files([relative])
        raise


@transaction.atomic
def _placement_record(
    *, subscriber, uploaded_by, relative, size, sha256, original_name, name, solution, comment
) -> PlacementRequest:
    from support.hooks import ticket_open_for_placement

    request = PlacementRequest.objects.create(
        subscriber=subscriber,
        uploaded_by=uploaded_by,
        solution=solution,
        name=" ".join(name.split())[:100] or original_name[:100],
        comment=comment,
        original_name=original_name[:255],
        file=relative,
        size_bytes=size,
        sha256=sha256,
    )
    ticket = ticket_open_for_placement(
        subscriber=subscriber,
        opened_by=uploaded_by,
        subject=_("Place a local infobase: %(name)s") % {"name": request.name},
        text=_(
            "Please place the uploaded infobase in the service.\nFile: %(file)s, %(size)s bytes, "
            "SHA-256 %(sha)s.\nSolution: %(solution)s.\n%(comment)s"
        )
        % {
            "file": original_name,
            "size": size,
            "sha": sha256,
            "solution": solution or "—",
            "comment": comment,
        },
    )
    if ticket is not None:
        request.ticket_id = ticket.pk
        request.save(update_fields=["ticket_id"])
    audit_record(
        action="infobase.placement_request",
        subscriber=subscriber,
        actor=uploaded_by,
        target=request,
        data={"size": size, "sha256": sha256},
    )
    return request


@transaction.atomic
def placement_request_place(*, request: PlacementRequest, actor) -> Infobase:
    """The operator places the uploaded dump as a new infobase of the subscriber."""
    request = PlacementRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (PlacementStatus.PLACED, PlacementStatus.REJECTED):
        raise ValidationError(_("This request is already closed."))
    if request.solution is None:
        raise ValidationError(_("Choose the solution of the uploaded infobase first."))
    infobase = infobase_create(
        subscriber=request.subscriber,
        solution=request.solution,
        name=request.name,
        with_demo_data=False,
        actor=actor,
        restore_from=request.file,
    )
    # A placed infobase of unknown origin may be modified: the operator decides on updates.
    infobase.is_typical = False
    infobase.save(update_fields=["is_typical"])
    request.status, request.infobase = PlacementStatus.PLACED, infobase
    request.save(update_fields=["status", "infobase"])
    return infobase

"""6.1: a local infobase uploaded as .dt (services/resumable.py) becomes a placement request the
operator handles."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh.signals import send_merged
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from ..models import Infobase, PlacementRequest, PlacementStatus
from ..signals import placement_requested
from .infobases import infobase_create

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@transaction.atomic
def placement_request_record(
    *,
    subscriber,
    uploaded_by,
    relative,
    size,
    sha256,
    original_name,
    name,
    solution,
    comment,
    dt_admin_login: str = "",
    dt_admin_password_sealed: str = "",
) -> PlacementRequest:
    request = PlacementRequest.objects.create(
        subscriber=subscriber,
        uploaded_by=uploaded_by,
        solution=solution,
        name=" ".join(name.split())[:100] or original_name[:100],
        comment=comment,
        dt_admin_login=dt_admin_login,
        dt_admin_password_sealed=dt_admin_password_sealed,
        original_name=original_name[:255],
        file=relative,
        size_bytes=size,
        sha256=sha256,
    )
    # support opens the ticket the operator works the request in (infobases/signals.py).
    answer = send_merged(
        placement_requested,
        sender="infobases",
        request=request,
        subscriber=subscriber,
        opened_by=uploaded_by,
        subject=_("Place a local infobase: %(name)s") % {"name": request.name},
        text=ngettext(
            "Please place the uploaded infobase in the service.\nFile: %(file)s, %(size)s byte, "
            "SHA-256 %(sha)s.\nSolution: %(solution)s.\n%(comment)s",
            "Please place the uploaded infobase in the service.\nFile: %(file)s, %(size)s bytes, "
            "SHA-256 %(sha)s.\nSolution: %(solution)s.\n%(comment)s",
            size,
        )
        % {
            "file": original_name,
            "size": size,
            "sha": sha256,
            "solution": solution or "—",
            "comment": comment,
        },
    )
    ticket = answer.get("ticket")
    if ticket is not None:
        request.ticket_id = ticket.pk
        request.save(update_fields=["ticket_id"])
    audit_record(
        action=AuditAction.INFOBASE_PLACEMENT_REQUEST,
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
        dt_admin=(request.dt_admin_login, request.dt_admin_password_sealed),
    )
    # A placed infobase of unknown origin may be modified: the operator decides on updates.
    infobase.is_typical = False
    infobase.save(update_fields=["is_typical"])
    # The operation carries the sealed password now; it forgets it once 1C has been entered.
    request.status, request.infobase = PlacementStatus.PLACED, infobase
    request.dt_admin_password_sealed = ""
    request.save(update_fields=["status", "infobase", "dt_admin_password_sealed"])
    return infobase

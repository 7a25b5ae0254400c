"""Tenancy of the infobases app: objects reach views only through these helpers (STYLE.md §4).

Managers (owner, administrator) see every infobase of the subscriber; other members only the
infobases they were given access to. Anything else answers 404.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from subscribers.access import get_for_member
from subscribers.models import Membership, SubscriberStatus

from .links import backup_download_unsign
from .models import (
    Backup,
    BackupCopy,
    BackupStatus,
    BackupTarget,
    Infobase,
    InfobaseAccess,
    InfobaseStatus,
    PlacementRequest,
    RegistrationNumber,
    UploadSession,
)

VISIBLE = (
    InfobaseStatus.CREATING,
    InfobaseStatus.READY,
    InfobaseStatus.FAILED,
    InfobaseStatus.DELETING,
)


def infobases_visible_to(*, membership: Membership) -> QuerySet:
    qs = Infobase.objects.filter(subscriber_id=membership.subscriber_id, status__in=VISIBLE)
    if not membership.can_manage:
        qs = qs.filter(accesses__membership=membership)
    return qs


def accesses_visible_to(*, membership: Membership) -> QuerySet[InfobaseAccess]:
    """The grants on the infobases the member sees (the API's access list, managers only there)."""
    return InfobaseAccess.objects.filter(infobase__in=infobases_visible_to(membership=membership))


def placements_visible_to(*, membership: Membership) -> QuerySet[PlacementRequest]:
    """The subscriber's placement requests; managers only (others see none)."""
    if not membership.can_manage:
        return PlacementRequest.objects.none()
    return PlacementRequest.objects.filter(subscriber_id=membership.subscriber_id)


def registration_numbers_visible_to(*, membership: Membership, user) -> QuerySet:
    """2.3: managers see every registration number of the subscriber, other members their own
    (`user` is the signed-in person, the member's user)."""
    numbers = RegistrationNumber.objects.filter(subscriber_id=membership.subscriber_id)
    if not membership.can_manage:
        numbers = numbers.filter(user_email__iexact=user.email)
    return numbers


def infobase_for_member(*, membership: Membership, pk) -> Infobase:
    return get_for_member(
        infobases_visible_to(membership=membership).select_related("solution", "release"),
        membership=membership,
        pk=pk,
    )


def infobase_for_manager(*, membership: Membership, pk) -> Infobase:
    infobase = infobase_for_member(membership=membership, pk=pk)
    if not membership.can_manage:
        raise Http404
    return infobase


def upload_for_manager(*, membership: Membership, pk) -> UploadSession:
    """An upload in progress of the subscriber; only its managers upload (6.1)."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(UploadSession, membership=membership, pk=pk)


def access_for_manager(*, membership: Membership, pk) -> InfobaseAccess:
    if not membership.can_manage:
        raise Http404
    return get_for_member(
        InfobaseAccess.objects.select_related("infobase__subscriber", "membership__user"),
        membership=membership,
        pk=pk,
        field="infobase__subscriber",
    )


def own_access_for_member(*, membership: Membership, pk) -> InfobaseAccess:
    """The member's own 1C account in one of their infobases (its password page), else 404.
    Nobody else's: a manager resets nobody's password for them, so none can see it."""
    infobase = infobase_for_member(membership=membership, pk=pk)
    access = (
        InfobaseAccess.objects.filter(infobase=infobase, membership=membership)
        .select_related("infobase__subscriber", "membership__user")
        .first()
    )
    if access is None:
        raise Http404
    return access


def member_for_access(*, membership: Membership, pk) -> Membership:
    """A member of the subscriber to grant access to; only managers grant (else 404)."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(Membership.objects.select_related("user"), membership=membership, pk=pk)


def backups_visible_to(*, membership: Membership) -> QuerySet:
    """Copies a member may download: managers all, others those of infobases with full rights."""
    qs = Backup.objects.filter(subscriber_id=membership.subscriber_id)
    if not membership.can_manage:
        qs = qs.filter(infobase__accesses__membership=membership, infobase__accesses__role="full")
    return qs


def newest_done(qs: QuerySet) -> QuerySet:
    """Only the last finished copy of each infobase (2.4: what a suspended subscriber keeps)."""
    newer = Backup.objects.filter(
        infobase=OuterRef("infobase"),
        status=BackupStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    return qs.filter(status=BackupStatus.DONE).exclude(Exists(newer))


def backup_for_download(*, membership: Membership, pk) -> Backup:
    qs = backups_visible_to(membership=membership).filter(status=BackupStatus.DONE)
    if membership.subscriber.status != SubscriberStatus.ACTIVE:
        qs = newest_done(qs)
    return get_for_member(qs.select_related("infobase"), membership=membership, pk=pk)


def backup_for_manager(*, membership: Membership, pk) -> Backup:
    if not membership.can_manage:
        raise Http404
    return get_for_member(
        Backup.objects.select_related("infobase__solution", "subscriber"),
        membership=membership,
        pk=pk,
    )


def backup_targets_visible_to(*, membership: Membership) -> QuerySet[BackupTarget]:
    """The subscriber's own storages for copies; managers only (others see none)."""
    if not membership.can_manage:
        return BackupTarget.objects.none()
    return BackupTarget.objects.filter(subscriber_id=membership.subscriber_id)


def backup_copies_visible_to(*, membership: Membership) -> QuerySet[BackupCopy]:
    """Copies of the subscriber's backups to its own storages; managers only."""
    if not membership.can_manage:
        return BackupCopy.objects.none()
    return BackupCopy.objects.filter(target__subscriber_id=membership.subscriber_id)


def backup_copy_for_manager(*, membership: Membership, pk) -> BackupCopy:
    """A copy of one of the subscriber's backups to its own storage; owners and administrators
    only, anyone else (or another subscriber's copy) gets 404."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(
        BackupCopy.objects.select_related("target__subscriber", "backup"),
        membership=membership,
        pk=pk,
        field="target__subscriber",
    )


def backup_target_for_manager(*, membership: Membership, pk) -> BackupTarget:
    """The subscriber's own storage for copies; only its owners and administrators see it."""
    if not membership.can_manage:
        raise Http404
    return get_for_member(
        BackupTarget.objects.select_related("subscriber"), membership=membership, pk=pk
    )


def active_subscriber_required(view):
    """Panel actions other than downloading the last backups need an active subscriber (3.5)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        suspended = request.membership.subscriber.status != SubscriberStatus.ACTIVE
        if suspended and request.method == "POST":
            messages.error(
                request, _("Access to the service is suspended: this action is not available.")
            )
            return redirect("infobases:index")
        return view(request, *args, **kwargs)

    return wrapper


def backup_for_download_link(*, membership: Membership, user, token: str) -> Backup:
    """The copy a signed download link names: the link must be the user's own and unexpired
    (raises signing.SignatureExpired), and the member's right is checked again now."""
    try:
        backup_id, user_id = backup_download_unsign(
            token=token, max_age=settings.ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS
        )
    except signing.SignatureExpired:
        raise
    except (signing.BadSignature, ValueError) as error:
        raise Http404 from error
    if user_id != user.pk:
        raise Http404
    return backup_for_download(membership=membership, pk=backup_id)

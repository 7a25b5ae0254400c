"""Adding, renaming and deleting infobases (1.2), and members' access to them (2.4)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.errors import Conflict
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.locks import lock_subscriber
from subscribers.models import Membership, Subscriber

from ..models import (
    AccessRole,
    Infobase,
    InfobaseAccess,
    InfobaseStatus,
    OperationKind,
    Release,
    ScheduledUpdate,
    Solution,
    UpdateStatus,
)
from .common import (
    check_infobase_limit,
    check_user_limit,
    queue_operation,
    require_active,
)
from .licensing import licence_record_registration, licence_record_terminations, removed_rows
from .passwords import notify_access_granted, stage_reveal, user_set_params


def _new_ref(subscriber_id: int) -> str:
    return f"s{subscriber_id}_{secrets.token_hex(4)}"


def latest_release(solution: Solution) -> Release | None:
    return (
        solution.releases.filter(published_at__isnull=False).order_by("-released_on", "-id").first()
    )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the infobase a name."))
    if len(name) > 100:
        raise ValidationError(_("The name is too long (100 characters at most)."))
    return name


@transaction.atomic
def infobase_create(
    *,
    subscriber: Subscriber,
    solution: Solution,
    name: str,
    with_demo_data: bool,
    actor,
    restore_from: str = "",
    dt_admin: tuple[str, str] = ("", ""),
) -> Infobase:
    """Add an infobase from the catalog (empty or with demo data), or load it from a stored .dt.

    `restore_from` is a file path relative to ONEBUH_INFOBASES_DIR (a backup or an upload);
    `dt_admin` the (login, sealed password) of that dump's own administrator, if it has users.
    """
    # Limit checks of one subscriber are serialised: two admins adding at once cannot both pass.
    subscriber = lock_subscriber(subscriber)
    require_active(subscriber)
    name = _clean_name(name)
    if not solution.is_published:
        raise ValidationError(_("This solution is not offered any more."))
    if with_demo_data and not solution.demo_template and not restore_from:
        raise ValidationError(_("This solution has no demo data; add an empty infobase."))
    check_infobase_limit(subscriber)
    release = latest_release(solution)
    infobase = Infobase.objects.create(
        subscriber=subscriber,
        solution=solution,
        release=release,
        name=name,
        ref=_new_ref(subscriber.pk),
        with_demo_data=with_demo_data,
    )
    template = release.template_path if release else solution.template
    if restore_from:
        kind, params = OperationKind.LOAD, {"restore_from": restore_from}
        if dt_admin[0]:
            params["dt_admin"] = {"login": dt_admin[0], "password_sealed": dt_admin[1]}
    elif with_demo_data:
        kind, params = OperationKind.LOAD, {"template_dt": solution.demo_template}
    else:
        kind, params = OperationKind.CREATE, {}
    creator = _creator_access(subscriber=subscriber, infobase=infobase, actor=actor)
    if creator is not None:
        # Set up by the create operation itself, right after the base exists (a separate
        # operation could reach a worker before the base is there).
        access, sealed = creator
        params["creator"] = user_set_params(access=access, sealed=sealed)
    queue_operation(
        subscriber=subscriber,
        infobase=infobase,
        kind=kind,
        actor=actor,
        params={"ref": infobase.ref, "template": template, **params},
    )
    audit_record(
        action=AuditAction.INFOBASE_CREATE,
        subscriber=subscriber,
        actor=actor,
        target=infobase,
        data={"solution": solution.code, "demo": with_demo_data, "from": restore_from},
    )
    return infobase


def _creator_access(*, subscriber: Subscriber, infobase: Infobase, actor):
    """The member who adds a base gets full rights to it (issue 14), within the tariff's users.

    Returns (access, sealed password) or None (staff adding a base, or no 1C user left)."""
    membership = (
        Membership.objects.filter(subscriber=subscriber, user_id=getattr(actor, "pk", None))
        .select_related("user")
        .first()
    )
    if membership is None:
        return None
    try:
        check_user_limit(subscriber, membership_id=membership.pk)
    except ValidationError:
        return None  # The base is still added; a manager can give access after freeing a user.
    access = InfobaseAccess(
        infobase=infobase, membership=membership, role=AccessRole.FULL, login=_login_for(membership)
    )
    sealed = stage_reveal(access)
    access.save()
    licence_record_registration(access=access)
    audit_record(
        action=AuditAction.INFOBASE_ACCESS_GRANT,
        subscriber=subscriber,
        actor=actor,
        target=access,
        data={"infobase": infobase.pk, "member": membership.user.email, "role": access.role},
    )
    notify_access_granted(access=access)
    return access, sealed


@transaction.atomic
def infobase_rename(*, infobase: Infobase, name: str, actor) -> Infobase:
    require_active(infobase.subscriber)
    old, infobase.name = infobase.name, _clean_name(name)
    infobase.save(update_fields=["name"])
    audit_record(
        action=AuditAction.INFOBASE_RENAME,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
        data={"from": old, "to": infobase.name},
    )
    return infobase


@transaction.atomic
def infobase_delete(*, infobase: Infobase, actor) -> Infobase:
    """1.2: delete after a final backup that is kept for 30 days (made by the operation)."""
    require_active(infobase.subscriber)
    # Claim the row: two clicks (or two admins) queue one deletion only.
    claimed = Infobase.objects.filter(
        pk=infobase.pk, status__in=[InfobaseStatus.READY, InfobaseStatus.FAILED]
    ).update(status=InfobaseStatus.DELETING, status_message="")
    if not claimed:
        raise Conflict(_("The infobase is busy (being created or deleted); try later."))
    accesses = InfobaseAccess.objects.filter(infobase=infobase)
    removed = removed_rows(accesses)
    accesses.delete()
    licence_record_terminations(removed=removed)
    ScheduledUpdate.objects.filter(infobase=infobase, status=UpdateStatus.SCHEDULED).update(
        status=UpdateStatus.CANCELLED, message=_("The infobase was deleted.")
    )
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.DROP,
        actor=actor,
        params={"ref": infobase.ref},
    )
    audit_record(
        action=AuditAction.INFOBASE_DELETE,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
    )
    infobase.status = InfobaseStatus.DELETING
    return infobase


def _login_for(membership: Membership) -> str:
    return membership.user.email.lower()


@transaction.atomic
def access_set(*, infobase: Infobase, membership: Membership, role: str, actor) -> InfobaseAccess:
    """Give a member access with a role, or change the role; the cluster user follows."""
    if role not in AccessRole.values:
        raise ValidationError(_("Choose a role: full rights or user."))
    if membership.subscriber_id != infobase.subscriber_id:
        raise ValidationError(_("Only the subscriber's own members can get access (2.4)."))
    # The user limit, and a removal of this member racing the grant, wait on the subscriber row.
    subscriber = lock_subscriber(infobase.subscriber)
    require_active(subscriber)
    if not infobase.is_live:
        raise Conflict(_("The infobase is being deleted."))
    access = InfobaseAccess.objects.filter(infobase=infobase, membership=membership).first()
    if access is not None and access.role == role:
        return access
    is_new = access is None
    sealed = None
    if is_new:
        check_user_limit(subscriber, membership_id=membership.pk)
        access = InfobaseAccess(
            infobase=infobase, membership=membership, role=role, login=_login_for(membership)
        )
        sealed = stage_reveal(access)  # revealed once in the panel, never mailed
        try:
            with transaction.atomic():
                access.save()
        except IntegrityError as error:
            raise Conflict(_("This member already has access.")) from error
        licence_record_registration(access=access)
        notify_access_granted(access=access)
    else:
        access.role = role
        access.save(update_fields=["role"])
    user = membership.user
    queue_operation(
        subscriber=subscriber,
        infobase=infobase,
        kind=OperationKind.USER_SET,
        actor=actor,
        params=user_set_params(access=access, sealed=sealed),
    )
    audit_record(
        action=AuditAction.INFOBASE_ACCESS_GRANT if is_new else AuditAction.INFOBASE_ACCESS_CHANGE,
        subscriber=subscriber,
        actor=actor,
        target=access,
        data={"infobase": infobase.pk, "member": user.email, "role": role},
    )
    return access


@transaction.atomic
def access_revoke(*, access: InfobaseAccess, actor) -> None:
    infobase = access.infobase
    require_active(infobase.subscriber)
    accesses = InfobaseAccess.objects.filter(pk=access.pk)
    removed = removed_rows(accesses)
    if not accesses.delete()[0]:
        return  # Revoked already by someone else.
    licence_record_terminations(removed=removed)
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.USER_REMOVE,
        actor=actor,
        params={"ref": infobase.ref, "login": access.login},
    )
    audit_record(
        action=AuditAction.INFOBASE_ACCESS_REVOKE,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
        data={"login": access.login},
    )


@transaction.atomic
def session_end(*, infobase: Infobase, session_id: str, actor) -> None:
    require_active(infobase.subscriber)
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.SESSION_END,
        actor=actor,
        params={"ref": infobase.ref, "session_id": session_id},
    )
    audit_record(
        action=AuditAction.INFOBASE_SESSION_END,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
        data={"session": session_id},
    )


@transaction.atomic
def lock_set(*, infobase: Infobase, starts, ends, message: str, actor) -> Infobase:
    """A session lock for the subscriber's maintenance: shown as active while it is in force."""
    require_active(infobase.subscriber)
    starts = starts or timezone.now()
    if ends is not None and ends <= starts:
        raise ValidationError(_("The lock must end after it starts."))
    infobase.lock_from, infobase.lock_to = starts, ends
    infobase.lock_message = message.strip()[:255] or _("The infobase is locked for maintenance.")
    infobase.lock_code = secrets.token_hex(3)
    infobase.save(update_fields=["lock_from", "lock_to", "lock_message", "lock_code"])
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.LOCK_SET,
        actor=actor,
        params={
            "ref": infobase.ref,
            "from": starts.isoformat(),
            "to": ends.isoformat() if ends else None,
            "message": infobase.lock_message,
            "code": infobase.lock_code,
        },
    )
    audit_record(
        action=AuditAction.INFOBASE_LOCK_SET,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
    )
    return infobase


@transaction.atomic
def lock_clear(*, infobase: Infobase, actor) -> Infobase:
    require_active(infobase.subscriber)
    infobase.lock_from = infobase.lock_to = None
    infobase.lock_message = infobase.lock_code = ""
    infobase.save(update_fields=["lock_from", "lock_to", "lock_message", "lock_code"])
    queue_operation(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        kind=OperationKind.LOCK_CLEAR,
        actor=actor,
        params={"ref": infobase.ref},
    )
    audit_record(
        action=AuditAction.INFOBASE_LOCK_CLEAR,
        subscriber=infobase.subscriber,
        actor=actor,
        target=infobase,
    )
    return infobase

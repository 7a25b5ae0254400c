"""Members' 1C passwords (issue 14): never in an email, never kept in clear.

A new access (and a reset) generates a password that the member sees once in the panel
(`access_password_reveal`) before it expires; or the member sets one of their own. The driver
gets it through a USER_SET operation that carries it sealed (infobases/passwords.py) and drops
it from its parameters once 1C has it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onebuh.emails import send_templated_email
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from .. import passwords
from ..models import InfobaseAccess, OperationKind
from .common import queue_operation, require_active

MIN_LENGTH = 8
MAX_LENGTH = 64


def stage_reveal(access: InfobaseAccess) -> str:
    """Generate a password for the access (fields set, not saved); return it sealed."""
    sealed = passwords.seal(passwords.generate())
    access.password_sealed = sealed
    access.password_reveal_until = timezone.now() + datetime.timedelta(
        hours=settings.ONEBUH_1C_PASSWORD_REVEAL_HOURS
    )
    return sealed


def user_set_params(*, access: InfobaseAccess, sealed: str | None) -> dict:
    user = access.membership.user
    params = {
        "ref": access.infobase.ref,
        "login": access.login,
        "full_name": user.display_name,
        "role": access.role,
    }
    if sealed:
        params["password_sealed"] = sealed
    return params


def notify_access_granted(*, access: InfobaseAccess) -> None:
    """The access email: the login and where to get the password, never the password. Owed in
    the outbox in the caller's transaction, so it commits with the access or not at all."""
    infobase, user = access.infobase, access.membership.user
    context = {
        "infobase": infobase,
        "login": access.login,
        "reveal_until": access.password_reveal_until,
        "password_url": f"{settings.SITE_URL}{infobase.get_absolute_url()}password/",
        "web_url": f"{settings.ONEBUH_INFOBASES_WEB_URL}/{infobase.ref}/",
    }
    send_templated_email(template="infobases-access", to=[user.email], context=context)


def _locked(access: InfobaseAccess) -> InfobaseAccess:
    # Two tabs revealing or resetting at once: the row lock lets one of them win.
    return (
        InfobaseAccess.objects.select_for_update()
        .select_related("infobase__subscriber", "membership__user")
        .get(pk=access.pk)
    )


def _password_to_1c(*, access: InfobaseAccess, sealed: str, actor, action: AuditAction) -> None:
    """Queue the 1C user's new password (sealed until the operation runs) and audit it."""
    queue_operation(
        subscriber_id=access.infobase.subscriber_id,
        infobase=access.infobase,
        kind=OperationKind.USER_SET,
        actor=actor,
        params=user_set_params(access=access, sealed=sealed),
    )
    audit_record(
        action=action,
        subscriber=access.infobase.subscriber,
        actor=actor,
        target=access,
        data={"login": access.login},
    )


@transaction.atomic
def access_password_reset(*, access: InfobaseAccess, actor) -> InfobaseAccess:
    """A new generated password for the access, to be revealed once in the panel."""
    access = _locked(access)
    require_active(access.infobase.subscriber)
    sealed = stage_reveal(access)
    access.save(update_fields=["password_sealed", "password_reveal_until"])
    _password_to_1c(
        access=access, sealed=sealed, actor=actor, action=AuditAction.INFOBASE_PASSWORD_RESET
    )
    return access


@transaction.atomic
def access_password_set(*, access: InfobaseAccess, password: str, actor) -> InfobaseAccess:
    """The member's own password: sent to 1C, kept nowhere; a waiting reveal is cancelled."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(
            ngettext(
                "The password must be %(min)s to %(max)s character long.",
                "The password must be %(min)s to %(max)s characters long.",
                MAX_LENGTH,
            )
            % {"min": MIN_LENGTH, "max": MAX_LENGTH}
        )
    access = _locked(access)
    require_active(access.infobase.subscriber)
    if password.strip().lower() == access.login.lower():
        raise ValidationError(_("The password must not be the login."))
    access.password_sealed, access.password_reveal_until = "", None
    access.password_set_at = timezone.now()
    access.save(update_fields=["password_sealed", "password_reveal_until", "password_set_at"])
    _password_to_1c(
        access=access,
        sealed=passwords.seal(password),
        actor=actor,
        action=AuditAction.INFOBASE_PASSWORD_SET,
    )
    return access


@transaction.atomic
def access_password_reveal(*, access: InfobaseAccess, actor) -> str:
    """The waiting password, once: the row is emptied in the same transaction."""
    access = _locked(access)
    password = passwords.unseal(access.password_sealed)
    if (
        password is None
        or access.password_reveal_until is None
        or access.password_reveal_until <= timezone.now()
    ):
        raise ValidationError(
            _("There is no password to show: it was shown already or has expired. Reset it.")
        )
    access.password_sealed, access.password_reveal_until = "", None
    access.password_set_at = timezone.now()
    access.save(update_fields=["password_sealed", "password_reveal_until", "password_set_at"])
    audit_record(
        action=AuditAction.INFOBASE_PASSWORD_REVEAL,
        subscriber=access.infobase.subscriber,
        actor=actor,
        target=access,
        data={"login": access.login},
    )
    return password

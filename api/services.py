"""Writes of the API app: personal tokens are created and revoked in the panel."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Membership

from .models import ApiToken, TokenScope, hash_secret

TOKEN_PREFIX = "obk_"
# Recording every request's time would write a row per call; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def api_token_create(
    *, membership: Membership, name: str, scope: str, ip: str | None = None
) -> tuple[ApiToken, str]:
    """A new token for the member; the raw value is returned once and stored only hashed."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose the token's scope: read or read and write.")})
    # Lock the member: two requests at once must not both pass the limit.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    active = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            ngettext(
                "You have %(count)d active token; revoke one you no longer use.",
                "You have %(count)d active tokens; revoke one you no longer use.",
                active,
            )
            % {"count": active}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership,
        name=name[:100],
        scope=scope,
        prefix=raw[:12],
        secret_hash=hash_secret(raw),
    )
    audit_record(
        action=AuditAction.API_TOKEN_CREATE,
        subscriber=membership.subscriber,
        actor=membership.user,
        target=token,
        data={"scope": scope},
        ip=ip,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, ip: str | None = None) -> ApiToken:
    # Conditional UPDATE: two revocations at once record the first time only.
    claimed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("The token is already revoked."))
    token.refresh_from_db(fields=["revoked_at"])
    audit_record(
        action=AuditAction.API_TOKEN_REVOKE,
        subscriber=token.membership.subscriber,
        actor=actor,
        target=token,
        ip=ip,
    )
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token with this value, with its member, or None (unknown or revoked)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("membership__user", "membership__subscriber")
        .filter(secret_hash=hash_secret(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_revoke_for(
    *,
    membership_ids=None,
    user=None,
    subscriber_ids=None,
    reason: str,
    actor=None,
) -> int:
    """Revoke every live token of these members, of this person (all their memberships) or of
    these subscribers, in one UPDATE (issue 18: a removal, a password change or reset, a purge
    ends what the tokens granted, as GitHub does on a password reset). Returns how many."""
    tokens = ApiToken.objects.filter(revoked_at__isnull=True)
    if membership_ids is not None:
        tokens = tokens.filter(membership_id__in=list(membership_ids))
    elif user is not None:
        tokens = tokens.filter(membership__user=user)
    elif subscriber_ids is not None:
        tokens = tokens.filter(membership__subscriber_id__in=list(subscriber_ids))
    else:
        raise ValueError("say whose tokens to revoke")
    revoked = tokens.update(revoked_at=timezone.now())
    if revoked:
        audit_record(
            action=AuditAction.API_TOKENS_REVOKE,
            actor=actor,
            reason=reason,
            data={"tokens": revoked},
        )
    return revoked

"""Tokens of the support form inside the 1C application (4.2): issued per infobase, revocable."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from ..models import OneCFormToken, hash_token


@transaction.atomic
def onec_token_issue(*, infobase, actor) -> tuple[OneCFormToken, str]:
    """A new token for the infobase; the raw value is returned once and stored only hashed."""
    raw = "1cf_" + secrets.token_urlsafe(32)
    token = OneCFormToken.objects.create(
        subscriber_id=infobase.subscriber_id,
        infobase=infobase,
        token_hash=hash_token(raw),
        prefix=raw[:8],
        created_by=actor,
    )
    audit_record(
        action=AuditAction.ONEC_TOKEN_ISSUE,
        subscriber=infobase.subscriber,
        actor=actor,
        target=token,
    )
    return token, raw


@transaction.atomic
def onec_token_revoke(*, token: OneCFormToken, actor) -> OneCFormToken:
    # Conditional UPDATE: revoking twice keeps the first time.
    claimed = OneCFormToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("The token is already revoked."))
    token.refresh_from_db(fields=["revoked_at"])
    audit_record(
        action=AuditAction.ONEC_TOKEN_REVOKE,
        subscriber=token.subscriber,
        actor=actor,
        target=token,
    )
    return token


def onec_token_authenticate(*, raw: str) -> OneCFormToken | None:
    """The live token with this value, or None (unknown or revoked)."""
    if not raw:
        return None
    token = (
        OneCFormToken.objects.select_related("subscriber", "infobase")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        OneCFormToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token

"""Binding a 1C-Connect client to a member (issue 11): a one-time code the member sees in the
panel and sends in the 1C-Connect chat, or staff confirmation in the admin. Until then the
client's self-declared email or БИН (public data) proves nothing."""

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Membership

from ..models import ConnectBindingCode, ConnectClient, hash_token

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LIFETIME = datetime.timedelta(minutes=30)
CODE_PATTERN = re.compile(
    r"^\s*(?:код|code)?\s*:?\s*([A-HJ-NP-Z2-9]{4})-?([A-HJ-NP-Z2-9]{4})\s*$", re.IGNORECASE
)


def code_in_text(text: str) -> str | None:
    """The binding code when the whole message is one ("K7Q2-M9XD"), normalised."""
    match = CODE_PATTERN.match(text)
    return f"{match.group(1)}-{match.group(2)}".upper() if match else None


@transaction.atomic
def connect_code_issue(*, member, subscriber) -> str:
    """A new code for this member (earlier unused ones stop working); shown once."""
    if not Membership.objects.filter(user=member, subscriber=subscriber).exists():
        raise ValidationError(_("You are not a member of this subscriber."))
    now = timezone.now()
    ConnectBindingCode.objects.filter(member=member, used_at=None).update(expires_at=now)
    code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _half in range(2))
    ConnectBindingCode.objects.create(
        member=member,
        subscriber=subscriber,
        code_hash=hash_token(code),
        expires_at=now + CODE_LIFETIME,
    )
    audit_record(action=AuditAction.CONNECT_CODE_ISSUE, subscriber=subscriber, actor=member)
    return code


def _bind(*, client: ConnectClient, member, subscriber, via: str, actor) -> ConnectClient:
    client.member, client.subscriber = member, subscriber
    client.bound_via, client.bound_at, client.bound_by = via, timezone.now(), actor
    client.save(update_fields=["member", "subscriber", "bound_via", "bound_at", "bound_by"])
    audit_record(
        action=AuditAction.CONNECT_CLIENT_BIND,
        subscriber=subscriber,
        actor=actor or member,
        target=client,
        data={"via": via, "member": member.pk, "client": client.external_id},
    )
    return client


@transaction.atomic
def connect_client_bind_by_code(*, client: ConnectClient, code: str) -> bool:
    """The client sent a code: bind it to the code's member if the code is valid (once)."""
    now = timezone.now()
    binding = (
        ConnectBindingCode.objects.select_for_update()
        .select_related("member", "subscriber")
        .filter(code_hash=hash_token(code), used_at=None, expires_at__gt=now)
        .first()
    )
    if binding is None:
        return False
    # A code is used once: a second client sending the same code binds nothing.
    binding.used_at = now
    binding.save(update_fields=["used_at"])
    _bind(
        client=client,
        member=binding.member,
        subscriber=binding.subscriber,
        via=ConnectClient.BoundVia.CODE,
        actor=None,
    )
    return True


@transaction.atomic
def connect_client_bind_by_staff(*, client: ConnectClient, membership: Membership, actor):
    return _bind(
        client=client,
        member=membership.user,
        subscriber=membership.subscriber,
        via=ConnectClient.BoundVia.STAFF,
        actor=actor,
    )


@transaction.atomic
def connect_client_unbind(*, client: ConnectClient, actor) -> None:
    subscriber = client.subscriber
    client.member = client.subscriber = client.bound_at = client.bound_by = None
    client.bound_via = ""
    client.save(update_fields=["member", "subscriber", "bound_via", "bound_at", "bound_by"])
    audit_record(
        action=AuditAction.CONNECT_CLIENT_UNBIND,
        subscriber=subscriber,
        actor=actor,
        target=client,
        data={"client": client.external_id},
    )

"""Writes on subscribers, members, invitations and terms. Views, admin and tasks call these."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.emails import send_templated_email
from onebuh.errors import Conflict
from onebuh.limits import limit_hit
from onebuh.signals import send_merged

from .audit import audit_record
from .audit_actions import AuditAction
from .locks import lock_subscriber, lock_subscribers
from .models import (
    Invitation,
    LegalForm,
    MemberRole,
    Membership,
    Subscriber,
    SubscriberStateChange,
    SubscriberStatus,
    TermsAcceptance,
    TermsVersion,
    User,
)
from .selectors import terms_forget_current
from .signals import memberships_lowered, memberships_removing, password_changed
from .states import subscribers_transition, transition_for
from .terms import shipped_version

INVITATION_LIFETIME = timedelta(days=7)
MANAGER_ROLES = (MemberRole.OWNER, MemberRole.ADMIN)
SUBSCRIBER_DATA_FIELDS = (
    "legal_form",
    "name",
    "iin",
    "bin",
    "main_activity",
    "person_full_name",
    "address",
    "responsible_full_name",
    "responsible_email",
    "responsible_phone",
)


@transaction.atomic
def subscriber_register(*, owner: User, data: dict, ip: str | None = None) -> Subscriber:
    """Create a subscriber from validated registration data and make `owner` its owner (2.2)."""
    values = {field: data.get(field, "") for field in SUBSCRIBER_DATA_FIELDS}
    if values["legal_form"] == LegalForm.INDIVIDUAL:
        values["name"] = ""
    subscriber = Subscriber(**values)
    subscriber.full_clean()
    subscriber.save()
    Membership.objects.create(subscriber=subscriber, user=owner, role=MemberRole.OWNER)
    subscribers_transition(
        subscriber_ids=[subscriber.pk],
        event=SubscriberStateChange.Event.REGISTERED,
        from_status=SubscriberStatus.ACTIVE,
        to_status=SubscriberStatus.ACTIVE,
        cause=_("Registered in the control panel"),
        actor=owner,
    )
    audit_record(
        action=AuditAction.SUBSCRIBER_REGISTER,
        subscriber=subscriber,
        actor=owner,
        target=subscriber,
        ip=ip,
    )
    return subscriber


@transaction.atomic
def subscriber_update_details(*, subscriber: Subscriber, data: dict, actor: User) -> Subscriber:
    """Change the registration data (2.2 requires it to stay current); the legal form is fixed."""
    subscriber = lock_subscriber(subscriber)
    changed = {}
    for field in SUBSCRIBER_DATA_FIELDS:
        if field == "legal_form" or field not in data:
            continue
        if getattr(subscriber, field) != data[field]:
            changed[field] = [getattr(subscriber, field), data[field]]
            setattr(subscriber, field, data[field])
    if changed:
        subscriber.full_clean()
        subscriber.save(update_fields=list(changed))
        audit_record(
            action=AuditAction.SUBSCRIBER_UPDATE,
            subscriber=subscriber,
            actor=actor,
            target=subscriber,
            data={"changed": changed},
        )
    return subscriber


@transaction.atomic
def subscriber_change_state(
    *,
    subscriber: Subscriber,
    to_status: str,
    event: str,
    cause: str,
    actor: User | None = None,
    suspension_reason: str = "",
) -> Subscriber:
    """Move one subscriber to a new state and record the change with its time and cause.

    The row is locked so that two writers (a payment and the purge, say) see each other's result;
    the move itself is the state machine's (subscribers.states): a move its table does not allow
    raises IllegalTransition.
    """
    subscriber = lock_subscriber(subscriber)
    now = timezone.now()
    moves = not transition_for(
        event=event, from_status=subscriber.status, to_status=to_status
    ).is_note
    subscribers_transition(
        subscriber_ids=[subscriber.pk],
        event=event,
        from_status=subscriber.status,
        to_status=to_status,
        cause=cause,
        actor=actor,
        suspension_reason=suspension_reason,
        at=now,
    )
    if moves:
        subscriber.status = to_status
        subscriber.suspension_reason = (
            suspension_reason if to_status == SubscriberStatus.SUSPENDED else ""
        )
        subscriber.status_changed_at = now
    return subscriber


@transaction.atomic
def invitation_create(
    *, subscriber: Subscriber, email: str, role: str, invited_by: User
) -> Invitation:
    email = email.strip().lower()
    if role == MemberRole.OWNER:
        raise ValidationError(_("A subscriber has one owner; invite as administrator instead."))
    if Membership.objects.filter(subscriber=subscriber, user__email__iexact=email).exists():
        raise Conflict(_("This person is already a member."))
    if subscriber.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise Conflict(_("An invitation to this email is already waiting."))
    # Issue 18: 60 invitations (60 emails to any address) in 2 s. Counted per subscriber.
    limit_hit("invitation", subscriber.pk)
    invitation = Invitation.objects.create(
        subscriber=subscriber,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit_record(
        action=AuditAction.MEMBER_INVITE,
        subscriber=subscriber,
        actor=invited_by,
        target=invitation,
        data={"email": email, "role": role},
    )
    send_templated_email(
        template="invitation",
        to=[email],
        context={"invitation": invitation, "subscriber": subscriber, "inviter": invited_by},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the subscriber. Only the invited address can accept (2.4: the subscriber's own people)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise ValidationError(_("This invitation is no longer valid."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to another email address. Sign in as %(email)s.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        subscriber=invitation.subscriber, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        action=AuditAction.MEMBER_JOIN,
        subscriber=invitation.subscriber,
        actor=user,
        target=membership,
        data={"role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated:
        audit_record(
            action=AuditAction.MEMBER_INVITATION_REVOKE,
            subscriber=invitation.subscriber,
            actor=actor,
            target=invitation,
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Change a member's role; what the old role granted beyond the new one ends with it:
    a manager lowered to accountant or user keeps only plain-user rights in 1C (issue 18)."""
    if membership.role == MemberRole.OWNER or role == MemberRole.OWNER:
        raise ValidationError(_("The owner's role cannot be changed here."))
    # The subscriber row is what access_set locks: a grant racing this change waits for it.
    lock_subscribers([membership.subscriber_id])
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    ended = {}
    if not membership.can_manage and old_role in MANAGER_ROLES:
        # infobases makes the member's 1C users plain users (subscribers/signals.py).
        ended = send_merged(
            memberships_lowered,
            sender="subscribers",
            membership_ids=[membership.pk],
            to_role="user",
            actor=actor,
        )
    audit_record(
        action=AuditAction.MEMBER_ROLE_CHANGE,
        subscriber=membership.subscriber,
        actor=actor,
        target=membership,
        data={"from": old_role, "to": role, **{key: n for key, n in ended.items() if n}},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Removal ends everything the membership granted (issue 18): each 1C user of the member
    in the subscriber's infobases is removed through the driver, the licence terminations are
    recorded (2.2), the member's API tokens are revoked; then the membership goes."""
    if membership.role == MemberRole.OWNER:
        raise ValidationError(_("The owner cannot be removed."))
    # Lock the subscriber as access_set does: a grant racing the removal either commits first
    # (and its 1C user is removed here) or waits and then finds the member gone.
    lock_subscribers([membership.subscriber_id])
    membership = (
        Membership.objects.select_related("user", "subscriber").filter(pk=membership.pk).first()
    )
    if membership is None:
        return  # Removed already by someone else.
    # infobases removes the member's 1C users, api revokes their tokens (subscribers/signals.py).
    ended = send_merged(
        memberships_removing, sender="subscribers", membership_ids=[membership.pk], actor=actor
    )
    audit_record(
        action=AuditAction.MEMBER_REMOVE,
        subscriber=membership.subscriber,
        actor=actor,
        target=membership,
        data={"email": membership.user.email, "role": membership.role, **ended},
    )
    membership.delete()


@transaction.atomic
def user_password_changed(*, user: User, how: str, ip: str | None = None) -> int:
    """A password change, set or reset ends what the old password could have handed out: the
    person's API tokens are revoked (issue 18; GitHub does the same on a reset — sessions were
    already cut, tokens were not) and the account's own address is told. Returns how many
    tokens were revoked."""
    # api revokes the person's tokens (subscribers/signals.py).
    ended = send_merged(password_changed, sender="subscribers", user=user, how=how)
    revoked = ended.get("api_tokens", 0)
    audit_record(
        action=AuditAction.PASSWORD_CHANGE,
        actor=user,
        target=user,
        data={"how": how, "api_tokens": revoked},
        ip=ip,
    )
    context = {"email": user.email, "at": timezone.localtime(), "tokens": revoked}
    send_templated_email(template="account-password-changed", to=[user.email], context=context)
    return revoked


@transaction.atomic
def user_email_changed(*, user: User, old_email: str, new_email: str, ip: str | None = None):
    """The sign-in address changed: the old address is told (it is the one an intruder who
    took the account would not control), and the new one gets the same notice."""
    audit_record(
        action=AuditAction.EMAIL_CHANGE,
        actor=user,
        target=user,
        data={"from": old_email, "to": new_email},
        ip=ip,
    )
    context = {
        "old_email": old_email,
        "new_email": new_email,
        "at": timezone.localtime(),
        "support_email": settings.SUPPORT_EMAIL,
    }
    recipients = list(dict.fromkeys(address for address in (old_email, new_email) if address))
    send_templated_email(template="account-email-changed", to=recipients, context=context)


@transaction.atomic
def terms_publish(*, version_date, title: str, text: str, actor: User | None) -> TermsVersion:
    terms = TermsVersion.objects.create(version_date=version_date, title=title, text=text)
    audit_record(action=AuditAction.TERMS_PUBLISH, actor=actor, target=terms)
    transaction.on_commit(terms_forget_current)
    return terms


@transaction.atomic
def terms_publish_shipped() -> TermsVersion:
    """Publish the terms shipped with the portal unless that version is there (idempotent)."""
    version_date, title, text, published_at = shipped_version()
    terms, created = TermsVersion.objects.get_or_create(
        version_date=version_date,
        defaults={"title": title, "text": text, "published_at": published_at},
    )
    if created:
        audit_record(action=AuditAction.TERMS_PUBLISH, actor=None, target=terms)
        transaction.on_commit(terms_forget_current)
    return terms


@transaction.atomic
def terms_accept_at_signup(*, user: User, terms: TermsVersion) -> TermsAcceptance:
    """The box ticked at sign-up: an explicit acceptance of the version shown on the form."""
    now = timezone.now()
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        user=user, terms=terms, defaults={"first_acted_at": now, "path": "signup"}
    )
    if acceptance.accepted_at_signup is None:
        acceptance.accepted_at_signup = now
        acceptance.save(update_fields=["accepted_at_signup"])
    audit_record(action=AuditAction.TERMS_ACCEPT, actor=user, target=terms, data={"how": "signup"})
    return acceptance


def terms_record_use(*, user: User, terms: TermsVersion, path: str = "") -> TermsAcceptance:
    """The terms say use after publication is acceptance: record the first use, once."""
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        user=user, terms=terms, defaults={"first_acted_at": timezone.now(), "path": path[:255]}
    )
    return acceptance


def terms_dismiss_banner(*, user: User, terms: TermsVersion) -> None:
    acceptance = terms_record_use(user=user, terms=terms)
    if acceptance.banner_dismissed_at is None:
        acceptance.banner_dismissed_at = timezone.now()
        acceptance.save(update_fields=["banner_dismissed_at"])

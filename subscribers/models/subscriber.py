import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import validate_bin, validate_iin, validate_mobile_phone


class LegalForm(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ENTREPRENEUR = "entrepreneur", _("Individual entrepreneur")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")


class SubscriberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    PURGED = "purged", _("Data deleted")


class SuspensionReason(models.TextChoices):
    NON_PAYMENT = "non_payment", _("Non-payment (3.5)")
    MANUAL = "manual", _("By the operator")


class Subscriber(models.Model):
    """Абонент: a person, an entrepreneur or a company renting 1C applications (2.2)."""

    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    name = models.CharField(
        _("name"), max_length=255, blank=True, help_text=_("Entrepreneurs and legal entities.")
    )
    iin = models.CharField(
        _("ИИН"), max_length=12, blank=True, validators=[validate_iin], db_index=True
    )
    bin = models.CharField(_("БИН"), max_length=12, blank=True, validators=[validate_bin])
    main_activity = models.CharField(_("main activity"), max_length=255)
    person_full_name = models.CharField(
        _("full name"),
        max_length=255,
        help_text=_("The individual or entrepreneur, or the director of a legal entity."),
    )
    address = models.CharField(
        _("address"), max_length=500, help_text=_("Home address, or registered address.")
    )
    responsible_full_name = models.CharField(_("responsible person"), max_length=255)
    responsible_email = models.EmailField(_("responsible person's email"))
    responsible_phone = models.CharField(
        _("responsible person's mobile"), max_length=12, validators=[validate_mobile_phone]
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.ACTIVE,
    )
    suspension_reason = models.CharField(
        _("suspension reason"), max_length=20, choices=SuspensionReason.choices, blank=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            # 2.2: each legal form carries its own identification number and name.
            models.CheckConstraint(
                name="subscriber_legal_form_data",
                violation_error_message=_("The data does not match the legal form (2.2)."),
                condition=(
                    Q(legal_form=LegalForm.INDIVIDUAL, bin="") & ~Q(iin="")
                    | Q(legal_form=LegalForm.ENTREPRENEUR, bin="") & ~Q(iin="") & ~Q(name="")
                    | Q(legal_form=LegalForm.LEGAL_ENTITY, iin="") & ~Q(bin="") & ~Q(name="")
                ),
            ),
            models.CheckConstraint(
                name="subscriber_suspension_reason_only_when_suspended",
                condition=Q(status=SubscriberStatus.SUSPENDED, suspension_reason__gt="")
                | (~Q(status=SubscriberStatus.SUSPENDED) & Q(suspension_reason="")),
            ),
            # One registration per legal entity and per person in each legal form.
            models.UniqueConstraint(
                fields=["bin"],
                condition=~Q(bin=""),
                name="subscriber_unique_bin",
                violation_error_message=_("A subscriber with this БИН is already registered."),
            ),
            models.UniqueConstraint(
                fields=["legal_form", "iin"],
                condition=~Q(iin=""),
                name="subscriber_unique_iin",
                violation_error_message=_(
                    "A subscriber of this legal form with this ИИН is already registered."
                ),
            ),
        ]
        indexes = [
            # The periodic passes select subscribers by status (suspension, resume, purge).
            models.Index(fields=["status", "status_changed_at"], name="subscriber_status_idx"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.legal_form == LegalForm.INDIVIDUAL:
            return self.person_full_name
        return self.name

    @property
    def tax_number(self) -> str:
        return self.bin or self.iin

    @property
    def is_active(self) -> bool:
        return self.status == SubscriberStatus.ACTIVE


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    ACCOUNTANT = "accountant", _("Accountant")
    USER = "user", _("User")


class Membership(models.Model):
    """A person of the subscriber's own (2.4: only the subscriber's people get access)."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "user"], name="membership_unique_user"),
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=Q(role=MemberRole.OWNER),
                name="membership_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.subscriber} ({self.get_role_display()})"

    @property
    def can_manage(self) -> bool:
        """Owners and administrators manage members, infobases and access."""
        return self.role in (MemberRole.OWNER, MemberRole.ADMIN)

    @property
    def can_see_billing(self) -> bool:
        return self.role in (MemberRole.OWNER, MemberRole.ADMIN, MemberRole.ACCOUNTANT)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="invitation_not_owner", condition=~Q(role=MemberRole.OWNER)
            ),
            models.UniqueConstraint(
                fields=["subscriber", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.subscriber}"

    def get_absolute_url(self):
        return reverse("subscribers:invitation_accept", args=[self.token])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class SubscriberStateChange(models.Model):
    """Every change of a subscriber's state, with its time and cause (append-only)."""

    class Event(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        SUSPENDED = "suspended", _("Suspended")
        RESUMED = "resumed", _("Resumed")
        PURGE_SCHEDULED = "purge_scheduled", _("Data deletion scheduled")
        PURGE_CANCELLED = "purge_cancelled", _("Data deletion cancelled")
        PURGED = "purged", _("Data deleted")
        TERMINATION_REQUESTED = "termination_requested", _("Termination requested")
        TERMINATED = "terminated", _("Terminated")

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="state_changes",
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=SubscriberStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=SubscriberStatus.choices)
    cause = models.CharField(_("cause"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty when the portal acted by a rule."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["-at", "-id"]
        # The panel's and admin's history list: one subscriber, newest first.
        indexes = [models.Index(fields=["subscriber", "-at"], name="statechange_sub_at_idx")]

    def __str__(self):
        return f"{self.subscriber}: {self.get_event_display()}"

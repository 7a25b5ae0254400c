import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_bin, validate_iin, validate_mobile_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class PartnerFirm(models.Model):
    """A firm under contract with the operator for methodological and individual support (4.1)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    bin = models.CharField(_("БИН"), max_length=12, blank=True, validators=[validate_bin])
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner firm")
        verbose_name_plural = _("partner firms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: a subscriber's member or a staff member. Email is the login."""

    username = None
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    partner_firm = models.ForeignKey(
        PartnerFirm,
        verbose_name=_("partner firm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultants",
        help_text=_("Only for partner consultants."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.email


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


class TermsVersion(models.Model):
    """A published version of the service terms. Use after publication is acceptance."""

    version_date = models.DateField(_("version date"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("terms version")
        verbose_name_plural = _("terms versions")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.title} ({self.version_date:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("subscribers:terms_detail", args=[self.pk])


class TermsAcceptance(models.Model):
    """When a person first acted under a terms version (their acceptance), and the banner state."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="terms_acceptances",
    )
    terms = models.ForeignKey(
        TermsVersion, verbose_name=_("terms version"), on_delete=models.PROTECT
    )
    first_acted_at = models.DateTimeField(_("first acted at"))
    path = models.CharField(_("first action"), max_length=255, blank=True)
    banner_dismissed_at = models.DateTimeField(_("banner dismissed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        constraints = [
            models.UniqueConstraint(fields=["user", "terms"], name="terms_acceptance_once"),
        ]

    def __str__(self):
        return f"{self.user} — {self.terms}"


class AuditEntry(models.Model):
    """Who did what to which subscriber, when and why. Written only by subscribers.audit."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_is_staff = models.BooleanField(_("by staff"), default=False)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            # Admin's per-subscriber history, newest first.
            models.Index(fields=["subscriber", "-at"], name="audit_subscriber_at_idx"),
            # Admin's filter by action.
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.action}"

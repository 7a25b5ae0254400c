"""2.2–2.3: the operator's reports to the rights holder and the numbers it assigns."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .catalog import Solution


class LicenceEventKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    RENEWAL = "renewal", _("Renewal")
    TERMINATION = "termination", _("Termination")


class LicenceEvent(models.Model):
    """2.2: registration, renewal or termination of a user's temporary-use right."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="licence_events",
    )
    solution = models.ForeignKey(Solution, verbose_name=_("solution"), on_delete=models.PROTECT)
    kind = models.CharField(_("event"), max_length=20, choices=LicenceEventKind.choices)
    user_email = models.EmailField(_("user's email"))
    user_full_name = models.CharField(_("user's full name"), max_length=255)
    at = models.DateTimeField(_("at"), default=timezone.now)
    # The month a renewal covers (its first day): one renewal per user, product and month.
    period = models.DateField(_("period"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "solution", "user_email", "period"],
                condition=models.Q(kind="renewal"),
                name="licence_renewal_once_per_month",
            ),
        ]
        indexes = [
            # The report for a period.
            models.Index(fields=["at"], name="licence_event_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user_email} ({self.solution})"


class RegistrationNumber(models.Model):
    """2.3: the number the rights holder assigned to a licensed user of a rented product."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="registration_numbers",
    )
    solution = models.ForeignKey(Solution, verbose_name=_("solution"), on_delete=models.PROTECT)
    user_email = models.EmailField(_("user's email"))
    number = models.CharField(_("registration number"), max_length=64, unique=True)
    assigned_on = models.DateField(_("assigned on"))
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration number")
        verbose_name_plural = _("registration numbers")
        ordering = ["subscriber", "solution", "user_email"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "solution", "user_email"],
                name="registration_number_once_per_user",
            ),
        ]

    def __str__(self):
        return self.number

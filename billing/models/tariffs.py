from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber


class Tariff(models.Model):
    """A plan of the service (4.4: the support volume follows the fee). Prices are per month."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    monthly_fee = models.DecimalField(
        _("monthly fee, KZT"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    max_users = models.PositiveIntegerField(_("1C users"))
    max_infobases = models.PositiveIntegerField(_("infobases"))
    backup_retention_days = models.PositiveIntegerField(_("backup retention, days"))
    methodological_quota = models.PositiveIntegerField(_("methodological requests a month"))
    individual_quota = models.PositiveIntegerField(_("individual requests a month"))
    # A subscriber suspended for non-payment may restore its access itself for this many days.
    promised_payment_days = models.PositiveSmallIntegerField(_("promised payment, days"), default=3)
    is_public = models.BooleanField(_("offered to subscribers"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["sort_order", "monthly_fee"]
        constraints = [
            models.CheckConstraint(
                name="tariff_fee_not_negative", condition=models.Q(monthly_fee__gte=0)
            ),
        ]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """The subscriber's current tariff. One per subscriber; billing owns everything about it."""

    subscriber = models.OneToOneField(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="subscription",
    )
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # A downgrade takes effect from the next month (the monthly run applies it).
    pending_tariff = models.ForeignKey(
        Tariff,
        verbose_name=_("tariff from the next month"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pending_from = models.DateField(_("new tariff from"), null=True, blank=True)
    # The first day that is charged: the order date, or the day access was resumed.
    billable_from = models.DateField(_("charged from"), default=timezone.localdate)
    termination_requested_at = models.DateTimeField(
        _("termination requested at"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                name="subscription_pending_tariff_has_date",
                condition=models.Q(pending_tariff__isnull=True, pending_from__isnull=True)
                | models.Q(pending_tariff__isnull=False, pending_from__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.subscriber} — {self.tariff}"

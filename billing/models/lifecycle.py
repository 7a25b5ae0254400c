"""What suspension, purge and notices leave behind, and the staff's views of subscribers."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber


class PurgeRecord(models.Model):
    """3.6: what was deleted, when and by which rule. The ledger and invoices are kept."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="purge_records",
    )
    rule = models.CharField(_("rule"), max_length=255)
    deleted = models.JSONField(_("deleted"), default=dict)
    state_since = models.DateTimeField(_("suspended or terminated at"))
    purged_at = models.DateTimeField(_("deleted at"), default=timezone.now)

    class Meta:
        verbose_name = _("data deletion record")
        verbose_name_plural = _("data deletion records")
        ordering = ["-purged_at", "-id"]

    def __str__(self):
        return f"{self.subscriber} {self.purged_at:%d.%m.%Y}"


class NoticeKind(models.TextChoices):
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    INVOICE_REMINDER = "invoice_reminder", _("Payment reminder")
    INVOICE_OVERDUE = "invoice_overdue", _("Invoice overdue")
    SUSPENDED = "suspended", _("Access suspended")
    PURGE_WARNING = "purge_warning", _("Data deletion warning")
    PURGED = "purged", _("Data deleted")
    TERMINATED = "terminated", _("Service terminated")


class BillingNotice(models.Model):
    """One email the billing owes a subscriber; the unique key makes every notice go once."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    key = models.CharField(_("key"), max_length=60)
    context = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("billing notice")
        verbose_name_plural = _("billing notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "key"], name="billing_notice_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.subscriber}"


class Debtor(Subscriber):
    """Staff's list of subscribers with overdue invoices (admin only; no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")


class SuspendedSubscriber(Subscriber):
    """Staff's list of suspended subscribers with the days left to the purge."""

    class Meta:
        proxy = True
        verbose_name = _("suspended subscriber")
        verbose_name_plural = _("suspended subscribers")


class BillingAccount(Subscriber):
    """The personal account of a subscriber in the admin: ledger, statements, staff operations."""

    class Meta:
        proxy = True
        verbose_name = _("personal account")
        verbose_name_plural = _("personal accounts")

"""Bank statements the accountant imports, the lines waiting for a subscriber, promised payments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .ledger import MONEY, Invoice, Payment


class StatementFormat(models.TextChoices):
    ONEC = "1c", _("1C client-bank exchange")
    MT940 = "mt940", _("MT940")


class StatementStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    IMPORTED = "imported", _("Imported")


class BankStatement(models.Model):
    """One uploaded statement file: kept as text for the preview, then imported once."""

    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    content = models.TextField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.PREVIEW
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} {self.uploaded_at:%d.%m.%Y %H:%M}"


class LineStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a subscriber")
    CREDITED = "credited", _("Credited")
    DISMISSED = "dismissed", _("Dismissed")


class LineProblem(models.TextChoices):
    UNMATCHED = "unmatched", _("No subscriber found")
    AMBIGUOUS = "ambiguous", _("Several subscribers match")


class StatementLine(models.Model):
    """A credit to the operator's account that no subscriber could be matched to: it waits here
    until the accountant assigns a subscriber (then it is credited) or dismisses it."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="lines"
    )
    line_no = models.PositiveIntegerField(_("line in the file"))
    document_number = models.CharField(_("document No."), max_length=100)
    document_date = models.DateField(_("document date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    payer_name = models.CharField(_("payer"), max_length=255, blank=True)
    payer_tax_id = models.CharField(_("payer's БИН/ИИН"), max_length=12, blank=True)
    payer_account = models.CharField(_("payer's account"), max_length=34, blank=True)
    payer_key = models.CharField(_("payer key"), max_length=40)
    purpose = models.TextField(_("purpose of payment"), blank=True)
    received_on = models.DateField(_("received on"))
    problem = models.CharField(_("problem"), max_length=20, choices=LineProblem.choices)
    candidates = models.JSONField(_("candidate subscribers"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LineStatus.choices, default=LineStatus.WAITING
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unmatched statement line")
        verbose_name_plural = _("unmatched statement lines")
        ordering = ["status", "-document_date", "-id"]
        constraints = [
            # An overlapping statement brings the same line again: it waits once.
            models.UniqueConstraint(
                fields=["payer_key", "document_number", "document_date", "amount"],
                name="statement_line_unique_document",
            ),
            models.CheckConstraint(
                name="statement_line_resolution",
                condition=Q(status="waiting")
                | Q(status="credited", payment__isnull=False)
                | (Q(status="dismissed") & ~Q(dismiss_reason="")),
            ),
        ]
        # The accountant's queue: waiting lines first.
        indexes = [models.Index(fields=["status", "document_date"], name="statement_line_queue")]

    def __str__(self):
        return f"№ {self.document_number} {self.document_date:%d.%m.%Y} {self.amount}"


class PromisedPayment(models.Model):
    """A suspended subscriber restored its access for a few days before paying (once per overdue
    invoice). The purge clock of 3.6 keeps counting from `suspended_since`."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="promised_payments",
    )
    invoice = models.OneToOneField(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="promise"
    )
    debt = models.DecimalField(_("debt at the time"), **MONEY)
    suspended_since = models.DateTimeField(_("suspended since"))
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("promised payment")
        verbose_name_plural = _("promised payments")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="promised_payment_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
            ),
        ]
        # The suspension pass: subscribers whose promise is still running.
        indexes = [models.Index(fields=["subscriber", "ends_at"], name="promise_running_idx")]

    def __str__(self):
        return f"{self.subscriber} {self.starts_at:%d.%m.%Y}–{self.ends_at:%d.%m.%Y}"


class OrderStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class PaymentOrder(models.Model):
    """One online payment attempt: what the acquirer is asked to charge. Its notifications are
    checked against this amount and currency; the money is credited once per transaction id."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_orders",
    )
    provider = models.CharField(_("provider"), max_length=30)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.CREATED
    )
    provider_reference = models.CharField(_("provider's order id"), max_length=100, blank=True)
    pay_url = models.URLField(_("payment page"), max_length=500, blank=True)
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    failure = models.CharField(_("failure"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="payment_order_amount_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self):
        return _("Online payment No. %(number)s") % {"number": self.pk}

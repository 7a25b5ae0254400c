"""The personal account (лицевой счёт): invoices, the append-only ledger, payments, statements."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .tariffs import Tariff

MONEY = {"max_digits": 14, "decimal_places": 2}


class BillingCounter(models.Model):
    """A named counter whose row is locked to hand out gapless numbers and to serialize passes."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.name}={self.value}"


class InvoiceKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly fee")
    UPGRADE = "upgrade", _("Tariff upgrade")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")


class Invoice(models.Model):
    """An invoice for one charge. Its amounts never change; only the paid part grows."""

    number = models.PositiveBigIntegerField(_("number"), unique=True)
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices)
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.PROTECT, related_name="+"
    )
    # The tariff's monthly fee when charged: a later price change never rewrites it (9.3 base).
    monthly_fee = models.DecimalField(_("monthly fee"), **MONEY)
    # The first day of the calendar month charged (Almaty); one monthly charge per month.
    month = models.DateField(_("month"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    total = models.DecimalField(_("amount"), **MONEY)
    bonus_applied = models.DecimalField(_("paid with bonuses"), default=0, **MONEY)
    amount_due = models.DecimalField(_("to pay"), **MONEY)
    paid_amount = models.DecimalField(_("paid"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    due_date = models.DateField(_("due date"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-number"]
        constraints = [
            # One monthly charge per subscriber and month, even under a concurrent double run.
            models.UniqueConstraint(
                fields=["subscriber", "month"],
                condition=Q(kind="monthly"),
                name="invoice_one_monthly_per_period",
            ),
            models.CheckConstraint(
                name="invoice_amounts_consistent",
                condition=Q(total__gte=0, bonus_applied__gte=0, paid_amount__gte=0)
                & Q(amount_due=F("total") - F("bonus_applied"))
                & Q(paid_amount__lte=F("amount_due")),
            ),
            models.CheckConstraint(
                name="invoice_paid_status_matches_amount",
                condition=Q(status="paid", paid_amount=F("amount_due"))
                | (Q(status="open") & Q(paid_amount__lt=F("amount_due"))),
            ),
        ]
        indexes = [
            # "Has an overdue invoice" per subscriber (the passes), and a payment's open invoices
            # oldest first; only open invoices are indexed, so the index stays small.
            models.Index(
                fields=["subscriber", "due_date"],
                condition=Q(status="open"),
                name="invoice_open_due_idx",
            ),
            # The panel's and admin's invoice list of one subscriber.
            models.Index(fields=["subscriber", "-issued_at"], name="invoice_subscriber_idx"),
        ]

    def __str__(self):
        return _("Invoice No. %(number)s") % {"number": self.display_number}

    @property
    def display_number(self) -> str:
        return f"{self.number:06d}"

    @property
    def remaining(self):
        return self.amount_due - self.paid_amount


class PaymentMethod(models.TextChoices):
    PROVIDER = "provider", _("Online payment")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class Payment(models.Model):
    """Money received from the subscriber, credited once per identity (see the constraints).

    A provider payment is (provider, the provider's transaction id). A bank transfer is the
    payer (its БИН/ИИН, else the subscriber), the payer's document number, its date and its
    amount: payers number their own payment orders from 1, so the number alone is not unique."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    provider = models.CharField(_("provider"), max_length=30, blank=True)
    external_id = models.CharField(
        _("payment id"), max_length=100, help_text=_("The provider's id or the bank document No.")
    )
    # The payer's БИН/ИИН, or "subscriber:<id>" when the payer's tax number is not known.
    payer_key = models.CharField(_("payer"), max_length=40, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    payload = models.JSONField(_("provider data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_at", "-id"]
        constraints = [
            # A notification replayed by the provider must not credit twice.
            models.UniqueConstraint(
                fields=["provider", "external_id"],
                condition=Q(method="provider"),
                name="payment_unique_provider_transaction",
            ),
            # The same payment order in an overlapping statement (or typed in by hand) credits
            # once; two payers' orders No. 1 of the same day are two payments.
            models.UniqueConstraint(
                fields=["payer_key", "external_id", "document_date", "amount"],
                condition=Q(method="bank_transfer"),
                name="payment_unique_bank_document",
            ),
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payment_identity_complete",
                condition=Q(method="provider") & ~Q(provider="")
                | Q(method="bank_transfer") & ~Q(payer_key="") & Q(document_date__isnull=False),
            ),
        ]
        # The panel's payment list of one subscriber.
        indexes = [models.Index(fields=["subscriber", "-received_at"], name="payment_sub_idx")]

    def __str__(self):
        return f"{self.get_method_display()} {self.external_id}"


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    BONUS_SPEND = "bonus_spend", _("Paid with bonuses")
    PAYMENT = "payment", _("Payment")
    BONUS_CREDIT = "bonus_credit", _("Bonus credit")
    PAYOUT = "payout", _("Bonus payout in money")
    CORRECTION = "correction", _("Correction")


class LedgerEntryQuerySet(models.QuerySet):
    """The ledger is append-only: no update or delete path (the database refuses them too)."""

    def update(self, **kwargs):
        raise TypeError("Ledger entries are append-only; record a correction instead.")

    def delete(self):
        raise TypeError("Ledger entries are append-only; record a correction instead.")


class LedgerEntry(models.Model):
    """One movement on the personal account: money and bonuses are two balances (9.3)."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    money = models.DecimalField(_("money, KZT"), default=0, **MONEY)
    bonus = models.DecimalField(_("bonuses, KZT"), default=0, **MONEY)
    description = models.CharField(_("description"), max_length=255)
    reason = models.TextField(_("reason"), blank=True)
    source_key = models.CharField(_("source key"), max_length=120, blank=True)
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("personal account ledger")
        ordering = ["-at", "-id"]
        constraints = [
            # Idempotency: a monthly charge per period, a bonus credit per caller's key.
            models.UniqueConstraint(
                fields=["subscriber", "kind", "source_key"],
                condition=~Q(source_key=""),
                name="ledger_entry_unique_source",
            ),
            models.CheckConstraint(
                name="ledger_entry_amounts_match_kind",
                condition=Q(kind="charge", money__lt=0, bonus=0)
                | Q(kind="bonus_spend", bonus__lt=0, money=-F("bonus"))
                | Q(kind="payment", money__gt=0, bonus=0)
                | Q(kind="bonus_credit", bonus__gt=0, money=0)
                | Q(kind="payout", bonus__lt=0, money=0)
                | (
                    Q(kind="correction")
                    & ~Q(reason="")
                    & (Q(money=0) & ~Q(bonus=0) | ~Q(money=0) & Q(bonus=0))
                ),
            ),
        ]
        # Balances and the statement: one subscriber's entries in order.
        indexes = [
            models.Index(fields=["subscriber", "at"], name="ledger_subscriber_at_idx"),
            # The admin's ledger changelist in its order (-at, -id; read backwards).
            models.Index(fields=["at", "id"], name="ledger_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y} {self.get_kind_display()}"


class ReconciliationStatement(models.Model):
    """Акт сверки (9.4): a snapshot of the ledger up to one entry and the balances at that point."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="reconciliation_statements",
    )
    last_entry = models.ForeignKey(
        LedgerEntry,
        verbose_name=_("last entry included"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    money_balance = models.DecimalField(_("money balance"), **MONEY)
    bonus_balance = models.DecimalField(_("bonus balance"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("reconciliation statement")
        verbose_name_plural = _("reconciliation statements")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("Reconciliation statement No. %(number)s") % {"number": self.pk}

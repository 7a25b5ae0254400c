"""Compensation (9.1–9.5): claims filed through the ticket system, the operator's monthly
proposals, and the credits actually made to the personal account as bonuses."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RejectReason(models.TextChoices):
    """9.5: downtime that is not compensated, plus "no downtime by the operator's data" (9.2)."""

    FORCE_MAJEURE = (
        "force_majeure",
        _("Force majeure or other circumstances not the operator's fault (9.5)"),
    )
    SUBSCRIBER = "subscriber", _("Caused by the subscriber's actions or inaction (9.5)")
    THIRD_PARTY_SOFTWARE = (
        "third_party_software",
        _("Failure of third-party or subscriber software (9.5)"),
    )
    EXTERNAL_NETWORK = (
        "external_network",
        _("Network services outside the operator's control or DNS propagation (9.5)"),
    )
    PLANNED_WORKS = "planned_works", _("Planned works announced per 6.2 (9.5)")
    NO_DOWNTIME = "no_downtime", _("No downtime by the operator's data (9.2)")


class CreditSource(models.TextChoices):
    CLAIM = "claim", _("Subscriber's claim")
    PROPOSAL = "proposal", _("Operator's proposal")


def month_is_first_day():
    return Q(month__day=1)


class CompensationClaim(models.Model):
    """9.1: the subscriber's claim — a ticket of its own kind with the date and total downtime."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="compensation_claims",
    )
    # 9.1: the claim is filed through the ticket system; the ticket carries the conversation.
    ticket = models.OneToOneField(
        "support.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        related_name="compensation_claim",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    downtime_date = models.DateField(_("date of the downtime"))
    month = models.DateField(_("month"), help_text=_("The first day of the downtime's month."))
    claimed_downtime = models.DurationField(_("claimed total downtime"))
    description = models.TextField(_("description"), blank=True)
    # The operator's own data (9.2) at filing time, refreshed when staff review the claim.
    operator_downtime_on_date = models.DurationField(_("operator's data: downtime that day"))
    operator_downtime_in_month = models.DurationField(_("operator's data: downtime that month"))
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    approved_downtime = models.DurationField(_("approved downtime"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    reject_reason = models.CharField(
        _("rejection reason"), max_length=30, choices=RejectReason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")
        ordering = ["-created_at"]
        permissions = [("decide_compensationclaim", _("Can approve or reject compensation claims"))]
        constraints = [
            models.CheckConstraint(name="claim_month_first_day", condition=month_is_first_day()),
            models.CheckConstraint(
                name="claim_downtime_positive", condition=Q(claimed_downtime__gt=timedelta(0))
            ),
            models.CheckConstraint(
                name="claim_decision_consistent",
                condition=Q(status=ClaimStatus.PENDING, decided_at__isnull=True)
                | Q(status=ClaimStatus.APPROVED, approved_downtime__isnull=False, reject_reason="")
                | Q(status=ClaimStatus.REJECTED, reject_reason__gt=""),
            ),
            # Issue 18: twenty claims for one date in 0.4 s were twenty tickets. One open claim
            # per subscriber and date; a decided one can be followed by a new one.
            models.UniqueConstraint(
                fields=["subscriber", "downtime_date"],
                condition=Q(status=ClaimStatus.PENDING),
                name="claim_one_open_per_subscriber_date",
            ),
        ]
        indexes = [
            # The panel statement: one subscriber's claims, newest first.
            models.Index(fields=["subscriber", "-created_at"], name="claim_subscriber_idx"),
            # Admin queue of claims to review.
            models.Index(fields=["status", "created_at"], name="claim_status_idx"),
        ]

    def __str__(self):
        return _("Claim #%(pk)s of %(date)s") % {
            "pk": self.pk,
            "date": self.downtime_date.strftime("%d.%m.%Y"),
        }

    def get_absolute_url(self):
        return reverse("operations:claim_detail", args=[self.pk])


class CompensationProposal(models.Model):
    """Beyond the terms: the compensation due per subscriber for a month from the operator's data."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being computed")
        READY = "ready", _("Ready")

    month = models.DateField(_("month"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BUILDING
    )
    built_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("compensation proposal")
        verbose_name_plural = _("compensation proposals")
        ordering = ["-month"]
        permissions = [("credit_compensationproposal", _("Can credit proposed compensation"))]
        constraints = [
            models.CheckConstraint(name="proposal_month_first_day", condition=month_is_first_day())
        ]

    def __str__(self):
        return _("Proposal for %(month)s") % {"month": self.month.strftime("%m.%Y")}


class ProposalLine(models.Model):
    proposal = models.ForeignKey(
        CompensationProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.PROTECT, related_name="+"
    )
    downtime = models.DurationField(_("compensable downtime"))
    hours = models.PositiveIntegerField(_("full hours"))
    percent = models.PositiveSmallIntegerField(_("percent of the fee"))
    monthly_fee = models.DecimalField(_("month's fee"), max_digits=12, decimal_places=2)
    already_credited = models.DecimalField(
        _("already credited for the month"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    amount_due = models.DecimalField(_("amount due"), max_digits=12, decimal_places=2)
    incident_ids = models.JSONField(_("incidents"), default=list)
    # The operator's own figure as the build computed it; `downtime` is what will be credited,
    # the same unless the accountant adjusted the line before crediting (with a note if more).
    operator_downtime = models.DurationField(
        _("operator's figure"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adjusted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    adjusted_at = models.DateTimeField(_("adjusted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["proposal", "subscriber_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "subscriber"], name="proposal_line_once_per_subscriber"
            ),
            models.CheckConstraint(
                name="proposal_line_due_not_negative", condition=Q(amount_due__gte=0)
            ),
        ]

    def __str__(self):
        return str(self.subscriber)


class CompensationCredit(models.Model):
    """A compensation credited to the personal account as bonuses (9.3): once per claim, once per
    subscriber and month for the proposal — both guarded by constraints here and by the ledger's
    unique source key."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.PROTECT,
        related_name="compensation_credits",
    )
    month = models.DateField(_("downtime month"))
    source = models.CharField(_("source"), max_length=20, choices=CreditSource.choices)
    claim = models.OneToOneField(
        CompensationClaim,
        verbose_name=_("claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit",
    )
    # DO_NOTHING: a recomputed proposal deletes its uncredited lines in one statement; the
    # database's foreign key still refuses to delete a line that was credited.
    proposal_line = models.OneToOneField(
        ProposalLine,
        verbose_name=_("proposal line"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="credit",
    )
    downtime = models.DurationField(_("compensable downtime"))
    hours = models.PositiveIntegerField(_("full hours"))
    percent = models.PositiveSmallIntegerField(_("percent of the fee"))
    monthly_fee = models.DecimalField(_("month's fee"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    incident_ids = models.JSONField(_("incidents"), default=list)
    source_key = models.CharField(_("ledger source key"), max_length=100, unique=True)
    note = models.TextField(_("note"), blank=True)
    credited_at = models.DateTimeField(_("credited at"), default=timezone.now)
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("credited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("compensation credit")
        verbose_name_plural = _("compensation credits")
        ordering = ["-credited_at", "-id"]
        constraints = [
            models.CheckConstraint(name="credit_month_first_day", condition=month_is_first_day()),
            models.CheckConstraint(name="credit_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="credit_percent_max_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="credit_source_consistent",
                condition=Q(source=CreditSource.CLAIM, claim__isnull=False)
                | Q(source=CreditSource.PROPOSAL, claim__isnull=True),
            ),
            # 9.3: the operator's proposal credits a subscriber's month once.
            models.UniqueConstraint(
                fields=["subscriber", "month"],
                condition=Q(source=CreditSource.PROPOSAL),
                name="credit_proposal_once_per_month",
            ),
        ]
        indexes = [
            # The monthly report: credits made in a month, in order.
            models.Index(fields=["credited_at"], name="credit_credited_at_idx"),
            # Already credited for a subscriber's downtime month (the 100% cap across credits).
            models.Index(fields=["subscriber", "month"], name="credit_subscriber_month_idx"),
        ]

    def __str__(self):
        return f"{self.subscriber} — {self.amount} ₸ ({self.month:%m.%Y})"

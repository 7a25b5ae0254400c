"""The transactional outbox: every side effect a committed change owes is a row written in the
same transaction as the change, and the dispatcher sends it (see ARCHITECTURE.md, "Outbox")."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")  # due at available_at
    SENDING = "sending", _("Sending")  # claimed by a delivery task until lease_until
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # max_attempts used up; staff retry it in the admin


class OutboxMessage(models.Model):
    """One owed side effect: an email, a file deletion, a notification fan-out…"""

    kind = models.CharField(_("kind"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # The same owed effect enqueued twice (a pass run twice) is one row.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=8)
    available_at = models.DateTimeField(_("due at"), default=timezone.now)
    # A delivery task owns the row while its token matches and its lease runs.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    # Emails: the Message-ID every attempt carries, so a duplicate after a crash is dropped.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="outbox_unique_dedupe_key",
            )
        ]
        indexes = [
            # The dispatcher's claim: due pending rows in order.
            models.Index(
                fields=["available_at", "id"],
                condition=Q(state="pending"),
                name="outbox_due_idx",
            ),
            # The reaper: claimed rows whose lease ran out; the delivery task's own rows.
            models.Index(
                fields=["lease_until"], condition=Q(state="sending"), name="outbox_lease_idx"
            ),
            models.Index(
                fields=["claim_token"], condition=Q(state="sending"), name="outbox_token_idx"
            ),
            # The admin's and the gauges' view of what failed.
            models.Index(
                fields=["kind", "created_at"], condition=Q(state="failed"), name="outbox_failed_idx"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

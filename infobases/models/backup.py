"""Backups (1.2, 2.4), placement requests of local infobases (6.1) and scheduled updates (7)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .catalog import Release, Solution
from .infobase import Infobase, Operation


class BackupKind(models.TextChoices):
    DAILY = "daily", _("Daily")
    ON_DEMAND = "on_demand", _("On demand")
    BEFORE_UPDATE = "before_update", _("Before an update")
    BEFORE_RESTORE = "before_restore", _("Before a restore")
    FINAL = "final", _("Final, before deletion")


class BackupStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Backup(models.Model):
    """A .dt dump of an infobase kept in the operator's storage."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="backups"
    )
    infobase = models.ForeignKey(
        Infobase, verbose_name=_("infobase"), on_delete=models.CASCADE, related_name="backups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BackupKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=BackupStatus.choices, default=BackupStatus.QUEUED
    )
    # The night a daily backup belongs to: at most one daily backup per infobase and day.
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size, bytes"), default=0)
    # Fixed expiry (the final backup of a deleted infobase); others follow the tariff.
    keep_until = models.DateTimeField(_("kept until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["infobase", "scheduled_for"],
                condition=Q(kind="daily"),
                name="backup_one_daily_per_day",
            ),
            models.CheckConstraint(
                name="backup_done_has_file",
                condition=~Q(status="done") | (~Q(file="") & Q(completed_at__isnull=False)),
            ),
        ]
        indexes = [
            # The backups page and the "newer copy exists" test of the retention pass.
            models.Index(fields=["infobase", "-created_at"], name="backup_ib_created_idx"),
            # The backups page of a subscriber, newest first.
            models.Index(fields=["subscriber", "-created_at"], name="backup_sub_created_idx"),
        ]

    def __str__(self):
        return f"{self.infobase} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


class PlacementStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    PLACED = "placed", _("Placed")
    REJECTED = "rejected", _("Rejected")


class PlacementRequest(models.Model):
    """6.1: a local infobase uploaded as .dt that the operator places in the service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="placement_requests",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    solution = models.ForeignKey(
        Solution, verbose_name=_("solution"), on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(_("infobase name"), max_length=100)
    comment = models.TextField(_("comment"), blank=True)
    # The dump's own administrator (a customer's .dt brings its users, and 1C lets the portal's
    # service account in only through one of them): the password sealed (infobases/passwords.py)
    # and dropped once 1C has been entered with it.
    dt_admin_login = models.CharField(_("administrator of the dump"), max_length=255, blank=True)
    dt_admin_password_sealed = models.TextField(blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.CharField(_("stored file"), max_length=500)
    size_bytes = models.BigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.NEW
    )
    ticket_id = models.BigIntegerField(_("support ticket"), null=True, blank=True)
    infobase = models.ForeignKey(
        Infobase,
        verbose_name=_("placed as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("placement request")
        verbose_name_plural = _("placement requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.original_name})"


class UpdateStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ScheduledUpdate(models.Model):
    """7: the operator's update of a typical infobase to a release, in the night window (6.2)."""

    infobase = models.ForeignKey(
        Infobase, verbose_name=_("infobase"), on_delete=models.CASCADE, related_name="updates"
    )
    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="updates"
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(
        _("status"), max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.SCHEDULED
    )
    message = models.TextField(_("result"), blank=True)
    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled update")
        verbose_name_plural = _("scheduled updates")
        ordering = ["-scheduled_for"]
        constraints = [
            models.UniqueConstraint(fields=["infobase", "release"], name="update_once_per_release"),
        ]
        indexes = [
            # The night pass: scheduled updates that are due.
            models.Index(
                fields=["scheduled_for"],
                condition=Q(status="scheduled"),
                name="update_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.infobase} → {self.release.version}"

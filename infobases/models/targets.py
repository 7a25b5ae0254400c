"""Copies of backups to the customer's own S3-compatible bucket (issue 16, as Selectel offers).

A subscriber's owner or administrator adds a target (endpoint, bucket, region, keys, prefix);
the keys are sealed at rest (onebuh/sealed.py) and never shown back. Each backup that finishes
is copied to every enabled target by an outbox job (`infobases.backup_copy`), one BackupCopy row
per backup and target recording how it went; a failed copy never fails the backup.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .backup import Backup

MAX_TARGETS = 3


class BackupTarget(models.Model):
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="backup_targets",
    )
    endpoint_url = models.URLField(_("endpoint"), max_length=300)
    bucket = models.CharField(_("bucket"), max_length=63)
    region = models.CharField(_("region"), max_length=50, blank=True)
    prefix = models.CharField(_("prefix"), max_length=200, blank=True)
    # Sealed (Fernet); only the last characters of the access key are kept in clear, to tell
    # keys apart in the panel.
    access_key_sealed = models.TextField(_("access key (sealed)"))
    secret_key_sealed = models.TextField(_("secret key (sealed)"))
    access_key_hint = models.CharField(_("access key ends with"), max_length=8, blank=True)
    enabled = models.BooleanField(_("copy new backups"), default=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_ok = models.BooleanField(_("check passed"), null=True, blank=True)
    check_message = models.TextField(_("check result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("backup target")
        verbose_name_plural = _("backup targets")
        ordering = ["created_at", "id"]
        indexes = [
            # The copies owed when a backup finishes: the subscriber's enabled targets.
            models.Index(fields=["subscriber"], condition=Q(enabled=True), name="target_on_idx"),
        ]

    def __str__(self):
        return f"{self.bucket} ({self.endpoint_url})"


class CopyStatus(models.TextChoices):
    PENDING = "pending", _("Copying")
    DONE = "done", _("Copied")
    FAILED = "failed", _("Not copied")


class BackupCopy(models.Model):
    # DO_NOTHING in Django, ON DELETE CASCADE in PostgreSQL (migration 0008): the retention and
    # purge passes delete backups with one DELETE per chunk, never loading them to cascade
    # (they delete the copies' rows first themselves, which also covers SQLite).
    backup = models.ForeignKey(
        Backup,
        verbose_name=_("backup"),
        on_delete=models.DO_NOTHING,
        related_name="copies",
        db_constraint=True,
    )
    target = models.ForeignKey(
        BackupTarget, verbose_name=_("target"), on_delete=models.CASCADE, related_name="copies"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CopyStatus.choices, default=CopyStatus.PENDING
    )
    key = models.CharField(_("object key"), max_length=700, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What the customer reads (Russian, no internals); the raw error goes to the outbox row.
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    copied_at = models.DateTimeField(_("copied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("backup copy")
        verbose_name_plural = _("backup copies")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["backup", "target"], name="copy_once_per_target"),
        ]
        indexes = [
            # The gauges: copies pending or failed.
            models.Index(
                fields=["status", "created_at"],
                condition=~Q(status="done"),
                name="copy_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.backup} → {self.target}"

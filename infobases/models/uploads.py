"""Resumable uploads of local infobases (6.1): the browser sends a .dt in parts to storage."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from .backup import PlacementRequest
from .catalog import Solution


class UploadStatus(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    VERIFYING = "verifying", _("Checking the file")
    DONE = "done", _("Uploaded")
    FAILED = "failed", _("Failed")


class UploadSession(models.Model):
    """One .dt on its way in: parts go straight to storage (presigned S3 parts, or the portal's
    part endpoint on the file system); what is stored so far is asked of the storage itself, so
    a dropped connection or a reloaded page resumes where it stopped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    name = models.CharField(_("infobase name"), max_length=100)
    solution = models.ForeignKey(
        Solution, verbose_name=_("solution"), on_delete=models.PROTECT, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    # The dump's own administrator (a customer's .dt brings its users, and 1C lets the portal's
    # service account in only through one of them): the password sealed (infobases/passwords.py)
    # and dropped once 1C has been entered with it.
    dt_admin_login = models.CharField(_("administrator of the dump"), max_length=255, blank=True)
    dt_admin_password_sealed = models.TextField(blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.BigIntegerField(_("size, bytes"))
    part_bytes = models.BigIntegerField(_("part size, bytes"))
    file = models.CharField(_("stored file"), max_length=500)
    upload_id = models.CharField(_("storage upload id"), max_length=1024, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.UPLOADING
    )
    message = models.TextField(_("message"), blank=True)
    placement = models.ForeignKey(
        PlacementRequest,
        verbose_name=_("placement request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("infobase upload")
        verbose_name_plural = _("infobase uploads")
        ordering = ["-created_at"]
        indexes = [
            # The metrics' and the clean-up's "uploads still open, oldest first".
            models.Index(fields=["status", "created_at"], name="upload_status_created"),
        ]

    def __str__(self):
        return f"{self.name} ({self.original_name})"

    @property
    def part_count(self) -> int:
        return -(-self.size_bytes // self.part_bytes)

    def part_length(self, number: int) -> int:
        """The exact size of part `number` (all full but the last)."""
        if number < self.part_count:
            return self.part_bytes
        return self.size_bytes - self.part_bytes * (self.part_count - 1)

"""Monthly compensation reports for accountants, built by a Celery task with progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class CompensationReport(models.Model):
    month = models.DateField(_("month"), help_text=_("Credits made in this calendar month."))
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    # Generated files are private: served only through the permission-checked download view.
    file = models.FileField(_("file"), upload_to="compensation-reports/", blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("compensation report")
        verbose_name_plural = _("compensation reports")
        ordering = ["-created_at"]
        permissions = [("download_compensationreport", _("Can download compensation reports"))]
        constraints = [
            models.CheckConstraint(name="report_month_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(name="report_progress_percent", condition=Q(progress__lte=100)),
        ]

    def __str__(self):
        return f"{self.month:%m.%Y} {self.get_format_display()}"

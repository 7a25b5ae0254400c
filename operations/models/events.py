"""What happened to the service: technical works (6.2) and incidents (6.3) — the operator's own
downtime data (9.2) — and who follows the public status page."""

import secrets
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber


class Component(models.TextChoices):
    """The components of the service (section 1)."""

    CLOUD = "cloud", _("Cloud 1C infrastructure")
    PANEL = "panel", _("Control panel")
    APPS = "apps", _("1C applications")
    ITS = "its", _("1C:ITS information system")


class WorkKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNPLANNED = "unplanned", _("Unplanned")


class WorkEvent(StrEnum):
    """What a technical work's email tells its subscribers (6.2); the email templates compare
    `event` with these values. Carried in `operations.work_notify` outbox rows."""

    ANNOUNCED = "announced"
    RESCHEDULED = "rescheduled"
    REMINDER = "reminder"
    CANCELLED = "cancelled"


class IncidentEvent(StrEnum):
    """What an incident's status-page email tells (6.3); `operations.incident_notify` rows."""

    OPENED = "opened"
    RESOLVED = "resolved"


class IncidentLevel(models.IntegerChoices):
    """6.3: the criticality levels."""

    FULL = 1, _("Level 1: components fully inoperable")
    PARTIAL = 2, _("Level 2: components partially inoperable")
    DEGRADED = 3, _("Level 3: components degraded")


class Fault(models.TextChoices):
    """Whose fault the downtime is: the operator's, or one of the exclusions of 9.5."""

    OPERATOR = "operator", _("The operator")
    FORCE_MAJEURE = (
        "force_majeure",
        _("Force majeure or other circumstances not the operator's fault"),
    )
    SUBSCRIBER = "subscriber", _("The subscriber's actions or inaction")
    THIRD_PARTY_SOFTWARE = (
        "third_party_software",
        _("Failure of third-party or subscriber software"),
    )
    EXTERNAL_NETWORK = (
        "external_network",
        _("Network services outside the operator's control, DNS propagation"),
    )


# 6.3: incidents are reported through tickets of these categories (the support desk's codes).
INCIDENT_TICKET_CATEGORIES = ("incident_1", "incident_2", "incident_3")


def components_valid(values) -> bool:
    return isinstance(values, list) and bool(values) and set(values) <= set(Component.values)


class AffectingEvent(models.Model):
    """Something with a time span that touches some components for all or some subscribers."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("public description"), blank=True, help_text=_("Shown on the status page and in emails.")
    )
    # A list of Component values; JSON rather than an array so the embedded SQLite default runs.
    components = models.JSONField(_("affected components"), default=list)
    affects_all = models.BooleanField(
        _("affects all subscribers"),
        default=True,
        help_text=_("Otherwise only the subscribers selected below."),
    )
    subscribers = models.ManyToManyField(
        Subscriber,
        verbose_name=_("affected subscribers"),
        blank=True,
        related_name="%(class)s_set",
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Empty while it is still going on.")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def get_components_display(self) -> str:
        labels = dict(Component.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.components)

    def is_ongoing(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)


class TechnicalWork(AffectingEvent):
    """6.2: planned works (48 h notice, 01:00–06:00 GMT+5) and unplanned ones (on the fact)."""

    kind = models.CharField(_("kind"), max_length=20, choices=WorkKind.choices)
    # 6.2: a work may concern only some 1C applications: their users are affected.
    solutions = models.ManyToManyField(
        "infobases.Solution",
        verbose_name=_("affected solutions"),
        blank=True,
        related_name="technical_works",
        help_text=_("Subscribers with an infobase of these solutions are affected too."),
    )
    announced_at = models.DateTimeField(_("announced at"), default=timezone.now)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The SEQUENCE of the calendar event: each reschedule or cancellation supersedes the last.
    revision = models.PositiveIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("technical work")
        verbose_name_plural = _("technical works")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="work_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
            ),
            # 6.2: a planned work is announced with its end; only unplanned ones may be open.
            models.CheckConstraint(
                name="work_planned_has_end",
                condition=~Q(kind=WorkKind.PLANNED) | Q(ends_at__isnull=False),
            ),
        ]
        indexes = [
            # The reminder pass and the banner: works not cancelled, by start.
            models.Index(fields=["starts_at", "ends_at"], name="work_span_idx"),
        ]

    @property
    def is_planned(self) -> bool:
        return self.kind == WorkKind.PLANNED


class Incident(AffectingEvent):
    """6.3: a failure of components, with its level, cause and whose fault it was (9.5)."""

    level = models.PositiveSmallIntegerField(_("level"), choices=IncidentLevel.choices)
    cause = models.TextField(_("cause"), blank=True)
    fault = models.CharField(
        _("fault"), max_length=30, choices=Fault.choices, default=Fault.OPERATOR
    )
    tickets = models.ManyToManyField(
        "support.Ticket",
        verbose_name=_("support tickets"),
        blank=True,
        related_name="incidents",
        limit_choices_to={"category__in": INCIDENT_TICKET_CATEGORIES},
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="incident_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
            ),
        ]
        indexes = [
            # Downtime for a month and the status page's 90 days: incidents overlapping a window.
            models.Index(fields=["starts_at", "ends_at"], name="incident_span_idx"),
        ]

    @property
    def is_excluded(self) -> bool:
        return self.fault != Fault.OPERATOR


def _status_token() -> str:
    return secrets.token_urlsafe(32)


class StatusSubscription(models.Model):
    """Someone who follows the status page by email (confirmed by a link, one-click unsubscribe)."""

    email = models.EmailField(_("email"), unique=True)
    token = models.CharField(max_length=64, unique=True, default=_status_token, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status page subscription")
        verbose_name_plural = _("status page subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

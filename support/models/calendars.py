"""Business calendars of the service periods (6.1, 6.3, 6.4): weekly intervals in a time zone plus
dated exceptions (public holidays off, working days moved onto a weekend by decree)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Calendar(models.Model):
    """A service period, e.g. "weekdays 10:00–19:00 (GMT+5)" or "24/7"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Almaty")
    follows_public_holidays = models.BooleanField(
        _("follows public holidays"),
        default=True,
        help_text=_(
            "Public holidays are days off and transferred working days are working "
            "(the exceptions table). Off for round-the-clock calendars."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["code"]

    def __str__(self):
        return self.name


class CalendarInterval(models.Model):
    """Working hours of one weekday; an end of 00:00 means midnight at the end of the day."""

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="intervals"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(pgettext_lazy("working interval", "from"))
    ends = models.TimeField(
        pgettext_lazy("working interval", "until"), help_text=_("00:00 means the end of the day.")
    )

    class Meta:
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")
        ordering = ["calendar", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                name="calendar_interval_positive",
                condition=Q(ends__gt=models.F("starts")) | Q(ends=datetime.time(0, 0)),
                violation_error_message=_("The interval must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class ExceptionKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off (public holiday)")
    WORKDAY = "workday", _("Working day (transferred)")


class CalendarException(models.Model):
    """A dated exception shared by every calendar that follows public holidays.

    Seeded for 2024–2030 from the `holidays` library (KZ); staff add decree transfers it does not
    know yet, rename and remove rows. A transferred working day has the hours of a Monday.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions (holidays and transfers)")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.name}"

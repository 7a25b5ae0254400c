"""The public status page: each component's state now, current incidents and works, and the last
90 days of uptime per component computed from the incidents (4 queries in all)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .compensation import clip, merge_intervals, total
from .models import Component, Incident, IncidentLevel, TechnicalWork
from .selectors import DOWNTIME_LEVELS, overlapping

HISTORY_DAYS = 90

STATE_LABELS = {
    "operational": _("Operational"),
    "maintenance": _("Technical works"),
    "degraded": _("Degraded performance"),
    "partial": _("Partial outage"),
    "outage": _("Outage"),
}
_LEVEL_STATE = {
    IncidentLevel.FULL: "outage",
    IncidentLevel.PARTIAL: "partial",
    IncidentLevel.DEGRADED: "degraded",
}
_STATE_RANK = ["operational", "maintenance", "degraded", "partial", "outage"]


@dataclass
class Day:
    date: datetime
    uptime: float  # percent
    state: str  # "ok", "minor", "major", "none" (before the history starts)


@dataclass
class ComponentStatus:
    code: str
    label: str
    state: str
    uptime: float
    days: list[Day]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _worse(a: str, b: str) -> str:
    return a if _STATE_RANK.index(a) >= _STATE_RANK.index(b) else b


def status_overview(*, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first_day = today - timedelta(days=HISTORY_DAYS - 1)
    tz = timezone.get_default_timezone()
    history_start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz)
    window = (history_start, now)
    incidents = list(overlapping(Incident.objects.all(), window).order_by("-starts_at"))
    ongoing_incidents = [i for i in incidents if i.is_ongoing(now)]
    works = list(
        TechnicalWork.objects.filter(cancelled_at__isnull=True)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("starts_at")
    )
    ongoing_works = [w for w in works if w.is_ongoing(now)]
    upcoming_works = [w for w in works if w.starts_at > now]
    components = []
    for code, label in Component.choices:
        state = "operational"
        for work in ongoing_works:
            if code in work.components:
                state = _worse("maintenance", state)
        for incident in ongoing_incidents:
            if code in incident.components:
                state = _worse(_LEVEL_STATE[incident.level], state)
        down = merge_intervals(
            (i.starts_at, i.ends_at or now)
            for i in incidents
            if code in i.components and i.level in DOWNTIME_LEVELS
        )
        components.append(
            ComponentStatus(
                code=code,
                label=label,
                state=state,
                uptime=_uptime(down, window),
                days=_days(down, first_day, now, tz),
            )
        )
    recent = [i for i in incidents if not i.is_ongoing(now)][:20]
    worst = "operational"
    for component in components:
        worst = _worse(component.state, worst)
    return {
        "components": components,
        "overall": worst,
        "overall_label": STATE_LABELS[worst],
        "ongoing_incidents": ongoing_incidents,
        "ongoing_works": ongoing_works,
        "upcoming_works": upcoming_works,
        "recent_incidents": recent,
        "history_days": HISTORY_DAYS,
        "now": now,
    }


def _uptime(down, window) -> float:
    span = window[1] - window[0]
    if span <= timedelta(0):
        return 100.0
    return round(100 * (1 - total(clip(down, window)) / span), 3)


def _days(down, first_day, now, tz) -> list[Day]:
    days = []
    for offset in range(HISTORY_DAYS):
        day = first_day + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        end = min(start + timedelta(days=1), now)
        uptime = _uptime(down, (start, end))
        state = "ok" if uptime >= 100 else ("minor" if uptime >= 99 else "major")
        days.append(Day(date=start, uptime=uptime, state=state))
    return days

"""Reads that need thought: the operator's downtime data per subscriber and month (9.2), set-based.

A month's data is loaded with a fixed number of queries whatever the number of subscribers:
incidents and works overlapping the month, their subscriber selections, and the subscribers'
states. Subscribers touched only by events that affect everyone share one computation.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from onebuh.dates import Interval, month_bounds
from subscribers.models import Subscriber, SubscriberStateChange, SubscriberStatus

from .compensation import (
    clip,
    compensable_downtime,
    downtime_in_window,
    merge_intervals,
    subtract_intervals,
    total,
)
from .models import Fault, Incident, IncidentLevel, TechnicalWork, WorkKind

# 9.1 speaks of the service being unavailable: full (level 1) and partial (level 2)
# inoperability are downtime; level 3 is reduced performance with the service still available.
DOWNTIME_LEVELS = (IncidentLevel.FULL, IncidentLevel.PARTIAL)


def overlapping(queryset, window: Interval):
    start, end = window
    return queryset.filter(starts_at__lt=end).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))


@dataclass
class _Scope:
    counted: list[Interval] = field(default_factory=list)
    excluded: list[Interval] = field(default_factory=list)
    incident_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SubscriberDowntime:
    subscriber_id: int
    downtime: timedelta
    incident_ids: tuple[int, ...]


@dataclass
class MonthDowntimeData:
    """Everything that decides the month's compensable downtime, loaded in a few queries."""

    window: Interval
    everyone: _Scope
    per_subscriber: dict[int, _Scope]
    # Time each subscriber was not active (suspended for non-payment, 3.5; terminated, purged)
    # or did not exist yet: it is not downtime.
    inactive: dict[int, list[Interval]]
    _shared: tuple | None = None

    def intervals_for(self, subscriber_id: int) -> tuple[list[Interval], list[Interval]]:
        own = self.per_subscriber.get(subscriber_id, _Scope())
        counted = self.everyone.counted + own.counted
        excluded = self.everyone.excluded + own.excluded + self.inactive.get(subscriber_id, [])
        return counted, excluded

    def incident_ids_for(self, subscriber_id: int) -> tuple[int, ...]:
        own = self.per_subscriber.get(subscriber_id, _Scope())
        return tuple(sorted(set(self.everyone.incident_ids + own.incident_ids)))

    def downtime_for(self, subscriber_id: int, window: Interval | None = None) -> timedelta:
        if window is not None and window != self.window:
            counted, excluded = self.intervals_for(subscriber_id)
            return downtime_in_window(counted=counted, excluded=excluded, window=window)
        # The month's window: the shared intervals are clipped and merged once for everyone.
        if self._shared is None:
            self._shared = (
                merge_intervals(clip(self.everyone.counted, self.window)),
                merge_intervals(clip(self.everyone.excluded, self.window)),
            )
        shared_counted, shared_excluded = self._shared
        own = self.per_subscriber.get(subscriber_id, _Scope())
        inactive = self.inactive.get(subscriber_id, [])
        counted = shared_counted
        if own.counted:
            counted = merge_intervals(shared_counted + clip(own.counted, self.window))
        excluded = shared_excluded
        if own.excluded or inactive:
            excluded = merge_intervals(shared_excluded + clip(own.excluded + inactive, self.window))
        return total(subtract_intervals(counted, excluded))


def _closed(start: datetime, end: datetime | None, now: datetime) -> Interval:
    return (start, end if end is not None else max(now, start))


def month_downtime_data(*, month: date, subscriber_ids=None) -> MonthDowntimeData:
    """Load the month's incidents, works and subscriber states (5 queries)."""
    now = timezone.now()
    window = month_bounds(month)
    window = (window[0], max(window[0], min(window[1], now)))
    everyone, per_subscriber = _Scope(), {}

    def scope(event, links) -> list[_Scope]:
        if event["affects_all"]:
            return [everyone]
        return [per_subscriber.setdefault(sid, _Scope()) for sid in links.get(event["id"], ())]

    incidents = list(
        overlapping(Incident.objects.filter(level__in=DOWNTIME_LEVELS), window).values(
            "id", "starts_at", "ends_at", "fault", "affects_all"
        )
    )
    works = list(
        overlapping(TechnicalWork.objects.filter(cancelled_at__isnull=True), window).values(
            "id", "kind", "starts_at", "ends_at", "affects_all"
        )
    )
    incident_links = _links(Incident, [i["id"] for i in incidents if not i["affects_all"]])
    work_links = work_subscriber_links([w["id"] for w in works if not w["affects_all"]])
    for incident in incidents:
        interval = _closed(incident["starts_at"], incident["ends_at"], now)
        for target in scope(incident, incident_links):
            if incident["fault"] == Fault.OPERATOR:
                target.counted.append(interval)
                target.incident_ids.append(incident["id"])
            else:
                target.excluded.append(interval)  # 9.5: not the operator's fault.
    for work in works:
        interval = _closed(work["starts_at"], work["ends_at"], now)
        for target in scope(work, work_links):
            if work["kind"] == WorkKind.PLANNED:
                target.excluded.append(interval)  # 9.5: planned works per 6.2.
            else:
                target.counted.append(interval)  # Emergency works fix the operator's failures.
    return MonthDowntimeData(
        window=window,
        everyone=everyone,
        per_subscriber=per_subscriber,
        inactive=_inactive_intervals(window, subscriber_ids),
    )


def _links(model, event_ids: list[int]) -> dict[int, list[int]]:
    if not event_ids:
        return {}
    through = model.subscribers.through
    column = f"{model._meta.model_name}_id"
    links: dict[int, list[int]] = {}
    for event_id, subscriber_id in through.objects.filter(
        **{f"{column}__in": event_ids}
    ).values_list(column, "subscriber_id"):
        links.setdefault(event_id, []).append(subscriber_id)
    return links


def work_subscriber_links(work_ids: list[int]) -> dict[int, list[int]]:
    """Each work's affected subscribers: the selected ones and the users of its solutions."""
    links = _links(TechnicalWork, work_ids)
    if not work_ids:
        return links
    # The infobases app offers no hook for "who uses these solutions": one query over its
    # relation from the works' side, live infobases only.
    through = TechnicalWork.solutions.through
    rows = through.objects.filter(
        technicalwork_id__in=work_ids,
        solution__infobases__deleted_at__isnull=True,
    ).values_list("technicalwork_id", "solution__infobases__subscriber_id")
    found = {work_id: set(ids) for work_id, ids in links.items()}
    for work_id, subscriber_id in rows.distinct():
        if subscriber_id is not None:
            found.setdefault(work_id, set()).add(subscriber_id)
    return {work_id: sorted(ids) for work_id, ids in found.items()}


def _inactive_intervals(window: Interval, subscriber_ids) -> dict[int, list[Interval]]:
    start, end = window
    inactive: dict[int, list[Interval]] = {}
    # The state at the start of the window: the last recorded change before it.
    status_before = (
        SubscriberStateChange.objects.filter(subscriber=OuterRef("pk"), at__lt=start)
        .order_by("-at", "-id")
        .values("to_status")[:1]
    )
    subscribers = Subscriber.objects.annotate(status_at_start=Subquery(status_before)).filter(
        Q(status_at_start__in=_NOT_ACTIVE) | Q(created_at__gt=start)
    )
    if subscriber_ids is not None:
        subscribers = subscribers.filter(pk__in=subscriber_ids)
    state_at: dict[int, tuple[datetime, bool]] = {}
    for pk, status_at_start, created_at in subscribers.values_list(
        "pk", "status_at_start", "created_at"
    ):
        if created_at > start:
            # Before registration there was no service to be down.
            inactive.setdefault(pk, []).append((start, min(created_at, end)))
        if status_at_start in _NOT_ACTIVE:
            state_at[pk] = (start, False)
    changes = SubscriberStateChange.objects.filter(at__gte=start, at__lt=end)
    if subscriber_ids is not None:
        changes = changes.filter(subscriber_id__in=subscriber_ids)
    for pk, to_status, at in changes.order_by("subscriber_id", "at", "id").values_list(
        "subscriber_id", "to_status", "at"
    ):
        since, active = state_at.get(pk, (start, True))
        is_active = to_status == SubscriberStatus.ACTIVE
        if not active and is_active:
            inactive.setdefault(pk, []).append((since, at))
        if active != is_active:
            state_at[pk] = (at, is_active)
    for pk, (since, active) in state_at.items():
        if not active:
            inactive.setdefault(pk, []).append((since, end))
    return inactive


_NOT_ACTIVE = (SubscriberStatus.SUSPENDED, SubscriberStatus.TERMINATED, SubscriberStatus.PURGED)


def downtime_intervals_for(*, subscriber_id: int, month: date):
    """(counted, excluded) intervals of one subscriber's month; see operations.compensation."""
    return month_downtime_data(month=month, subscriber_ids=[subscriber_id]).intervals_for(
        subscriber_id
    )


def subscriber_month_downtime(*, subscriber, month: date) -> timedelta:
    """The subscriber's compensable downtime in a month from the operator's own records (9.2)."""
    counted, excluded = downtime_intervals_for(subscriber_id=subscriber.pk, month=month)
    return compensable_downtime(counted=counted, excluded=excluded, month=month)


def affected_subscriber_ids(data: MonthDowntimeData) -> set[int] | None:
    """Who may have compensable downtime this month: None means everyone."""
    if data.everyone.counted:
        return None
    return {sid for sid, scope in data.per_subscriber.items() if scope.counted}


def downtime_by_subscriber(*, month: date) -> list[SubscriberDowntime]:
    """Every subscriber's compensable downtime in the month, for the monthly proposal."""
    data = month_downtime_data(month=month)
    affected = affected_subscriber_ids(data)
    if affected is None:
        end = data.window[1]
        affected = set(Subscriber.objects.filter(created_at__lt=end).values_list("pk", flat=True))
    shared = None
    result = []
    for sid in sorted(affected):
        if sid in data.per_subscriber or sid in data.inactive:
            downtime = data.downtime_for(sid)
        else:
            if shared is None:
                shared = data.downtime_for(sid)
            downtime = shared
        if downtime > timedelta(0):
            result.append(SubscriberDowntime(sid, downtime, data.incident_ids_for(sid)))
    return result


# The ticket page's customer context shows incidents still open or ended this recently.
RECENT_INCIDENT_DAYS = 30


def incidents_affecting(*, subscriber_id: int, limit: int = 5) -> list[Incident]:
    """Open incidents and those ended in the last 30 days that touch this subscriber (every
    subscriber, or it among the selected), the newest first. One query."""
    now = timezone.now()
    selected = Incident.subscribers.through.objects.filter(subscriber_id=subscriber_id)
    return list(
        Incident.objects.filter(
            Q(affects_all=True) | Q(pk__in=selected.values("incident_id")),
            Q(ends_at__isnull=True) | Q(ends_at__gte=now - timedelta(days=RECENT_INCIDENT_DAYS)),
            starts_at__lte=now,
        ).order_by("-starts_at", "-pk")[:limit]
    )

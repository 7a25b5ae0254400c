"""Technical works (6.2): announce, reschedule, cancel, finish, remind."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onebuh.dates import within_one_works_window
from outbox.services import outbox_enqueue, outbox_enqueue_many
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from ..banner import works_banner_forget
from ..models import TechnicalWork, WorkEvent, WorkKind, components_valid

# 6.2: planned works are announced at least 48 hours ahead and run 01:00–06:00 GMT+5 (the
# window is onebuh.dates.works_window; Almaty time is GMT+5, onebuh.checks).
PLANNED_NOTICE = timedelta(hours=48)
# The reminder goes out the day before the start (the announcement itself came ≥ 48 h ahead).
REMINDER_LEAD = timedelta(hours=24)


def work_schedule_errors(
    *, kind: str, starts_at: datetime | None, ends_at: datetime | None, announced_at: datetime
) -> list[str]:
    """The 6.2 rules a work's times break, as messages for staff; empty when it may go ahead."""
    if starts_at is None:
        return [_("Give the start of the works.")]
    errors = []
    if ends_at is not None and ends_at <= starts_at:
        errors.append(_("The end of the works must be after their start."))
    if kind != WorkKind.PLANNED:
        return errors  # 6.2: unplanned works are announced on the fact, at any time of day.
    if ends_at is None:
        errors.append(_("A planned work needs an end time."))
    if starts_at - announced_at < PLANNED_NOTICE:
        errors.append(
            _(
                "Planned works must be announced at least 48 hours before they start (6.2): "
                "the earliest start now is %(earliest)s GMT+5."
            )
            % {
                "earliest": timezone.localtime(announced_at + PLANNED_NOTICE).strftime(
                    "%d.%m.%Y %H:%M"
                )
            }
        )
    if ends_at is not None and not within_one_works_window(starts_at, ends_at):
        errors.append(
            _(
                "Planned works run only between 01:00 and 06:00 GMT+5, the hours of least load "
                "(6.2): start and end must lie within one night's window."
            )
        )
    return errors


def _check(work: TechnicalWork, *, announced_at: datetime) -> None:
    errors = work_schedule_errors(
        kind=work.kind, starts_at=work.starts_at, ends_at=work.ends_at, announced_at=announced_at
    )
    if not components_valid(work.components):
        errors.append(_("Choose at least one affected component."))
    if errors:
        raise ValidationError(errors)


def _notify(work: TechnicalWork, event: WorkEvent) -> None:
    """Owed in the work's own transaction; the dispatcher writes one email row per recipient."""
    outbox_enqueue(kind="operations.work_notify", payload={"work_id": work.pk, "event": event})


@transaction.atomic
def technical_work_announce(
    *,
    work: TechnicalWork,
    subscribers: Iterable[Subscriber] = (),
    solutions: Iterable = (),
    actor=None,
) -> TechnicalWork:
    """Record and announce a work; affected subscribers get an email with an .ics file."""
    now = timezone.now()
    _check(work, announced_at=now)
    work.announced_at = now
    work.created_by = actor if getattr(actor, "is_authenticated", False) else None
    work.save()
    work.subscribers.set(() if work.affects_all else subscribers)
    work.solutions.set(() if work.affects_all else solutions)
    audit_record(
        action=AuditAction.WORK_ANNOUNCE,
        actor=actor,
        target=work,
        data={"kind": work.kind, "starts_at": work.starts_at.isoformat()},
    )
    _notify(work, WorkEvent.ANNOUNCED)
    return work


@transaction.atomic
def technical_work_update(
    *,
    work: TechnicalWork,
    subscribers: Iterable[Subscriber] = (),
    solutions: Iterable = (),
    actor=None,
) -> TechnicalWork:
    """Save staff's changes. A new time is a new announcement: the 48-hour rule counts from now."""
    current = TechnicalWork.objects.select_for_update().get(pk=work.pk)
    if current.cancelled_at is not None:
        raise ValidationError(_("A cancelled work cannot be changed."))
    rescheduled = (current.starts_at, current.ends_at) != (work.starts_at, work.ends_at)
    now = timezone.now()
    if rescheduled and current.starts_at > now:
        _check(work, announced_at=now)
        work.announced_at = now
        work.reminder_sent_at = None
        work.revision = current.revision + 1
    elif rescheduled and work.ends_at is not None and work.ends_at <= work.starts_at:
        raise ValidationError(_("The end of the works must be after their start."))
    work.save(
        update_fields=[
            "title",
            "description",
            "components",
            "affects_all",
            "starts_at",
            "ends_at",
            "announced_at",
            "reminder_sent_at",
            "revision",
        ]
    )
    work.subscribers.set(() if work.affects_all else subscribers)
    work.solutions.set(() if work.affects_all else solutions)
    audit_record(
        action=AuditAction.WORK_UPDATE,
        actor=actor,
        target=work,
        data={"rescheduled": rescheduled, "starts_at": work.starts_at.isoformat()},
    )
    if rescheduled and work.starts_at > now:
        _notify(work, WorkEvent.RESCHEDULED)
    return work


@transaction.atomic
def technical_work_cancel(*, work: TechnicalWork, actor=None) -> bool:
    """Cancel a work that has not started; its time stops counting anywhere."""
    now = timezone.now()
    # Conditional UPDATE: a cancel racing the reminder pass or a second cancel acts once.
    updated = TechnicalWork.objects.filter(
        pk=work.pk, cancelled_at__isnull=True, starts_at__gt=now
    ).update(cancelled_at=now, revision=work.revision + 1)
    if not updated:
        return False
    works_banner_forget()  # an UPDATE sends no post_save: the cached banners must go by hand
    work.refresh_from_db()
    audit_record(action=AuditAction.WORK_CANCEL, actor=actor, target=work)
    _notify(work, WorkEvent.CANCELLED)
    return True


@transaction.atomic
def technical_work_finish(*, work: TechnicalWork, ends_at: datetime, actor=None) -> TechnicalWork:
    """Close an unplanned work that was open (announced on the fact, 6.2)."""
    work = TechnicalWork.objects.select_for_update().get(pk=work.pk)
    if ends_at <= work.starts_at:
        raise ValidationError(_("The end of the works must be after their start."))
    work.ends_at = ends_at
    work.save(update_fields=["ends_at"])
    audit_record(action=AuditAction.WORK_FINISH, actor=actor, target=work)
    return work


def works_send_reminders(*, now: datetime | None = None) -> int:
    """Send the reminder of each work starting within a day, once (safe to run concurrently)."""
    now = now or timezone.now()
    due = TechnicalWork.objects.filter(
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_LEAD,
        # A work announced within a day of its start (unplanned ones) needs no second email.
        announced_at__lt=F("starts_at") - REMINDER_LEAD,
    )
    with transaction.atomic():
        # Claim the rows first: two beat runs racing each other remind each work once.
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
        TechnicalWork.objects.filter(pk__in=ids).update(reminder_sent_at=now)
        outbox_enqueue_many(
            {
                "kind": "operations.work_notify",
                "payload": {"work_id": pk, "event": WorkEvent.REMINDER},
            }
            for pk in ids
        )
    return len(ids)

"""The subscriber state machine: which state may follow which, and the one way to write it.

`TRANSITIONS` is the table (event, from, to, the suspension reasons it works with);
`subscribers_transition` is the only code that writes `Subscriber.status`: one conditional UPDATE
for any number of subscribers, one `SubscriberStateChange` row and one audit row per subscriber
(`subscriber.<event>`), whoever moves them — a billing pass, staff in the admin or the subscriber.
`subscribers.services.subscriber_change_state` is the same for one subscriber (it takes the row
lock first). A "note" keeps the state and only records an event on the history (the purge
scheduled or cancelled, a termination asked for): it never moves `status_changed_at`, the clock
of the 30-day purge (3.6).

The caller holds the rows locked (`subscribers.locks`); a row not in the expected state then
means a bug or a writer that skipped the lock, and the whole change is refused.
`tests/subscribers/test_states.py` fails when code writes the status anywhere else.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record_many
from .audit_actions import AuditAction
from .models import Subscriber, SubscriberStateChange, SubscriberStatus, SuspensionReason

Event = SubscriberStateChange.Event
S = SubscriberStatus
R = SuspensionReason


@dataclass(frozen=True)
class Transition:
    event: str
    from_status: str
    to_status: str
    # Moving to SUSPENDED: the reasons it may be suspended for. Leaving SUSPENDED for another
    # state: the reasons of the suspensions it may end (the purge ends only a non-payment one).
    # Empty: any.
    reasons: tuple[str, ...] = ()

    @property
    def is_note(self) -> bool:
        return self.event != Event.SUSPENDED and self.from_status == self.to_status


TRANSITIONS: tuple[Transition, ...] = (
    # A new subscriber is active from its registration (2.2).
    Transition(Event.REGISTERED, S.ACTIVE, S.ACTIVE),
    # 3.5: an unpaid invoice suspends (the billing pass); staff suspend with a reason.
    Transition(Event.SUSPENDED, S.ACTIVE, S.SUSPENDED, (R.NON_PAYMENT, R.MANUAL)),
    # Staff take over a non-payment suspension: only a member of staff lifts it then.
    Transition(Event.SUSPENDED, S.SUSPENDED, S.SUSPENDED, (R.MANUAL,)),
    # A payment or a promised payment ends a non-payment suspension, staff their own.
    Transition(Event.RESUMED, S.SUSPENDED, S.ACTIVE, (R.NON_PAYMENT, R.MANUAL)),
    # 3.6 / 9.4: the purge date is announced or withdrawn (notes).
    Transition(Event.PURGE_SCHEDULED, S.SUSPENDED, S.SUSPENDED),
    Transition(Event.PURGE_SCHEDULED, S.TERMINATED, S.TERMINATED),
    Transition(Event.PURGE_CANCELLED, S.SUSPENDED, S.SUSPENDED),
    # 9.4: the subscriber asks to terminate (a note), staff terminate after a reconciliation.
    Transition(Event.TERMINATION_REQUESTED, S.ACTIVE, S.ACTIVE),
    Transition(Event.TERMINATION_REQUESTED, S.SUSPENDED, S.SUSPENDED),
    Transition(Event.TERMINATED, S.ACTIVE, S.TERMINATED),
    Transition(Event.TERMINATED, S.SUSPENDED, S.TERMINATED),
    # 3.6: 30 days without payment, or after termination, the data is deleted.
    Transition(Event.PURGED, S.SUSPENDED, S.PURGED, (R.NON_PAYMENT,)),
    Transition(Event.PURGED, S.TERMINATED, S.PURGED),
)
_BY_KEY = {(t.event, t.from_status, t.to_status): t for t in TRANSITIONS}


class IllegalTransition(ValidationError):
    pass


def transition_for(*, event: str, from_status: str, to_status: str) -> Transition:
    """The table's row for this move, or IllegalTransition (a Russian message for staff)."""
    transition = _BY_KEY.get((event, from_status, to_status))
    if transition is None:
        raise IllegalTransition(
            _("A subscriber cannot go from «%(from)s» to «%(to)s» by «%(event)s».")
            % {
                "from": S(from_status).label,
                "to": S(to_status).label,
                "event": Event(event).label,
            }
        )
    return transition


def subscribers_transition(
    *,
    subscriber_ids: Iterable[int],
    event: str,
    from_status: str,
    to_status: str,
    cause: str,
    actor=None,
    suspension_reason: str = "",
    at: datetime.datetime | None = None,
) -> list[int]:
    """Move the subscribers (all in `from_status`, rows locked by the caller) by `event`.

    One conditional UPDATE (status, suspension reason, `status_changed_at`; none for a note),
    one INSERT of state rows and one of audit rows, whatever the number of subscribers. Refuses
    a move the table does not allow, a suspension without an allowed reason, and — the UPDATE
    counting fewer rows than given — a subscriber that was not in `from_status`.
    """
    ids = sorted(set(subscriber_ids))
    transition = transition_for(event=event, from_status=from_status, to_status=to_status)
    if not ids:
        return []
    at = at or timezone.now()
    suspends = to_status == S.SUSPENDED and not transition.is_note
    if suspends and suspension_reason not in transition.reasons:
        raise IllegalTransition(_("A suspension needs its reason (3.5 or the operator's)."))
    if not transition.is_note:
        rows = Subscriber.objects.filter(pk__in=ids, status=from_status)
        if from_status == S.SUSPENDED and to_status != S.SUSPENDED and transition.reasons:
            rows = rows.filter(suspension_reason__in=transition.reasons)
        moved = rows.update(
            status=to_status,
            suspension_reason=suspension_reason if to_status == S.SUSPENDED else "",
            status_changed_at=at,
        )
        if moved != len(ids):
            raise IllegalTransition(
                _("The subscriber's state has changed meanwhile: nothing was done.")
            )
    SubscriberStateChange.objects.bulk_create(
        [
            SubscriberStateChange(
                subscriber_id=pk,
                event=event,
                from_status=from_status,
                to_status=to_status,
                cause=cause,
                actor=actor,
                at=at,
            )
            for pk in ids
        ],
        batch_size=2000,
    )
    audit_record_many(
        action=AuditAction(f"subscriber.{event}"), subscriber_ids=ids, actor=actor, reason=cause
    )
    return ids

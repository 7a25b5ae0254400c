"""One subscriber state machine (subscribers/states.py): the table, the one write path."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

from subscribers.models import (
    AuditEntry,
    Subscriber,
    SubscriberStateChange,
    SubscriberStatus,
    SuspensionReason,
)
from subscribers.services import subscriber_change_state
from subscribers.states import TRANSITIONS, IllegalTransition, subscribers_transition
from tests.factories import SubscriberFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("onebuh", "subscribers", "billing", "infobases", "support", "operations", "outbox", "api")
STATE_MACHINE = ROOT / "subscribers" / "states.py"
Event = SubscriberStateChange.Event
S = SubscriberStatus


def _history(subscriber):
    return list(subscriber.state_changes.values_list("event", "from_status", "to_status"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "event", "to_status"),
    [
        (S.PURGED, Event.RESUMED, S.ACTIVE),  # nothing comes back from the purge
        (S.ACTIVE, Event.PURGED, S.PURGED),  # an active subscriber's data is never purged
        (S.TERMINATED, Event.RESUMED, S.ACTIVE),
        (S.ACTIVE, Event.RESUMED, S.SUSPENDED),  # an event that does not lead there
    ],
)
def test_an_illegal_transition_is_refused_and_changes_nothing(status, event, to_status):
    subscriber = SubscriberFactory(status=status)
    before = subscriber.status_changed_at
    with pytest.raises(IllegalTransition):
        subscriber_change_state(subscriber=subscriber, to_status=to_status, event=event, cause="x")
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.status_changed_at) == (status, before)
    assert _history(subscriber) == []
    assert not AuditEntry.objects.filter(subscriber=subscriber).exists()


@pytest.mark.django_db
def test_a_purge_of_a_manual_suspension_is_refused():
    # 3.6 purges after non-payment only; staff's own suspension is theirs to lift.
    subscriber = SubscriberFactory(status=S.SUSPENDED, suspension_reason=SuspensionReason.MANUAL)
    with pytest.raises(IllegalTransition), transaction.atomic():
        subscribers_transition(
            subscriber_ids=[subscriber.pk],
            event=Event.PURGED,
            from_status=S.SUSPENDED,
            to_status=S.PURGED,
            cause="x",
        )
    subscriber.refresh_from_db()
    assert subscriber.status == S.SUSPENDED


@pytest.mark.django_db
def test_a_suspension_needs_an_allowed_reason():
    subscriber = SubscriberFactory()
    with pytest.raises(IllegalTransition):
        subscriber_change_state(
            subscriber=subscriber, to_status=S.SUSPENDED, event=Event.SUSPENDED, cause="x"
        )


@pytest.mark.django_db
def test_many_move_in_one_update_each_with_its_state_row_and_audit_row(
    django_assert_num_queries,
):
    ids = [SubscriberFactory().pk for _ in range(3)]
    with django_assert_num_queries(3):  # the conditional UPDATE, the state rows, the audit rows
        moved = subscribers_transition(
            subscriber_ids=ids,
            event=Event.SUSPENDED,
            from_status=S.ACTIVE,
            to_status=S.SUSPENDED,
            suspension_reason=SuspensionReason.NON_PAYMENT,
            cause="3.5",
        )
    assert moved == sorted(ids)
    for subscriber in Subscriber.objects.filter(pk__in=ids):
        assert subscriber.status == S.SUSPENDED
        assert subscriber.suspension_reason == SuspensionReason.NON_PAYMENT
        assert _history(subscriber) == [(Event.SUSPENDED, S.ACTIVE, S.SUSPENDED)]
        audit = AuditEntry.objects.get(subscriber=subscriber)
        assert (audit.action, audit.reason) == ("subscriber.suspended", "3.5")


@pytest.mark.django_db
def test_a_subscriber_not_in_the_expected_state_refuses_the_whole_move():
    moving, already = SubscriberFactory(), SubscriberFactory(status=S.TERMINATED)
    with pytest.raises(IllegalTransition), transaction.atomic():
        subscribers_transition(
            subscriber_ids=[moving.pk, already.pk],
            event=Event.TERMINATED,
            from_status=S.ACTIVE,
            to_status=S.TERMINATED,
            cause="9.4",
        )
    moving.refresh_from_db()
    assert moving.status == S.ACTIVE
    assert not SubscriberStateChange.objects.exists()


@pytest.mark.django_db
def test_a_note_keeps_the_state_and_the_purge_clock():
    subscriber = SubscriberFactory(status=S.TERMINATED)
    before = subscriber.status_changed_at
    subscriber_change_state(
        subscriber=subscriber, to_status=S.TERMINATED, event=Event.PURGE_SCHEDULED, cause="3.6"
    )
    subscriber.refresh_from_db()
    assert subscriber.status_changed_at == before
    assert _history(subscriber) == [(Event.PURGE_SCHEDULED, S.TERMINATED, S.TERMINATED)]
    assert AuditEntry.objects.filter(
        subscriber=subscriber, action="subscriber.purge_scheduled"
    ).exists()


def test_every_state_and_event_appears_in_the_table():
    assert {t.event for t in TRANSITIONS} == set(Event.values)
    assert {t.to_status for t in TRANSITIONS} == set(S.values)


def _chain_root(node: ast.AST) -> str:
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def state_writes_outside_the_state_machine() -> list[str]:
    """`Subscriber.objects….update(status=…)` and any write of SubscriberStateChange rows."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == STATE_MACHINE:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                root = _chain_root(func)
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                status_update = (
                    name == "update"
                    and root == "Subscriber"
                    and any(k.arg in ("status", "suspension_reason") for k in node.keywords)
                )
                state_row = root == "SubscriberStateChange" and name in (
                    "create",
                    "bulk_create",
                    "get_or_create",
                    "update_or_create",
                    "SubscriberStateChange",
                )
                if status_update or state_row:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_state_is_written_only_by_the_state_machine():
    found = state_writes_outside_the_state_machine()
    assert found == [], "move subscribers through subscribers.states:\n" + "\n".join(found)


def test_the_guard_sees_a_raw_status_update():
    node = ast.parse("Subscriber.objects.filter(pk__in=ids).update(status='x')").body[0].value
    assert node.func.attr == "update" and _chain_root(node.func) == "Subscriber"

"""A subscriber's month of compensable downtime from the operator's records (9.2, 9.3, 9.5)."""

from datetime import date, timedelta

import pytest

from operations.models import Fault, IncidentLevel, WorkKind
from operations.selectors import subscriber_month_downtime
from subscribers.models import SubscriberStatus, SuspensionReason
from subscribers.services import subscriber_change_state
from tests.conftest import at
from tests.factories import SubscriberFactory

from .factories import IncidentFactory, WorkFactory

NOV = date(2026, 11, 1)


@pytest.fixture
def customer(db, travel):
    travel(at(date(2026, 10, 1)))
    return SubscriberFactory()


def downtime(subscriber, travel, month=NOV):
    travel(at(date(2026, 12, 1)))
    return subscriber_month_downtime(subscriber=subscriber, month=month)


def test_operator_incidents_count_and_overlaps_count_once(customer, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13))
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 12),
        ends_at=at(date(2026, 11, 3), 14, 30),
        level=IncidentLevel.PARTIAL,
    )
    assert downtime(customer, travel) == timedelta(hours=4, minutes=30)


@pytest.mark.parametrize("fault", [f for f in Fault.values if f != Fault.OPERATOR])
def test_excluded_kinds_of_9_5_do_not_count(customer, travel, fault):
    IncidentFactory(starts_at=at(date(2026, 11, 3), 10), ends_at=at(date(2026, 11, 3), 13))
    IncidentFactory(
        starts_at=at(date(2026, 11, 3), 12), ends_at=at(date(2026, 11, 3), 20), fault=fault
    )
    assert downtime(customer, travel) == timedelta(hours=2)


def test_planned_works_are_excluded_and_unplanned_works_count(customer, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 4), 1), ends_at=at(date(2026, 11, 4), 5))
    WorkFactory(
        kind=WorkKind.PLANNED, starts_at=at(date(2026, 11, 4), 1), ends_at=at(date(2026, 11, 4), 3)
    )
    WorkFactory(
        kind=WorkKind.UNPLANNED,
        starts_at=at(date(2026, 11, 10), 14),
        ends_at=at(date(2026, 11, 10), 16),
    )
    assert downtime(customer, travel) == timedelta(hours=4)


def test_cancelled_works_and_degraded_performance_are_not_downtime(customer, travel):
    IncidentFactory(
        starts_at=at(date(2026, 11, 4), 1),
        ends_at=at(date(2026, 11, 4), 9),
        level=IncidentLevel.DEGRADED,
    )
    WorkFactory(
        kind=WorkKind.UNPLANNED,
        starts_at=at(date(2026, 11, 5), 1),
        ends_at=at(date(2026, 11, 5), 3),
        cancelled_at=at(date(2026, 11, 4)),
    )
    assert downtime(customer, travel) == timedelta(0)


def test_incident_for_selected_subscribers_counts_only_for_them(customer, travel):
    other = SubscriberFactory()
    IncidentFactory(
        starts_at=at(date(2026, 11, 6), 1), ends_at=at(date(2026, 11, 6), 3), subscribers=[other]
    )
    assert downtime(customer, travel) == timedelta(0)
    assert downtime(other, travel) == timedelta(hours=2)


def test_incident_crossing_the_month_boundary_is_split(customer, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 30), 22), ends_at=at(date(2026, 12, 1), 4))
    assert downtime(customer, travel) == timedelta(hours=2)
    travel(at(date(2026, 12, 2)))
    assert subscriber_month_downtime(subscriber=customer, month=date(2026, 12, 1)) == timedelta(
        hours=4
    )


def test_time_suspended_for_non_payment_is_not_downtime(customer, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 10)), ends_at=at(date(2026, 11, 12)))  # 48 hours
    travel(at(date(2026, 11, 10), 6))
    subscriber_change_state(
        subscriber=customer,
        to_status=SubscriberStatus.SUSPENDED,
        event="suspended",
        cause="Неоплата",
        suspension_reason=SuspensionReason.NON_PAYMENT,
    )
    travel(at(date(2026, 11, 11), 18))
    subscriber_change_state(
        subscriber=customer, to_status=SubscriberStatus.ACTIVE, event="resumed", cause="Оплата"
    )
    assert downtime(customer, travel) == timedelta(hours=48 - 36)


def test_suspension_from_before_the_month_runs_until_resumed(customer, travel):
    travel(at(date(2026, 10, 20)))
    subscriber_change_state(
        subscriber=customer,
        to_status=SubscriberStatus.SUSPENDED,
        event="suspended",
        cause="Неоплата",
        suspension_reason=SuspensionReason.NON_PAYMENT,
    )
    IncidentFactory(starts_at=at(date(2026, 11, 2)), ends_at=at(date(2026, 11, 2), 10))
    travel(at(date(2026, 11, 2), 4))
    subscriber_change_state(
        subscriber=customer, to_status=SubscriberStatus.ACTIVE, event="resumed", cause="Оплата"
    )
    assert downtime(customer, travel) == timedelta(hours=6)


def test_time_before_registration_is_not_downtime(db, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 2)), ends_at=at(date(2026, 11, 2), 10))
    travel(at(date(2026, 11, 2), 7))
    newcomer = SubscriberFactory()
    assert downtime(newcomer, travel) == timedelta(hours=3)


def test_an_ongoing_incident_counts_until_now(customer, travel):
    IncidentFactory(starts_at=at(date(2026, 11, 20), 8), ends_at=None)
    travel(at(date(2026, 11, 20), 13, 30))
    assert subscriber_month_downtime(subscriber=customer, month=NOV) == timedelta(
        hours=5, minutes=30
    )


def test_unplanned_work_on_a_solution_counts_for_its_users_only(customer, travel):
    from tests.infobases.factories import InfobaseFactory, SolutionFactory

    solution = SolutionFactory()
    InfobaseFactory(subscriber=customer, solution=solution)
    other = SubscriberFactory()
    work = WorkFactory(
        kind=WorkKind.UNPLANNED,
        starts_at=at(date(2026, 11, 7), 1),
        ends_at=at(date(2026, 11, 7), 4),
        affects_all=False,
    )
    work.solutions.set([solution])
    assert downtime(customer, travel) == timedelta(hours=3)
    assert downtime(other, travel) == timedelta(0)

"""6.1, 6.3, 6.4: each category's reaction deadline on its calendar (GMT+5), across nights,
weekends, a public holiday and a working day moved onto a weekend."""

import datetime

import pytest

from support.models import Calendar, CalendarException, CalendarInterval, Category, ExceptionKind
from support.services import ticket_change_category
from support.sla import calendars_changed, reaction_due_at, warning_at
from tests.conftest import ALMATY, at
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

# Tue 24 Nov 2026, Fri 27 Nov, Sat 28 Nov, Mon 30 Nov.
CASES = [
    # access: 8 h, weekdays 10:00–19:00
    (
        "across the night",
        Category.ACCESS,
        at(datetime.date(2026, 11, 24), 15),
        at(datetime.date(2026, 11, 25), 14),
    ),
    (
        "across the weekend",
        Category.ACCESS,
        at(datetime.date(2026, 11, 27), 18),
        at(datetime.date(2026, 11, 30), 17),
    ),
    (
        "before the working day",
        Category.ACCESS,
        at(datetime.date(2026, 11, 30), 7),
        at(datetime.date(2026, 11, 30), 18),
    ),
    (
        "opened on a Saturday",
        Category.ACCESS,
        at(datetime.date(2026, 11, 28), 12),
        at(datetime.date(2026, 11, 30), 18),
    ),
    # incidents
    (
        "level 1 round the clock",
        Category.INCIDENT_1,
        at(datetime.date(2026, 11, 28), 22),
        at(datetime.date(2026, 11, 29), 2),
    ),
    (
        "level 2 across the weekend",
        Category.INCIDENT_2,
        at(datetime.date(2026, 11, 27), 17),
        at(datetime.date(2026, 11, 30), 12),
    ),
    (
        "level 3 across the night",
        Category.INCIDENT_3,
        at(datetime.date(2026, 11, 24), 18),
        at(datetime.date(2026, 11, 25), 17),
    ),
    # requests
    (
        "technical round the clock",
        Category.TECHNICAL,
        at(datetime.date(2026, 11, 28), 20),
        at(datetime.date(2026, 11, 29), 4),
    ),
    (
        "technical on New Year",
        Category.TECHNICAL,
        at(datetime.date(2026, 1, 1), 10),
        at(datetime.date(2026, 1, 1), 18),
    ),
    (
        "methodological weekend",
        Category.METHODOLOGICAL,
        at(datetime.date(2026, 11, 27), 16),
        at(datetime.date(2026, 11, 30), 15),
    ),
    (
        "individual weekend",
        Category.INDIVIDUAL,
        at(datetime.date(2026, 11, 27), 17),
        at(datetime.date(2026, 11, 30), 12),
    ),
    (
        "individual at night",
        Category.INDIVIDUAL,
        at(datetime.date(2026, 11, 24), 23),
        at(datetime.date(2026, 11, 25), 13),
    ),
    # Independence Day, Wed 16 Dec 2026, is a day off.
    (
        "over a holiday",
        Category.METHODOLOGICAL,
        at(datetime.date(2026, 12, 15), 17),
        at(datetime.date(2026, 12, 17), 16),
    ),
    (
        "access over a holiday",
        Category.ACCESS,
        at(datetime.date(2026, 12, 15), 18),
        at(datetime.date(2026, 12, 17), 17),
    ),
    # Nowruz: 23–25 Mar 2026 are days off after the weekend.
    (
        "over Nowruz",
        Category.ACCESS,
        at(datetime.date(2026, 3, 20), 17, 30),
        at(datetime.date(2026, 3, 26), 16, 30),
    ),
    # Sat 4 May 2024 was a working day by decree (in the holidays library's weekend_workdays).
    (
        "transferred working day",
        Category.METHODOLOGICAL,
        at(datetime.date(2024, 5, 3), 17),
        at(datetime.date(2024, 5, 4), 16),
    ),
]


@pytest.mark.parametrize(
    ("case", "category", "opened_at", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_reaction_deadline_follows_the_category_calendar(case, category, opened_at, expected):
    due = reaction_due_at(category, opened_at)
    assert due == expected
    assert due.utcoffset() == datetime.timedelta(hours=5)


def test_deadline_does_not_depend_on_the_input_time_zone():
    opened_local = at(datetime.date(2026, 11, 27), 18)
    opened_utc = opened_local.astimezone(datetime.UTC)
    assert reaction_due_at(Category.ACCESS, opened_utc) == reaction_due_at(
        Category.ACCESS, opened_local
    )


def test_naive_opening_time_is_refused():
    with pytest.raises(ValueError):
        reaction_due_at(Category.ACCESS, datetime.datetime(2026, 11, 27, 18))


def test_staff_added_transfer_makes_a_saturday_working():
    opened_at = at(datetime.date(2026, 11, 27), 17)
    assert reaction_due_at(Category.INDIVIDUAL, opened_at) == at(datetime.date(2026, 11, 30), 12)
    CalendarException.objects.create(
        date=datetime.date(2026, 11, 28), kind=ExceptionKind.WORKDAY, name="Перенос"
    )
    calendars_changed()
    assert reaction_due_at(Category.INDIVIDUAL, opened_at) == at(datetime.date(2026, 11, 28), 12)


def test_staff_removed_holiday_is_a_working_day_again():
    CalendarException.objects.filter(date=datetime.date(2026, 12, 16)).delete()
    calendars_changed()
    assert reaction_due_at(Category.METHODOLOGICAL, at(datetime.date(2026, 12, 15), 17)) == at(
        datetime.date(2026, 12, 16), 16
    )


def test_round_the_clock_calendar_ignores_holidays():
    # Independence Day is a day off only for the weekday calendars.
    assert reaction_due_at(Category.INCIDENT_1, at(datetime.date(2026, 12, 16), 10)) == at(
        datetime.date(2026, 12, 16), 14
    )


def test_deadline_weeks_ahead_walks_the_intervals():
    # One working hour a week: 8 hours take eight Mondays.
    calendar = Calendar.objects.get(code="weekdays_10_19")
    calendar.intervals.all().delete()
    CalendarInterval.objects.create(
        calendar=calendar, weekday=0, starts=datetime.time(10), ends=datetime.time(11)
    )
    calendars_changed()
    due = reaction_due_at(Category.ACCESS, at(datetime.date(2026, 11, 3), 12))  # a Tuesday
    assert due == at(datetime.date(2026, 12, 28), 11)
    assert due.tzinfo is not None and due.astimezone(ALMATY).weekday() == 0


def test_warning_comes_at_three_quarters_of_the_working_time():
    # 8 h from Fri 18:00: 1 h on Friday, 5 h more on Monday from 10:00 → 15:00.
    assert warning_at(Category.ACCESS, at(datetime.date(2026, 11, 27), 18)) == at(
        datetime.date(2026, 11, 30), 15
    )


def test_category_change_recomputes_the_deadline_from_the_opening_time(travel, operator_engineer):
    travel(at(datetime.date(2026, 11, 27), 18))
    ticket = open_ticket(category=Category.TECHNICAL)
    assert ticket.reaction_due_at == at(datetime.date(2026, 11, 28), 2)
    travel(at(datetime.date(2026, 11, 27), 19))
    ticket = ticket_change_category(
        ticket=ticket, actor=operator_engineer, category=Category.ACCESS
    )
    ticket.refresh_from_db()
    assert ticket.reaction_due_at == at(datetime.date(2026, 11, 30), 17)
    assert ticket.warning_at == at(datetime.date(2026, 11, 30), 15)

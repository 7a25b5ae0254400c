"""Technical works (6.2): 48 hours' notice, the 01:00–06:00 GMT+5 window, unplanned any time,
notifications with an .ics file, the reminder once, the panel banner."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from operations.models import Component, TechnicalWork, WorkKind
from operations.services import (
    technical_work_announce,
    technical_work_cancel,
    technical_work_update,
    works_send_reminders,
)
from outbox.dispatcher import outbox_dispatch
from tests.conftest import at
from tests.factories import SubscriberFactory


def planned(start, end, **extra):
    fields = {"title": "Обновление платформы", "components": [Component.CLOUD], **extra}
    return TechnicalWork(kind=WorkKind.PLANNED, starts_at=start, ends_at=end, **fields)


@pytest.fixture
def now(db, travel):
    return travel(at(date(2026, 11, 10), 14))  # Tuesday 10.11.2026 14:00 GMT+5


def test_planned_work_announced_48_hours_ahead_inside_the_night_window_is_accepted(now):
    work = technical_work_announce(
        work=planned(at(date(2026, 11, 12), 14) + timedelta(hours=12), at(date(2026, 11, 13), 4))
    )
    assert work.pk and work.announced_at == now


def test_planned_work_less_than_48_hours_ahead_is_refused(now):
    with pytest.raises(ValidationError) as error:
        technical_work_announce(
            work=planned(at(date(2026, 11, 12), 1), at(date(2026, 11, 12), 3))
        )  # 35 hours ahead
    assert "48" in " ".join(error.value.messages)
    assert not TechnicalWork.objects.exists()


def test_exactly_48_hours_ahead_is_enough(db, travel):
    travel(at(date(2026, 11, 10), 2))
    assert technical_work_announce(
        work=planned(at(date(2026, 11, 12), 2), at(date(2026, 11, 12), 5))
    ).pk


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(date(2026, 11, 13), 0, 30), at(date(2026, 11, 13), 2)),  # starts before 01:00
        (at(date(2026, 11, 13), 5), at(date(2026, 11, 13), 6, 30)),  # ends after 06:00
        (at(date(2026, 11, 13), 14), at(date(2026, 11, 13), 15)),  # daytime
        (at(date(2026, 11, 13), 23), at(date(2026, 11, 14), 2)),  # crosses midnight
    ],
)
def test_planned_work_outside_01_06_gmt5_is_refused(now, start, end):
    with pytest.raises(ValidationError) as error:
        technical_work_announce(work=planned(start, end))
    assert "01:00" in " ".join(error.value.messages)
    assert not TechnicalWork.objects.exists()


def test_the_whole_window_01_to_06_is_allowed(now):
    assert technical_work_announce(
        work=planned(at(date(2026, 11, 13), 1), at(date(2026, 11, 13), 6))
    ).pk


def test_unplanned_work_is_allowed_at_any_time_without_notice(now):
    work = technical_work_announce(
        work=TechnicalWork(
            kind=WorkKind.UNPLANNED,
            title="Устранение сбоя",
            components=[Component.APPS],
            starts_at=now,
            ends_at=None,
        )
    )
    assert work.pk and work.ends_at is None


def test_announcement_emails_affected_subscribers_with_an_ics_file(
    now, owner, subscriber, django_capture_on_commit_callbacks
):
    untouched = SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        work = technical_work_announce(
            work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4), affects_all=False),
            subscribers=[subscriber],
        )
    recipients = {address for message in mail.outbox for address in message.to}
    assert owner.email in recipients and subscriber.responsible_email in recipients
    assert untouched.responsible_email not in recipients
    message = mail.outbox[0]
    assert "13.11.2026" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == work.starts_at
    assert event.decoded("dtend") == work.ends_at
    assert str(event["uid"]) == f"technical-work-{work.pk}@1b.kz"


def test_rescheduling_checks_the_rules_again_from_now(now):
    work = technical_work_announce(
        work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4))
    )
    work.starts_at, work.ends_at = at(date(2026, 11, 11), 2), at(date(2026, 11, 11), 4)
    with pytest.raises(ValidationError):
        technical_work_update(work=work)
    work.starts_at, work.ends_at = at(date(2026, 11, 14), 2), at(date(2026, 11, 14), 3)
    technical_work_update(work=work)
    work.refresh_from_db()
    assert work.revision == 1 and work.starts_at == at(date(2026, 11, 14), 2)


def test_reminder_is_sent_once_the_day_before(
    now, subscriber, travel, django_capture_on_commit_callbacks
):
    work = technical_work_announce(
        work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4))
    )
    outbox_dispatch()  # the announcement goes out, as after its commit
    travel(at(date(2026, 11, 11), 14))
    assert works_send_reminders() == 0  # 36 hours ahead: too early
    travel(at(date(2026, 11, 12), 3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert works_send_reminders() == 1
        assert works_send_reminders() == 0
    assert mail.outbox and all("Напоминание" in m.subject for m in mail.outbox)
    work.refresh_from_db()
    assert work.reminder_sent_at == at(date(2026, 11, 12), 3)


def test_cancelled_work_gets_no_reminder(now, travel):
    work = technical_work_announce(
        work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4))
    )
    assert technical_work_cancel(work=work) is True
    assert technical_work_cancel(work=work) is False
    travel(at(date(2026, 11, 12), 3))
    assert works_send_reminders() == 0


def test_panel_shows_a_banner_for_works_affecting_the_subscriber(now, client, owner, subscriber):
    technical_work_announce(
        work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4), title="Замена дисков")
    )
    client.force_login(owner)
    response = client.get(reverse("subscribers:dashboard"))
    assert "Замена дисков" in response.content.decode()


def test_panel_shows_no_banner_for_works_of_other_subscribers(now, client, owner):
    technical_work_announce(
        work=planned(
            at(date(2026, 11, 13), 2),
            at(date(2026, 11, 13), 4),
            title="Замена дисков",
            affects_all=False,
        ),
        subscribers=[SubscriberFactory()],
    )
    client.force_login(owner)
    assert "Замена дисков" not in client.get(reverse("subscribers:dashboard")).content.decode()


def test_admin_refuses_a_late_planned_work_with_a_clear_message(
    now, staff_client, operator_engineer
):
    client = staff_client(operator_engineer)
    response = client.post(
        reverse("admin:operations_technicalwork_add"),
        {
            "kind": WorkKind.PLANNED,
            "title": "Срочно",
            "components": [Component.CLOUD],
            "affects_all": "on",
            "starts_at_0": "11.11.2026",
            "starts_at_1": "02:00",
            "ends_at_0": "11.11.2026",
            "ends_at_1": "03:00",
        },
    )
    assert response.status_code == 200
    assert "48" in response.content.decode()
    assert not TechnicalWork.objects.exists()


def test_admin_announces_a_valid_planned_work(now, staff_client, operator_engineer):
    client = staff_client(operator_engineer)
    response = client.post(
        reverse("admin:operations_technicalwork_add"),
        {
            "kind": WorkKind.PLANNED,
            "title": "Обновление",
            "components": [Component.CLOUD, Component.PANEL],
            "affects_all": "on",
            "starts_at_0": "13.11.2026",
            "starts_at_1": "01:30",
            "ends_at_0": "13.11.2026",
            "ends_at_1": "05:30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    work = TechnicalWork.objects.get()
    assert work.components == [Component.CLOUD, Component.PANEL]
    assert work.created_by == operator_engineer


def test_work_on_a_solution_reaches_the_subscribers_using_it(
    now, client, owner, subscriber, django_capture_on_commit_callbacks
):
    from tests.infobases.factories import InfobaseFactory, SolutionFactory

    solution = SolutionFactory()
    InfobaseFactory(subscriber=subscriber, solution=solution)
    bystander = InfobaseFactory(solution=SolutionFactory()).subscriber
    with django_capture_on_commit_callbacks(execute=True):
        technical_work_announce(
            work=planned(
                at(date(2026, 11, 13), 2),
                at(date(2026, 11, 13), 4),
                title="Обновление конфигурации",
                affects_all=False,
            ),
            solutions=[solution],
        )
    recipients = {address for message in mail.outbox for address in message.to}
    assert subscriber.responsible_email in recipients
    assert bystander.responsible_email not in recipients
    client.force_login(owner)
    assert (
        "Обновление конфигурации" in client.get(reverse("subscribers:dashboard")).content.decode()
    )


def test_reminder_pass_query_count_does_not_grow_with_works(now, travel, django_assert_num_queries):
    for day in (13, 14):
        technical_work_announce(
            work=planned(at(date(2026, 11, day), 2), at(date(2026, 11, day), 4))
        )
    travel(at(date(2026, 11, 12), 3))
    # Claim, stamp and owe the reminders (one outbox INSERT for any number of works).
    with django_assert_num_queries(5):
        assert works_send_reminders() == 1
    for hour in (1, 2, 3):
        technical_work_announce(
            work=planned(at(date(2026, 11, 17), hour), at(date(2026, 11, 17), hour + 1))
        )
    travel(at(date(2026, 11, 16), 4))
    with django_assert_num_queries(5):
        assert works_send_reminders() == 3


def test_banner_shows_a_work_announced_after_the_page_was_cached(now, client, owner, subscriber):
    # The banner is cached per subscriber (operations/banner.py); a new work must not wait for it.
    client.force_login(owner)
    assert "Замена дисков" not in client.get(reverse("subscribers:dashboard")).content.decode()
    work = technical_work_announce(
        work=planned(at(date(2026, 11, 13), 2), at(date(2026, 11, 13), 4), title="Замена дисков")
    )
    assert "Замена дисков" in client.get(reverse("subscribers:dashboard")).content.decode()
    technical_work_cancel(work=work)
    assert "Замена дисков" not in client.get(reverse("subscribers:dashboard")).content.decode()

"""Desk journey: the operator's engineer (issue 13) reads the queue at 1366 px (the SLA column in
view, coloured), opens a subscriber's ticket, sees the customer beside it (tariff, quotas,
infobases, the operator's incident that hit it, other tickets, each linked), previews a macro (the reply with the customer's name,
the ticket's number and deadline filled in, the status and assignee it sets) and applies it in
one click: the ticket is in work and his, and the subscriber receives the reply by email."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from support.models import Macro, TicketStatus
from tests.operations.factories import IncidentFactory
from tests.support.factories import open_ticket

from .helpers import DESK_WIDTH, E2E, desk_page

JOURNEY = "desk-engineer"
MACRO = "База восстановлена из копии"

pytestmark = E2E


@pytest.fixture
def late_tickets(time_machine, desk_world):
    """Two technical tickets (8 hours round the clock, 6.4) of ТОО «Ничей клиент»: one opened 7
    hours ago (past 75% of its reaction time: amber), one 9 hours ago (overdue: red)."""
    now = timezone.now()
    world = desk_world
    time_machine.move_to(now - timedelta(hours=7), tick=False)
    soon = open_ticket(world.loose, opened_by=world.loose_owner, subject="Медленно работает база")
    time_machine.move_to(now - timedelta(hours=9), tick=False)
    late = open_ticket(world.loose, opened_by=world.loose_owner, subject="Не приходят письма")
    time_machine.move_to(now, tick=True)
    return soon, late


@pytest.fixture
def world_incident(desk_world):
    """The operator's incident of this morning that hit ТОО «Чужой клиент»."""
    now = timezone.now()
    return IncidentFactory(
        title="Сбой публикации баз",
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=2),
        subscribers=[desk_world.theirs],
    )


@pytest.fixture
def macro(db):
    """A macro as staff write them: a reply with placeholders, the status and the assignee."""
    return Macro.objects.create(
        name=MACRO,
        body=(
            "Здравствуйте, {имя клиента}! По обращению №{номер обращения} восстановили базу из "
            "вчерашней копии, она открывается. Ответили до срока {срок реакции}.\n"
            "{сотрудник}, служба поддержки ONEbuh"
        ),
        set_status="in_progress",
        assignee_rule="me",
    )


def test_engineer_answers_a_ticket_from_the_queue_with_the_customer_in_view(
    open_page, shot, desk_world, late_tickets, world_incident, macro, operator_engineer
):
    world = desk_world
    ticket = world.theirs_outage
    page = desk_page(open_page, operator_engineer)

    # The queue: every open ticket, the SLA column on screen at the desk's width.
    page.get_by_role("link", name="Обращения").first.click()
    page.wait_for_url(re.compile(r"/admin/support/ticket/"))
    assert page.locator("#result_list tbody tr").count() == 6
    sla_header = page.locator("#result_list thead th.column-sla").bounding_box()
    results = page.locator("#changelist .results").bounding_box()
    assert sla_header["x"] + sla_header["width"] <= results["x"] + results["width"] <= DESK_WIDTH
    overflow = page.evaluate(
        "() => { const r = document.querySelector('#changelist .results');"
        " return r.scrollWidth - r.clientWidth; }"
    )
    assert overflow <= 0, f"the queue scrolls sideways by {overflow} px"

    def row(subject):
        return page.locator("#result_list tbody tr", has_text=subject)

    # Ordered by the reaction deadline: the overdue one first, red; then amber; then green.
    first = page.locator("#result_list tbody tr").first
    assert "Не приходят письма" in first.inner_text()
    assert row("Не приходят письма").locator(".sla.sla-red").count() == 1
    assert row("Медленно работает база").locator(".sla.sla-amber").count() == 1
    assert row("Не открывается база после обновления").locator(".sla.sla-green").count() == 1
    shot(page, "queue")

    # "About to breach": only the amber one.
    page.get_by_role("link", name="Скоро просрочка").click()
    page.wait_for_url(re.compile(r"queue=soon"))
    assert page.locator("#result_list tbody tr").all_inner_texts()[0].count("Медленно") == 1
    assert page.locator("#result_list tbody tr").count() == 1
    shot(page, "queue-about-to-breach")
    page.get_by_role("link", name="Все открытые").click()
    page.wait_for_url(re.compile(r"queue=open"))

    # The ticket, with the customer beside it.
    row("Не открывается база после обновления").get_by_role(
        "link", name=re.compile("Не открывается база")
    ).click()
    page.wait_for_url(re.compile(rf"/ticket/{ticket.pk}/change/(\?.*)?$"))
    customer = page.locator(".customer-context")
    assert customer.get_by_role("link", name="ТОО «Чужой клиент»", exact=True).get_attribute(
        "href"
    ) == (reverse("admin:subscribers_subscriber_change", args=[world.theirs.pk]))
    context = customer.inner_text()
    infobase = customer.get_by_role("link", name="Бухгалтерия ТОО «Чужой клиент»")
    assert infobase.get_attribute("href") == reverse(
        "admin:infobases_infobase_change", args=[world.theirs_infobase.pk]
    )
    other = customer.get_by_role("link", name=f"#{world.theirs_question.pk}")
    assert other.get_attribute("href") == reverse(
        "admin:support_ticket_change", args=[world.theirs_question.pk]
    )
    incident = customer.get_by_role("link", name="Сбой публикации баз")
    assert incident.get_attribute("href") == reverse(
        "admin:operations_incident_change", args=[world_incident.pk]
    )
    tariff = world.theirs.subscription.tariff.name
    assert re.search(rf"Тариф\s+{tariff}", context), context
    assert "Запрос по методической поддержке (6.4): 1 / 3" in context, context
    # Balance and debt are for those who may see billing (accountants), not the engineer.
    assert "Баланс" not in context
    shot(page, "ticket-with-customer")

    # The reply page: the conversation, and the macros above the form.
    page.get_by_role("link", name="Ответ или заметка").click()
    conversation = page.locator(".conversation").inner_text()
    assert "ошибка формата потока" in conversation
    shot(page, "reply-page")

    # A macro: the reply with its placeholders filled in, and what else it does, before sending.
    page.locator("#id_macro_pick").select_option(label=MACRO)
    page.get_by_role("button", name="Предпросмотр").click()
    page.wait_for_url(re.compile(rf"/ticket/{ticket.pk}/macro/\?"))
    owner = world.theirs_owner
    deadline = timezone.localtime(ticket.reaction_due_at).strftime("%d.%m.%Y %H:%M")
    expected = (
        f"Здравствуйте, {owner.full_name}! По обращению №{ticket.pk} восстановили базу из "
        f"вчерашней копии, она открывается. Ответили до срока {deadline}.\n"
        f"{operator_engineer.full_name}, служба поддержки ONEbuh"
    )
    preview = page.get_by_test_id("macro-preview").inner_text()
    assert preview.strip() == expected, preview
    steps = page.locator(".macro-apply").inner_text()
    assert owner.email in steps
    assert re.search(r"Статус:\s+Принять в работу", steps), steps
    assert re.search(rf"Исполнитель:\s+{re.escape(operator_engineer.display_name)}", steps), steps
    assert not mail.outbox or all(expected not in m.body for m in mail.outbox)
    shot(page, "macro-preview")

    # One click: the reply goes out, the ticket is in work and his.
    page.get_by_role("button", name="Отправить и применить").click()
    page.wait_for_url(re.compile(rf"/ticket/{ticket.pk}/change/$"))
    assert f"Макрос «{MACRO}» применён." in page.locator(".messagelist").inner_text()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.reacted_at is not None
    assert ticket.assignee == operator_engineer
    shot(page, "macro-applied")

    # The subscriber's owner receives the filled-in reply by email (read as text).
    letters = [m for m in mail.outbox if owner.email in m.to and expected in m.body]
    assert len(letters) == 1, [(m.to, m.subject, m.body) for m in mail.outbox]
    assert "{" not in letters[0].body and f"#{ticket.pk}" in letters[0].subject

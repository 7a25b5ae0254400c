"""Desk journey: the operator's engineer (issue 13) reads the queue at 1366 px (the SLA column in
view, coloured), opens a subscriber's ticket, sees the customer beside it (tariff, quotas,
infobases, other tickets, each linked), answers it and takes it into work; the
subscriber receives the answer by email."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from support.models import TicketStatus
from tests.support.factories import open_ticket

from .helpers import DESK_WIDTH, E2E, desk_page

JOURNEY = "desk-engineer"

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


def test_engineer_answers_a_ticket_from_the_queue_with_the_customer_in_view(
    open_page, shot, desk_world, late_tickets, operator_engineer
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
    tariff = world.theirs.subscription.tariff.name
    assert re.search(rf"Тариф\s+{tariff}", context), context
    assert "Запрос по методической поддержке (6.4): 1 / 3" in context, context
    # Balance and debt are for those who may see billing (accountants), not the engineer.
    assert "Баланс" not in context
    shot(page, "ticket-with-customer")

    # The answer: the conversation above the form.
    page.get_by_role("link", name="Ответ или заметка").click()
    conversation = page.locator(".conversation").inner_text()
    assert "ошибка формата потока" in conversation
    answer = (
        "Здравствуйте! Восстановили базу из вчерашней копии, она открывается. "
        "Проверьте, пожалуйста."
    )
    page.get_by_label("Текст").fill(answer)
    shot(page, "reply")
    page.get_by_role("button", name="Отправить").click()
    page.wait_for_url(re.compile(rf"/ticket/{ticket.pk}/change/$"))

    # Into work.
    page.get_by_role("button", name="Принять в работу").click()
    page.wait_for_url(re.compile(rf"/ticket/{ticket.pk}/change/$"))
    assert "принято в работу" in page.locator(".messagelist").inner_text().lower()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.reacted_at is not None
    shot(page, "accepted")

    # The subscriber's owner receives the answer by email (read as text).
    letters = [m for m in mail.outbox if world.theirs_owner.email in m.to and answer in m.body]
    assert len(letters) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert f"#{ticket.pk}" in letters[0].subject + letters[0].body

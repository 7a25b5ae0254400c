"""Staff in the admin: partner consultants see only their firm's partner tickets (4.1),
operator engineers everything; SLA columns, filters and the monthly report; category changes
through the service; replies with text and article links; internal notes."""

import csv
import io
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from support.models import Category, MessageAuthor, PartnerAssignment, Ticket
from support.services import ticket_accept
from tests.conftest import at
from tests.factories import SubscriberFactory
from tests.support.factories import ArticleFactory, give_quotas, open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(partner_firm):
    """A methodological ticket routed to the consultant's firm, one of another firm, and a
    technical ticket (operator's)."""
    from tests.factories import PartnerFirmFactory

    mine, theirs = SubscriberFactory(), SubscriberFactory()
    for subscriber, firm in ((mine, partner_firm), (theirs, PartnerFirmFactory())):
        give_quotas(subscriber)
        PartnerAssignment.objects.create(subscriber=subscriber, partner_firm=firm)
    return {
        "mine": open_ticket(mine, category=Category.METHODOLOGICAL, subject="Мой партнёрский"),
        "theirs": open_ticket(theirs, category=Category.INDIVIDUAL, subject="Чужой партнёрский"),
        "technical": open_ticket(mine, category=Category.TECHNICAL, subject="Технический"),
    }


def test_partner_consultant_sees_only_their_firms_partner_tickets(
    staff_client, partner_consultant, routed
):
    client = staff_client(partner_consultant)
    page = client.get(reverse("admin:support_ticket_changelist")).content.decode()
    assert "Мой партнёрский" in page
    assert "Чужой партнёрский" not in page and "Технический" not in page
    for other in ("theirs", "technical"):
        url = reverse("admin:support_ticket_reply", args=[routed[other].pk])
        assert client.get(url).status_code == 404
        change = reverse("admin:support_ticket_change", args=[routed[other].pk])
        assert client.get(change).status_code in (302, 404)


def test_operator_engineer_sees_every_ticket(staff_client, operator_engineer, routed):
    page = staff_client(operator_engineer).get(reverse("admin:support_ticket_changelist"))
    content = page.content.decode()
    assert all(t.subject in content for t in routed.values())


def test_consultant_answers_their_ticket_with_text_and_article_link(
    staff_client, partner_consultant, routed, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Начисление отпуска")
    ticket = routed["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(partner_consultant).post(
            reverse("admin:support_ticket_reply", args=[ticket.pk]),
            {"text": "Здравствуйте! Смотрите статью.", "articles": [article.pk]},
        )
    assert response.status_code == 302
    message = ticket.messages.filter(author_side=MessageAuthor.STAFF).get()
    assert message.body.startswith("Здравствуйте!")
    assert article.get_absolute_url() in message.body
    ticket.refresh_from_db()
    assert ticket.reacted_at is not None
    assert mail.outbox[-1].to == [ticket.opened_by.email]


def test_internal_note_is_hidden_from_the_subscriber(
    staff_client, operator_engineer, client, owner, subscriber
):
    ticket = open_ticket(subscriber, opened_by=owner)
    staff_client(operator_engineer).post(
        reverse("admin:support_ticket_reply", args=[ticket.pk]),
        {"text": "Клиент путает базы — секрет", "internal": "on"},
    )
    assert ticket.messages.filter(is_internal=True).exists()
    client.force_login(owner)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "секрет" not in page


def test_admin_category_change_recomputes_the_deadline(staff_client, operator_engineer, travel):
    travel(at(date(2026, 11, 27), 18))
    ticket = open_ticket(category=Category.TECHNICAL)
    client = staff_client(operator_engineer)
    response = client.post(
        reverse("admin:support_ticket_change", args=[ticket.pk]),
        {
            "category": Category.ACCESS,
            "work_type": "",
            "partner_firm": "",
            "assignee": "",
            # The conversation inline's management form, as the browser sends it.
            "messages-TOTAL_FORMS": "1",
            "messages-INITIAL_FORMS": "1",
            "messages-0-id": ticket.messages.get().pk,
            "messages-0-ticket": ticket.pk,
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.category == Category.ACCESS
    assert ticket.reaction_due_at == at(date(2026, 11, 30), 17)


def test_queue_views_and_sla_badges(staff_client, operator_engineer, travel):
    travel(at(date(2026, 11, 24), 10))
    late = open_ticket(category=Category.INCIDENT_1, subject="Просроченный")  # due 14:00
    travel(at(date(2026, 11, 24), 14, 30))
    soon = open_ticket(category=Category.INCIDENT_1, subject="Скоро срок")  # due 18:30
    travel(at(date(2026, 11, 24), 17, 45))
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_changelist")
    overdue = client.get(url, {"queue": "overdue"}).content.decode()
    assert late.subject in overdue and soon.subject not in overdue
    assert 'class="sla sla-red"' in overdue and "3 ч 45 мин" in overdue
    due = client.get(url, {"queue": "soon"}).content.decode()
    assert soon.subject in due and late.subject not in due
    # 75% of the 4 hours used at 17:30: amber with 45 minutes left.
    assert 'class="sla sla-amber"' in due and "0 ч 45 мин" in due


def test_monthly_sla_report(staff_client, operator_engineer, travel):
    travel(at(date(2026, 11, 24), 10))
    fast, slow = (
        open_ticket(category=Category.INCIDENT_1),
        open_ticket(category=Category.INCIDENT_1),
    )
    travel(at(date(2026, 11, 24), 11))
    ticket_accept(ticket=fast, actor=operator_engineer)
    travel(at(date(2026, 11, 24), 16))
    ticket_accept(ticket=slow, actor=operator_engineer)
    response = staff_client(operator_engineer).get(
        reverse("admin:support_ticket_sla_report"), {"month": "2026-11"}
    )
    (row,) = [r for r in response.context["rows"] if r.category == Category.INCIDENT_1]
    assert (row.tickets, row.reacted_in_time, row.breached) == (2, 1, 1)
    assert row.median_reaction.total_seconds() == 3.5 * 3600
    assert (row.percent_in_time, row.median_text, row.assignee) == (
        50,
        "3 ч 30 мин",
        operator_engineer.email,
    )


def test_sla_report_counts_business_hours_and_exports_csv_and_xlsx(
    staff_client, operator_engineer, travel
):
    # Level 2 is served on weekdays 10:00–19:00: opened Tuesday 18:00, accepted Wednesday 11:00
    # is 2 business hours (17 on the wall clock).
    travel(at(date(2026, 11, 24), 18))
    ticket = open_ticket(category=Category.INCIDENT_2)
    travel(at(date(2026, 11, 25), 11))
    ticket_accept(ticket=ticket, actor=operator_engineer)
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_sla_report")
    page = client.get(url, {"month": "2026-11"})
    (row,) = [r for r in page.context["rows"] if r.category == Category.INCIDENT_2]
    assert (row.tickets, row.median_text, row.p90_text) == (1, "2 ч 00 мин", "2 ч 00 мин")
    assert "2 ч 00 мин" in page.content.decode()
    response = client.get(url, {"month": "2026-11", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][6] == "Медиана реакции (рабочие часы)"
    (line,) = [r for r in rows[1:] if r[0] == str(Category.INCIDENT_2.label)]
    assert line[2:] == [operator_engineer.email, "1", "100", "0", "2 ч 00 мин", "2 ч 00 мин"]
    response = client.get(url, {"month": "2026-11", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [
        r for r in sheet.iter_rows(values_only=True) if r[0] == str(Category.INCIDENT_2.label)
    ]
    assert values[0][3:] == (1, 100, 0, "2 ч 00 мин", "2 ч 00 мин")

    # Each download is audited with who took it (issue 13, item 7); the page view is not.
    from subscribers.models import AuditEntry

    downloads = AuditEntry.objects.filter(action="report.download").order_by("pk")
    assert [(e.actor_id, e.data["report"], e.data["format"]) for e in downloads] == [
        (operator_engineer.pk, "sla", "csv"),
        (operator_engineer.pk, "sla", "xlsx"),
    ]


def test_accountant_cannot_reply(staff_client, staff_accountant):
    ticket = open_ticket()
    response = staff_client(staff_accountant).post(
        reverse("admin:support_ticket_reply", args=[ticket.pk]), {"text": "Ответ"}
    )
    assert response.status_code == 403
    assert Ticket.objects.get().messages.count() == 1

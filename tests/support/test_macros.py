"""Macros (issue 13, item 3): a reply with placeholders, a status and an assignee in one step,
previewed before it is sent, applied through the ticket services; consultants only on their
firm's tickets; unknown placeholders refused when the macro is saved."""

import hashlib
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import OutboxMessage
from subscribers.models import AuditEntry
from support import macros
from support.models import (
    Category,
    Macro,
    MacroAssignee,
    MacroStatus,
    MessageAuthor,
    PartnerAssignment,
    TicketStatus,
)
from tests.conftest import at
from tests.factories import PartnerFirmFactory, SubscriberFactory
from tests.support.factories import MacroFactory, give_quotas, open_ticket

pytestmark = pytest.mark.django_db


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def ticket(travel, operator_engineer):
    travel(at(date(2026, 12, 1), 10))  # a Tuesday; technical: 8 hours round the clock
    ticket = open_ticket(category=Category.TECHNICAL, subject="Ошибка при входе")
    ticket.opened_by.full_name = "Айгуль Серикова"
    ticket.opened_by.save(update_fields=["full_name"])
    return ticket


@pytest.fixture
def macro():
    return MacroFactory(
        name="Принять и уточнить",
        body=(
            "Здравствуйте, {имя клиента}! Обращение № {номер обращения} «{тема}» ({абонент}) "
            "принято, ответим до {срок реакции}. {сотрудник}"
        ),
        set_status=MacroStatus.IN_PROGRESS,
        assignee_rule=MacroAssignee.ME,
    )


def test_placeholders_render_name_number_subject_and_the_deadline_in_almaty_time(
    ticket, operator_engineer
):
    operator_engineer.full_name = "Ержан Инженеров"
    assert ticket.reaction_due_at == at(date(2026, 12, 1), 18)
    text = macros.render(
        "{имя клиента}|{NAME}|{ номер  обращения }|{number}|{тема}|{абонент}|{срок реакции}|"
        "{deadline}|{сотрудник}|{{буквально}}",
        ticket=ticket,
        actor=operator_engineer,
    )
    assert text.split("|") == [
        "Айгуль Серикова",
        "Айгуль Серикова",
        str(ticket.pk),
        str(ticket.pk),
        "Ошибка при входе",
        str(ticket.subscriber),
        "01.12.2026 18:00",  # 13:00 UTC
        "01.12.2026 18:00",
        "Ержан Инженеров",
        "{буквально}",
    ]


def test_a_call_without_a_member_is_addressed_by_the_callers_name(travel, operator_engineer):
    travel(at(date(2026, 12, 1), 10))
    call = open_ticket(
        channel="phone", opened_by=None, sender_name="Пётр", sender_phone="+77011234567"
    )
    assert macros.render("{имя клиента}", ticket=call, actor=operator_engineer) == "Пётр"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Здравствуйте, {имя}!", "Неизвестная подстановка {имя}"),
        ("Срок: {срок}", "Неизвестная подстановка {срок}"),
        ("Скобка { без пары", "Фигурная скобка без пары"),
        ("Скобка } без пары", "Фигурная скобка без пары"),
    ],
)
def test_an_unknown_placeholder_is_refused_in_russian(body, expected):
    errors = macros.placeholder_errors(body)
    assert errors and errors[0].startswith(expected)
    assert macros.placeholder_errors("{{тема}} и {тема}") == []


def test_the_macro_admin_refuses_an_unknown_placeholder_and_saves_nothing(
    staff_client, operator_engineer
):
    response = staff_client(operator_engineer).post(
        reverse("admin:support_macro_add"),
        {"name": "Плохой", "body": "Здравствуйте, {клиент}!", "set_status": "", "sort_order": 0},
    )
    assert response.status_code == 200
    assert "Неизвестная подстановка {клиент}" in response.content.decode()
    assert not Macro.objects.filter(name="Плохой").exists()


def test_the_macro_admin_page_lists_the_placeholders(staff_client, operator_engineer):
    response = staff_client(operator_engineer).get(reverse("admin:support_macro_add"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "{имя клиента}" in page and "{срок реакции}" in page and "время Алматы" in page


def test_the_seeded_macros_render_and_replace_the_canned_replies():
    seeded = Macro.objects.filter(is_active=True)
    assert {"Запросить подробности", "Принято в работу", "Вопрос решён"} <= {m.name for m in seeded}
    for macro in seeded:
        macro.full_clean()  # every placeholder known


def test_the_ticket_page_and_the_reply_page_offer_the_macros(
    staff_client, operator_engineer, ticket, macro
):
    client = staff_client(operator_engineer)
    for name in ("support_ticket_change", "support_ticket_reply"):
        page = client.get(reverse(f"admin:{name}", args=[ticket.pk])).content.decode()
        assert reverse("admin:support_ticket_macro", args=[ticket.pk]) in page
        assert "Принять и уточнить" in page


def test_the_preview_shows_the_rendered_reply_status_and_assignee_and_sends_nothing(
    staff_client, operator_engineer, ticket, macro
):
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    sent, owed = len(mail.outbox), OutboxMessage.objects.count()
    response = staff_client(operator_engineer).get(url, {"macro": macro.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Здравствуйте, Айгуль Серикова! Обращение № {ticket.pk}" in page
    assert "ответим до 01.12.2026 18:00" in page
    assert ticket.opened_by.email in page  # to whom it goes
    assert "Принять в работу" in page  # the status it sets
    assert operator_engineer.display_name in page  # the assignee
    assert not ticket.messages.filter(author_side=MessageAuthor.STAFF).exists()
    assert len(mail.outbox) == sent and OutboxMessage.objects.count() == owed


def test_apply_sends_the_reply_sets_status_and_assignee_and_audits_like_a_reply(
    staff_client, operator_engineer, ticket, macro, django_capture_on_commit_callbacks
):
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    preview = client.get(url, {"macro": macro.pk}).context
    text = preview["text"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"macro": macro.pk, "digest": preview["digest"]})
    assert response.status_code == 302
    message = ticket.messages.get(author_side=MessageAuthor.STAFF)
    assert message.body == text and not message.is_internal
    assert message.body.startswith("Здравствуйте, Айгуль Серикова!")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.assignee == operator_engineer
    assert ticket.reacted_at == at(date(2026, 12, 1), 10)
    # The email went through the outbox, as a manual reply's does.
    assert mail.outbox[-1].to == [ticket.opened_by.email]
    assert f"№ {ticket.pk}" in mail.outbox[-1].body
    actions = list(
        AuditEntry.objects.filter(target_id=str(ticket.pk)).values_list("action", flat=True)
    )
    for action in ("support.ticket_reply", "support.ticket_assign", "support.ticket_accept"):
        assert action in actions
    assert "support.ticket_macro" in actions


def test_a_macro_that_waits_and_keeps_the_assignee(
    staff_client, operator_engineer, ticket, django_capture_on_commit_callbacks
):
    from support.services import ticket_accept

    ticket_accept(ticket=ticket, actor=operator_engineer)
    waiting = MacroFactory(body="Пришлите снимок экрана.", set_status=MacroStatus.WAITING)
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"macro": waiting.pk, "digest": _digest("Пришлите снимок экрана.")})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert ticket.assignee == operator_engineer


def test_a_refused_step_undoes_the_whole_macro(
    staff_client, operator_engineer, ticket, partner_consultant
):
    # A technical ticket cannot go to a partner's consultant (4.1): nothing may be sent either.
    wrong = MacroFactory(
        body="Передаю партнёру.", assignee_rule=MacroAssignee.USER, assignee=partner_consultant
    )
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    owed = OutboxMessage.objects.count()
    response = client.post(
        url, {"macro": wrong.pk, "digest": _digest("Передаю партнёру.")}, follow=True
    )
    assert response.status_code == 200
    assert "Консультант работает у другого партнёра" in response.content.decode()
    assert not ticket.messages.filter(author_side=MessageAuthor.STAFF).exists()
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == TicketStatus.NEW
    # The reply's email was owed in the same transaction: rolled back with it. (Tests deliver
    # owed emails at once, so mail.outbox cannot tell.)
    assert OutboxMessage.objects.count() == owed


@pytest.mark.parametrize("value", ["", "abc", "999999", "inactive"])
def test_bad_macro_input_answers_in_russian_and_changes_nothing(
    staff_client, operator_engineer, ticket, value
):
    if value == "inactive":
        value = str(MacroFactory(is_active=False).pk)
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    for response in (
        client.get(url, {"macro": value}, follow=True),
        client.post(url, {"macro": value, "digest": "x"}, follow=True),
    ):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Выберите макрос" in page or "Такого макроса нет" in page
    assert not ticket.messages.filter(author_side=MessageAuthor.STAFF).exists()


def test_a_text_other_than_the_preview_is_not_sent(staff_client, operator_engineer, ticket, macro):
    client = staff_client(operator_engineer)
    url = reverse("admin:support_ticket_macro", args=[ticket.pk])
    response = client.post(url, {"macro": macro.pk, "digest": _digest("старый текст")})
    assert response.status_code == 200
    assert "проверьте" in response.content.decode()
    assert not ticket.messages.filter(author_side=MessageAuthor.STAFF).exists()


def test_edit_the_text_first_fills_the_reply_form(staff_client, operator_engineer, ticket, macro):
    url = reverse("admin:support_ticket_reply", args=[ticket.pk])
    page = staff_client(operator_engineer).get(url, {"macro": macro.pk}).content.decode()
    assert f"Здравствуйте, Айгуль Серикова! Обращение № {ticket.pk}" in page


def test_a_consultant_applies_macros_only_to_his_firms_tickets(
    staff_client, partner_consultant, partner_firm, travel, django_capture_on_commit_callbacks
):
    travel(at(date(2026, 12, 1), 10))
    mine, theirs = SubscriberFactory(), SubscriberFactory()
    for subscriber, firm in ((mine, partner_firm), (theirs, PartnerFirmFactory())):
        give_quotas(subscriber)
        PartnerAssignment.objects.create(subscriber=subscriber, partner_firm=firm)
    my_ticket = open_ticket(mine, category=Category.METHODOLOGICAL)
    their_ticket = open_ticket(theirs, category=Category.METHODOLOGICAL)
    macro = MacroFactory(body="Ответим до {срок реакции}.", assignee_rule=MacroAssignee.ME)
    client = staff_client(partner_consultant)

    for method in ("get", "post"):
        url = reverse("admin:support_ticket_macro", args=[their_ticket.pk])
        response = getattr(client, method)(url, {"macro": macro.pk, "digest": "x"})
        assert response.status_code == 404
    assert not their_ticket.messages.filter(author_side=MessageAuthor.STAFF).exists()

    url = reverse("admin:support_ticket_macro", args=[my_ticket.pk])
    preview = client.get(url, {"macro": macro.pk}).context
    text = preview["text"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"macro": macro.pk, "digest": preview["digest"]}).status_code == 302
    my_ticket.refresh_from_db()
    assert my_ticket.assignee == partner_consultant
    assert my_ticket.messages.filter(author_side=MessageAuthor.STAFF, body=text).exists()


def test_a_consultant_reads_the_macros_but_does_not_edit_them(
    staff_client, partner_consultant, macro
):
    client = staff_client(partner_consultant)
    assert client.get(reverse("admin:support_macro_changelist")).status_code == 200
    assert (
        client.post(
            reverse("admin:support_macro_change", args=[macro.pk]),
            {"name": "Взломан", "body": "x", "sort_order": 0},
        ).status_code
        == 403
    )

"""The support desk in the admin: the phone form (renders, validates in Russian, saves nothing on
error), the queue's views (closed hidden unless asked), bulk actions through the services, the
search, and the changelist's query count."""

from datetime import date

import pytest
from django.urls import reverse

from support.models import Category, Channel, Ticket, TicketStatus
from support.services import ticket_close
from tests.conftest import at
from tests.factories import SubscriberFactory
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db

PHONE = reverse("admin:support_ticket_phone")
QUEUE = reverse("admin:support_ticket_changelist")


def test_add_ticket_is_the_phone_form_and_it_renders(staff_client, operator_engineer):
    client = staff_client(operator_engineer)
    response = client.get(reverse("admin:support_ticket_add"))
    assert response.status_code == 302 and response["Location"] == PHONE
    page = client.get(PHONE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="subscriber"' in html and "admin-autocomplete" in html
    assert 'name="caller_phone"' in html


def test_invalid_phone_call_shows_russian_errors_and_saves_nothing(staff_client, operator_engineer):
    client = staff_client(operator_engineer)
    subscriber = SubscriberFactory()
    response = client.post(
        PHONE,
        {
            "subscriber": subscriber.pk,
            "caller_name": "",
            "caller_phone": "позвоните",
            "category": Category.TECHNICAL,
            "subject": "Не работает",
            "text": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Обязательное поле." in html
    assert "Укажите номер телефона с кодом" in html
    assert Ticket.objects.count() == 0


def test_phone_call_over_the_quota_is_refused_on_the_form(staff_client, operator_engineer):
    subscriber = SubscriberFactory()  # no tariff: no methodological requests (4.4)
    response = staff_client(operator_engineer).post(
        PHONE,
        {
            "subscriber": subscriber.pk,
            "caller_name": "Асель",
            "caller_phone": "+7 701 123 45 67",
            "category": Category.METHODOLOGICAL,
            "subject": "Как начислить отпуск",
            "text": "Вопрос по отпускным.",
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_phone_call_is_registered(staff_client, operator_engineer):
    subscriber = SubscriberFactory()
    response = staff_client(operator_engineer).post(
        PHONE,
        {
            "subscriber": subscriber.pk,
            "caller_name": "Асель",
            "caller_phone": "+7 701 123 45 67",
            "category": Category.TECHNICAL,
            "subject": "Не открывается база",
            "text": "Ошибка при входе.",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.sender_phone, ticket.subscriber) == (
        Channel.PHONE,
        "+7 701 123 45 67",
        subscriber,
    )


def test_queue_hides_closed_tickets_unless_asked(staff_client, operator_engineer):
    open_one = open_ticket(subject="Открытое")
    closed = open_ticket(subject="Закрытое")
    ticket_close(ticket=closed, actor=operator_engineer)
    client = staff_client(operator_engineer)
    page = client.get(QUEUE).content.decode()
    assert open_one.subject in page and closed.subject not in page
    everything = client.get(QUEUE, {"queue": "all"}).content.decode()
    assert closed.subject in everything
    by_status = client.get(QUEUE, {"status__exact": TicketStatus.CLOSED}).content.decode()
    assert closed.subject in by_status and open_one.subject not in by_status


def test_mine_and_unassigned_views_and_bulk_assign_to_me(staff_client, operator_engineer):
    first, second = open_ticket(subject="Первое"), open_ticket(subject="Второе")
    client = staff_client(operator_engineer)
    assert "Первое" in client.get(QUEUE, {"queue": "unassigned"}).content.decode()
    response = client.post(
        QUEUE, {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {operator_engineer.pk}
    mine = client.get(QUEUE, {"queue": "mine"}).content.decode()
    assert "Первое" in mine and "Второе" in mine
    assert "Первое" not in client.get(QUEUE, {"queue": "unassigned"}).content.decode()


def test_bulk_assign_to_asks_whom_then_assigns(staff_client, operator_engineer, staff_admin):
    ticket = open_ticket()
    client = staff_client(operator_engineer)
    form = client.post(QUEUE, {"action": "assign_to", "_selected_action": [ticket.pk]})
    assert form.status_code == 200 and 'name="assignee"' in form.content.decode()
    client.post(
        QUEUE,
        {"action": "assign_to", "_selected_action": [ticket.pk], "assignee": staff_admin.pk},
    )
    ticket.refresh_from_db()
    assert ticket.assignee == staff_admin


def test_bulk_accept_goes_through_the_service(staff_client, operator_engineer):
    tickets = [open_ticket(), open_ticket()]
    staff_client(operator_engineer).post(
        QUEUE, {"action": "accept", "_selected_action": [t.pk for t in tickets]}
    )
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.IN_PROGRESS and ticket.reacted_at is not None


def test_search_by_number_subject_and_subscriber(staff_client, operator_engineer):
    acme = SubscriberFactory(name="ТОО «Рога и копыта»")
    mine = open_ticket(acme, subject="Не проводится документ")
    other = open_ticket(subject="Забыли пароль")
    client = staff_client(operator_engineer)
    by_number = client.get(QUEUE, {"q": f"#{mine.pk}"}).content.decode()
    assert mine.subject in by_number and other.subject not in by_number
    by_words = client.get(QUEUE, {"q": "документ проводится"}).content.decode()
    assert mine.subject in by_words and other.subject not in by_words
    by_name = client.get(QUEUE, {"q": "копыта"}).content.decode()
    assert mine.subject in by_name and other.subject not in by_name


def test_queue_query_count_does_not_grow_with_tickets(
    staff_client, operator_engineer, django_assert_num_queries, travel
):
    travel(at(date(2026, 11, 24), 10))
    for _ in range(30):
        open_ticket()
    client = staff_client(operator_engineer)
    client.get(QUEUE)  # sessions, calendars and content types are warm
    with django_assert_num_queries(9):  # the session from the cache (issue 16.4)
        assert client.get(QUEUE).status_code == 200


def test_ticket_page_shows_the_customer_with_links(staff_client, operator_engineer):
    from tests.infobases.factories import InfobaseFactory
    from tests.support.factories import give_quotas

    subscriber = SubscriberFactory(name="ТОО «Контекст»")
    tariff = give_quotas(subscriber)
    infobase = InfobaseFactory(subscriber=subscriber, name="Бухгалтерия Контекст")
    earlier = open_ticket(subscriber, subject="Прошлое обращение")
    ticket = open_ticket(subscriber, subject="Текущее обращение")
    client = staff_client(operator_engineer)
    page = client.get(reverse("admin:support_ticket_change", args=[ticket.pk]))
    html = page.content.decode()
    assert 'class="customer-context"' in html
    assert tariff.name in html and "Бухгалтерия Контекст" in html
    assert reverse("admin:infobases_infobase_change", args=[infobase.pk]) in html
    assert reverse("admin:support_ticket_change", args=[earlier.pk]) in html
    assert reverse("admin:subscribers_subscriber_change", args=[subscriber.pk]) in html


def test_reply_page_shows_the_conversation(staff_client, operator_engineer):
    ticket = open_ticket(text="Не могу войти в базу, пишет ошибку лицензии.")
    page = staff_client(operator_engineer).get(
        reverse("admin:support_ticket_reply", args=[ticket.pk])
    )
    html = page.content.decode()
    assert 'class="conversation"' in html
    assert "Не могу войти в базу, пишет ошибку лицензии." in html

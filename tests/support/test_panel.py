"""The subscriber's panel: list with status and promised reaction time, conversation with
attachments, reply, close, rate; users see their own tickets, managers all of the subscriber's."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from support.hooks import ticket_open_for_placement
from support.models import Category, Channel, TicketStatus
from support.services import ticket_reply
from tests.conftest import at
from tests.support.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_list_shows_status_and_promised_reaction_time(client, owner, subscriber, travel):
    travel(at(date(2026, 11, 27), 18))
    ticket = open_ticket(subscriber, opened_by=owner, category=Category.ACCESS, subject="Доступ")
    client.force_login(owner)
    page = client.get(reverse("support:index")).content.decode()
    assert "Доступ" in page
    assert "30.11.2026 17:00" in page
    assert ticket.get_status_display() in page


def test_list_query_count_does_not_grow(client, owner, subscriber, django_assert_num_queries):
    for _ in range(3):
        open_ticket(subscriber, opened_by=owner)
    client.force_login(owner)
    client.get(reverse("support:index"))  # the first request records the terms' first use (once)
    # user, memberships, the page of tickets, the quotas (the session from the cache)
    with django_assert_num_queries(4):
        client.get(reverse("support:index"))
    for _ in range(10):
        open_ticket(subscriber, opened_by=owner)
    # user, memberships, the page of tickets, the quotas (the session from the cache)
    with django_assert_num_queries(4):
        client.get(reverse("support:index"))


def test_plain_user_sees_only_own_tickets_manager_sees_all(client, owner, member, subscriber):
    mine = open_ticket(subscriber, opened_by=member, subject="Мой вопрос")
    owners = open_ticket(subscriber, opened_by=owner, subject="Вопрос владельца")
    client.force_login(member)
    page = client.get(reverse("support:index")).content.decode()
    assert "Мой вопрос" in page and "Вопрос владельца" not in page
    assert client.get(owners.get_absolute_url()).status_code == 404
    client.force_login(owner)
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_reply_close_and_rate(client, owner, subscriber, operator_engineer):
    ticket = open_ticket(subscriber, opened_by=owner)
    client.force_login(owner)
    # Nothing to rate before the support desk answers.
    client.post(reverse("support:ticket_rate", args=[ticket.pk]), {"rating": 5})
    ticket.refresh_from_db()
    assert ticket.rating is None
    ticket_reply(ticket=ticket, author=operator_engineer, text="Готово, проверьте.")
    client.post(reverse("support:ticket_reply", args=[ticket.pk]), {"text": "Спасибо, работает!"})
    client.post(reverse("support:ticket_close", args=[ticket.pk]))
    client.post(reverse("support:ticket_rate", args=[ticket.pk]), {"rating": 4, "comment": "ок"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.rating == 4
    assert ticket.messages.filter(body="Спасибо, работает!").exists()
    # The subscriber's message did not count as the reaction, the staff reply did.
    assert ticket.reacted_at == ticket.messages.get(author=operator_engineer).created_at


def test_attachment_download_only_for_the_tickets_members(client, owner, member, subscriber):
    ticket = open_ticket(
        subscriber, opened_by=owner, attachments=[ContentFile(b"log line", name="error.log")]
    )
    attachment = ticket.messages.get().attachments.get()
    client.force_login(owner)
    response = client.get(reverse("support:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"log line"
    client.force_login(member)  # a plain user who did not open it
    assert client.get(reverse("support:attachment", args=[attachment.pk])).status_code == 404


def test_placement_hook_opens_an_access_ticket_on_the_web_channel(subscriber, owner, travel):
    from tests.support.factories import InfobaseFactory

    travel(at(date(2026, 11, 27), 18))
    infobase = InfobaseFactory(subscriber=subscriber)
    ticket = ticket_open_for_placement(
        subscriber=subscriber,
        opened_by=owner,
        subject="Разместить базу",
        text="Загрузили .dt",
        infobase=infobase,
    )
    assert (ticket.category, ticket.channel, ticket.infobase) == (
        Category.ACCESS,
        Channel.WEB,
        infobase,
    )
    assert ticket.reaction_due_at == at(date(2026, 11, 30), 17)


def test_token_page_issues_and_revokes(client, owner, subscriber):
    from support.models import OneCFormToken
    from tests.support.factories import InfobaseFactory

    infobase = InfobaseFactory(subscriber=subscriber)
    client.force_login(owner)
    response = client.post(reverse("support:tokens"), {"infobase": infobase.pk})
    token = OneCFormToken.objects.get()
    assert token.prefix in response.content.decode()
    client.post(reverse("support:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_plain_user_cannot_issue_tokens(client, member):
    client.force_login(member)
    assert client.get(reverse("support:tokens")).status_code == 403


def test_attachment_on_object_storage_downloads_through_a_presigned_url(
    s3_storage, client, owner, subscriber
):
    import urllib.request

    ticket = open_ticket(
        subscriber, opened_by=owner, attachments=[ContentFile(b"log line", name="error.log")]
    )
    attachment = ticket.messages.get().attachments.get()
    stored = s3_storage["client"].get_object(
        Bucket=s3_storage["bucket"], Key=f"media/{attachment.file.name}"
    )
    assert stored["Body"].read() == b"log line"
    client.force_login(owner)
    response = client.get(reverse("support:attachment", args=[attachment.pk]))
    assert response.status_code == 302 and response["Location"].startswith(s3_storage["endpoint"])
    with urllib.request.urlopen(response["Location"], timeout=10) as answer:
        assert answer.read() == b"log line"
        assert 'filename="error.log"' in answer.headers["Content-Disposition"]


def test_the_list_writes_a_hostile_subject_as_text(client, owner, subscriber):
    """The list's rows are written in Python (support.views.ticket_rows), not by the template's
    autoescape: a subject is still text, never markup."""
    open_ticket(subscriber, opened_by=owner, subject='<script>alert("x")</script> & <b>жирный</b>')
    client.force_login(owner)
    page = client.get(reverse("support:index")).content.decode()
    assert "<script>alert" not in page and "<b>жирный</b>" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;жирный&lt;/b&gt;" in page
    )

"""The email channel (4.2): threading by headers and by tag (from the subscriber only), robots
dropped, duplicates ignored, unknown senders pointed to the panel, outbound Message-IDs kept."""

import pytest
from django.core import mail

from support.models import Channel, InboundMessage, MailDirection, Ticket, TicketMailId
from support.services import ticket_reply
from tests.factories import MembershipFactory, SubscriberFactory
from tests.support.factories import open_ticket
from tests.support.mime import raw_email

pytestmark = pytest.mark.django_db
Outcome = InboundMessage.Outcome


@pytest.fixture
def client_member(subscriber):
    return MembershipFactory(subscriber=subscriber, user__email="client@example.kz").user


def test_member_email_opens_a_ticket_with_the_email_channel(importer, client_member, subscriber):
    record, created = importer(raw_email(subject="Ошибка входа", message_id="<a1@example.kz>"))
    assert created and record.outcome == Outcome.OPENED
    ticket = record.ticket
    assert (ticket.channel, ticket.subscriber, ticket.opened_by) == (
        Channel.EMAIL,
        subscriber,
        client_member,
    )
    assert ticket.subject == "Ошибка входа"
    assert TicketMailId.objects.filter(
        ticket=ticket, message_id="<a1@example.kz>", direction=MailDirection.INBOUND
    ).exists()
    # The acknowledgement carries the tag and our stored Message-ID.
    ack = mail.outbox[-1]
    assert ticket.tag in ack.subject
    assert TicketMailId.objects.filter(
        ticket=ticket, direction=MailDirection.OUTBOUND, message_id=ack.extra_headers["Message-ID"]
    ).exists()


def test_reply_threads_by_in_reply_to_our_message_id(
    importer, client_member, operator_engineer, django_capture_on_commit_callbacks
):
    ticket = open_ticket(client_member.memberships.get().subscriber, opened_by=client_member)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(ticket=ticket, author=operator_engineer, text="Пришлите снимок экрана.")
    ours = mail.outbox[-1].extra_headers["Message-ID"]
    assert mail.outbox[-1].to == ["client@example.kz"]
    record, _created = importer(raw_email(subject="Re: что-то другое", in_reply_to=ours))
    assert record.outcome == Outcome.APPENDED and record.ticket == ticket
    assert ticket.messages.last().body.startswith("Здравствуйте")


def test_reply_threads_by_references_to_an_earlier_inbound_message(importer, client_member):
    first, _ = importer(raw_email(message_id="<first@example.kz>"))
    record, _ = importer(
        raw_email(
            sender="colleague@other.kz",
            subject="Дополнение",
            references="<unknown@x.kz> <first@example.kz>",
        )
    )
    assert record.outcome == Outcome.APPENDED and record.ticket == first.ticket


def test_subject_tag_threads_a_message_from_the_subscribers_member(importer, client_member):
    ticket = open_ticket(client_member.memberships.get().subscriber)
    record, _ = importer(raw_email(subject=f"Ещё вопрос [ONEbuh #{ticket.pk}]"))
    assert record.outcome == Outcome.APPENDED and record.ticket == ticket


def test_spoofed_tag_from_another_subscriber_is_not_threaded(importer, client_member):
    victim = open_ticket(SubscriberFactory())
    record, _ = importer(raw_email(subject=f"Re: [ONEbuh #{victim.pk}] дайте доступ"))
    assert record.ticket != victim
    assert victim.messages.count() == 1
    assert record.outcome == Outcome.OPENED
    assert record.ticket.subscriber == client_member.memberships.get().subscriber


def test_spoofed_tag_from_an_unknown_sender_adds_nothing(importer):
    victim = open_ticket(SubscriberFactory())
    record, _ = importer(raw_email(sender="evil@spam.kz", subject=f"[ONEbuh #{victim.pk}]"))
    assert record.outcome == Outcome.UNKNOWN_SENDER
    assert victim.messages.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.kz>"},
    ],
    ids=["auto-submitted", "x-autoreply", "precedence", "mailing-list"],
)
def test_auto_replies_and_mailing_lists_are_dropped(importer, client_member, headers):
    mail.outbox.clear()
    record, _ = importer(raw_email(headers=headers))
    assert record.outcome == Outcome.AUTOMATIC and record.ticket is None
    assert not Ticket.objects.exists()
    assert mail.outbox == []


def test_same_message_imported_twice_creates_nothing_new(importer, client_member):
    raw = raw_email(message_id="<dup@example.kz>")
    first, created = importer(raw)
    sent = len(mail.outbox)
    again, created_again = importer(raw)
    assert created and not created_again
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1 and first.ticket.messages.count() == 1
    assert len(mail.outbox) == sent


def test_unknown_sender_gets_a_polite_pointer_to_the_panel(importer):
    mail.outbox.clear()
    record, _ = importer(raw_email(sender="stranger@gmail.com", message_id="<s1@gmail.com>"))
    assert record.outcome == Outcome.UNKNOWN_SENDER
    assert not Ticket.objects.exists()
    (reply,) = mail.outbox
    assert reply.to == ["stranger@gmail.com"]
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "/support/new/" in reply.body


def test_attachments_are_kept_and_refused_types_noted(importer, client_member):
    record, _ = importer(
        raw_email(
            attachments=[
                ("screen.png", b"\x89PNG\r\n\x1a\n....", "image", "png"),
                ("virus.exe", b"MZ", "application", "octet-stream"),
            ]
        )
    )
    message = record.ticket.messages.get()
    assert [a.name for a in message.attachments.all()] == ["screen.png"]
    assert "virus.exe" in message.body

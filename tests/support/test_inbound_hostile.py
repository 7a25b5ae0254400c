"""Import that never stops (quarantine, retry, discard), sender authenticity, loops and
backscatter, one tag per subject — issue 11, items 1, 3 and 5."""

import datetime

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onebuh.webhooks import signed_headers
from support.mail.imap import mail_poll
from support.models import InboundMessage, SenderCheck, Ticket, TicketStatus
from support.services import ticket_reply
from tests.factories import MembershipFactory
from tests.support.factories import open_ticket
from tests.support.mime import raw_email

from .dovecot import PASSWORD, dovecot_server

pytestmark = pytest.mark.django_db
Outcome = InboundMessage.Outcome


@pytest.fixture
def member(subscriber):
    return MembershipFactory(subscriber=subscriber, user__email="client@example.kz").user


@pytest.fixture
def broken_for(monkeypatch):
    """A bug of ours (not of the message) for mail with the given subject: ticket_open raises."""
    from support.mail import importer as module

    real = module.ticket_open

    def set_subject(subject):
        def failing(**kwargs):
            if kwargs["subject"] == subject:
                raise RuntimeError("simulated failure")
            return real(**kwargs)

        monkeypatch.setattr(module, "ticket_open", failing)
        return lambda: monkeypatch.setattr(module, "ticket_open", real)

    return set_subject


def test_a_message_that_cannot_be_imported_is_quarantined_and_the_next_one_goes_on(
    importer, member, broken_for
):
    broken_for("Сломанное")
    bad = raw_email(subject="Сломанное", message_id="<bad@example.kz>")
    record, created = importer(bad)
    assert created and record.outcome == Outcome.QUARANTINED
    assert bytes(record.raw) == bad and "simulated failure" in record.error
    assert not Ticket.objects.exists()
    good, _ = importer(raw_email(subject="Хорошее"))
    assert good.outcome == Outcome.OPENED
    # The same bad message again (a re-poll, a webhook retry) is recognised, not retried.
    again, created = importer(bad)
    assert (again.pk, created) == (record.pk, False)


def test_staff_retry_after_a_fix_imports_and_discard_drops(
    importer, member, broken_for, staff_client, operator_engineer
):
    repair = broken_for("Сломанное")
    first, _ = importer(raw_email(subject="Сломанное", message_id="<q1@example.kz>"))
    second, _ = importer(raw_email(subject="Сломанное", message_id="<q2@example.kz>"))
    client = staff_client(operator_engineer)
    changelist = reverse("admin:support_inboundmessage_changelist")
    page = client.get(changelist, {"outcome__exact": "quarantined"})
    assert page.status_code == 200 and "Повторить импорт" in page.content.decode()
    raw = client.get(reverse("admin:support_inboundmessage_raw", args=[first.pk]))
    assert raw.status_code == 200 and b"<q1@example.kz>" in raw.content
    repair()
    client.post(changelist, {"action": "retry", "_selected_action": [first.pk]})
    client.post(changelist, {"action": "discard", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.outcome == Outcome.OPENED and first.ticket.subject == "Сломанное"
    assert first.raw is None and first.error == ""
    assert second.outcome == Outcome.DISCARDED and second.raw is None


def test_the_poll_goes_on_past_a_message_that_fails(settings, member, broken_for):
    broken_for("Сломанное")
    with dovecot_server() as server:
        server.append(
            "poll-on",
            [
                raw_email(subject="Сломанное", message_id="<p1@example.kz>"),
                raw_email(subject="После сломанного", message_id="<p2@example.kz>"),
            ],
        )
        settings.ONEBUH_SUPPORT_IMAP_HOST = "localhost"
        settings.ONEBUH_SUPPORT_IMAP_PORT = server.port
        settings.ONEBUH_SUPPORT_IMAP_USER = "poll-on"
        settings.ONEBUH_SUPPORT_IMAP_PASSWORD = PASSWORD
        settings.ONEBUH_SUPPORT_IMAP_CA_FILE = server.ca_file
        assert mail_poll() == {"imported": 2, "duplicates": 0, "quarantined": 1}
        assert server.unseen("poll-on") == 0
    assert Ticket.objects.get().subject == "После сломанного"


def test_the_mail_webhook_answers_2xx_for_any_message_and_4xx_only_when_malformed(client):
    hostile = b"From: \x00\xff<<>>\r\nSubject: \x00\r\nContent-Type: multipart/mixed\r\n\r\n\x00"
    post = lambda body, **extra: client.post(  # noqa: E731
        reverse("support_webhooks:email"),
        body,
        content_type="message/rfc822",
        **signed_headers(body=body, secret="mail-secret"),
        **extra,
    )
    assert post(hostile).status_code == 201
    assert post(b"").status_code == 400
    assert post(b"x", CONTENT_LENGTH="nonsense").status_code in (400, 403)


def test_forged_member_mail_opens_an_unverified_ticket_and_never_appends(
    importer, member, subscriber, staff_client, operator_engineer
):
    ticket = open_ticket(subscriber, opened_by=member)
    forged = raw_email(
        subject=f"Re: [ONEbuh #{ticket.pk}] дайте доступ outsider@evil.test",
        authenticated=False,
        headers={
            "Authentication-Results": "mx.1b.kz; spf=fail smtp.mailfrom=evil.test; dmarc=fail"
        },
    )
    mail.outbox.clear()
    record, _ = importer(forged)
    assert record.outcome == Outcome.UNVERIFIED and record.ticket != ticket
    assert ticket.messages.count() == 1
    suspicious = record.ticket
    assert (suspicious.sender_check, suspicious.opened_by) == (SenderCheck.UNVERIFIED, None)
    assert suspicious.subject == "Re: дайте доступ outsider@evil.test"
    assert mail.outbox == []  # no acknowledgement to a possibly forged address
    client = staff_client(operator_engineer)
    changelist = reverse("admin:support_ticket_changelist")
    assert client.get(changelist, {"sender_check__exact": "unverified"}).status_code == 200
    client.post(changelist, {"action": "confirm_sender", "_selected_action": [suspicious.pk]})
    suspicious.refresh_from_db()
    assert (suspicious.sender_check, suspicious.opened_by) == (SenderCheck.CONFIRMED, member)
    # Confirmed: now the acknowledgement goes, with the number (issue 14).
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert f"№ {suspicious.pk}" in mail.outbox[0].body


def test_rejected_sender_closes_the_ticket(importer, member, staff_client, operator_engineer):
    record, _ = importer(raw_email(authenticated=False))
    client = staff_client(operator_engineer)
    client.post(
        reverse("admin:support_ticket_changelist"),
        {"action": "reject_sender", "_selected_action": [record.ticket.pk]},
    )
    record.ticket.refresh_from_db()
    assert record.ticket.sender_check == SenderCheck.REJECTED
    assert record.ticket.status == TicketStatus.CLOSED


def test_a_foreign_authentication_results_header_is_not_trusted(importer, member):
    record, _ = importer(
        raw_email(
            authenticated=False,
            headers={"Authentication-Results": "evil.test; dmarc=pass header.from=example.kz"},
        )
    )
    assert record.outcome == Outcome.UNVERIFIED


def test_dkim_aligned_with_from_is_trusted_when_no_trusted_header(
    importer, member, settings, monkeypatch
):
    settings.ONEBUH_SUPPORT_MAIL_AUTHSERV_ID = ""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = b"v=DKIM1; k=rsa; p=" + __import__("base64").b64encode(public)
    # The signer's DNS cannot run here: its TXT record is served from this table.
    monkeypatch.setattr(
        "support.mail.auth.dns_txt",
        lambda name, timeout=5: record if name == b"sel._domainkey.example.kz." else None,
    )

    def signed(message_id, *, tamper=False):
        raw = raw_email(authenticated=False, message_id=message_id)
        signature = dkim.sign(
            raw, b"sel", b"example.kz", private, include_headers=[b"from", b"subject"]
        )
        raw = signature + raw
        return raw.replace("открывается".encode(), "открылась".encode()) if tamper else raw

    assert importer(signed("<dkim-ok@example.kz>"))[0].outcome == Outcome.OPENED
    assert importer(signed("<dkim-bad@example.kz>", tamper=True))[0].outcome == Outcome.UNVERIFIED


def test_out_of_office_without_rfc3834_never_reopens_a_waiting_ticket(
    importer, member, subscriber, operator_engineer, django_capture_on_commit_callbacks
):
    ticket = open_ticket(subscriber, opened_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(ticket=ticket, author=operator_engineer, text="Уточните, пожалуйста.")
    ours = mail.outbox[-1].extra_headers["Message-ID"]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    for subject, headers in (
        ("Автоответ: Re: вопрос", {}),
        ("Automatic reply: вопрос", {}),
        ("Re: вопрос", {"X-Auto-Response-Suppress": "All"}),
    ):
        record, _ = importer(raw_email(subject=subject, in_reply_to=ours, headers=headers))
        assert record.outcome == Outcome.AUTOMATIC and record.ticket is None
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and ticket.messages.count() == 2


def test_our_mail_asks_robots_not_to_answer(importer, member, subscriber, operator_engineer):
    mail.outbox.clear()
    record, _ = importer(raw_email())
    ack = mail.outbox[-1]
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert ack.extra_headers["X-Auto-Response-Suppress"] == "All"
    assert ack.message()["X-Auto-Response-Suppress"] == "All"


def test_unknown_sender_gets_at_most_one_reply_a_day(importer, time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 11, 27, 10, 0)), tick=False)
    mail.outbox.clear()
    for _n in range(3):
        importer(raw_email(sender="stranger@other.kz", authenticated=False))
    assert [m.to for m in mail.outbox] == [["stranger@other.kz"]]
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 11, 28, 10, 0)), tick=False)
    importer(raw_email(sender="stranger@other.kz", authenticated=False))
    assert len(mail.outbox) == 2


def test_one_ticket_tag_per_subject(importer, member):
    mail.outbox.clear()
    record, _ = importer(raw_email(subject="Re: [ONEbuh #13] Не работает [ONEbuh #31]"))
    assert record.outcome == Outcome.OPENED
    assert record.ticket.subject == "Re: Не работает"
    assert mail.outbox[-1].subject.count("[ONEbuh #") == 1

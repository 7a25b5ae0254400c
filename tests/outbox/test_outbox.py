"""The outbox: owed with the change, sent by the dispatcher, retried, leased, reaped."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from onebuh.emails import send_templated_email
from outbox.dispatcher import outbox_dispatch, outbox_retry
from outbox.models import OutboxMessage, OutboxState
from outbox.services import outbox_enqueue

pytestmark = pytest.mark.django_db


def _invite_email(to="new@example.kz"):
    return send_templated_email(
        template="operations-status-confirm",
        to=[to],
        context={"subscription": {"token": "t0k3n"}},
    )


class FlakyBackend:
    """A mail server that refuses the first `failures` messages (an SMTP peer cannot run here)."""

    failures = 0
    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FlakyBackend.sent.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    FlakyBackend.failures = 0
    FlakyBackend.sent = []
    return FlakyBackend


def test_an_email_is_owed_with_the_change_and_sent_by_the_dispatcher(real_outbox):
    message = _invite_email()
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.PENDING and not mail.outbox
    assert row.message_id == message.extra_headers["Message-ID"]
    assert outbox_dispatch()["messages"]["chunks"] == 1
    assert [m.to for m in mail.outbox] == [["new@example.kz"]]
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.attempts == 1 and row.sent_at is not None
    outbox_dispatch()
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_owes_no_email(real_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite_email()
        raise RuntimeError("the change failed")
    outbox_dispatch()
    assert not OutboxMessage.objects.exists() and not mail.outbox


def test_a_failed_send_is_retried_later_with_the_same_message_id(real_outbox, flaky):
    _invite_email()
    flaky.failures = 1
    outbox_dispatch()
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.PENDING and "SMTPServerDisconnected" in row.last_error
    assert row.available_at > timezone.now()
    outbox_dispatch()  # not due yet
    assert not flaky.sent
    with time_machine.travel(row.available_at + datetime.timedelta(seconds=1)):
        outbox_dispatch()
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.attempts == 2
    assert [m.extra_headers["Message-ID"] for m in flaky.sent] == [row.message_id]


def test_after_the_last_attempt_it_fails_for_staff_to_retry(real_outbox, flaky):
    _invite_email()
    OutboxMessage.objects.update(max_attempts=2)
    flaky.failures = 2
    outbox_dispatch()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        outbox_dispatch()
        row = OutboxMessage.objects.get()
        assert row.state == OutboxState.FAILED and row.attempts == 2
        outbox_dispatch()
        assert not flaky.sent
        assert outbox_retry(ids=[row.pk]) == 1
        outbox_dispatch()
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and len(flaky.sent) == 1


def test_a_row_whose_worker_died_is_sent_again_once_its_lease_runs_out(real_outbox):
    """A worker killed between the claim and the send: the row stays claimed until its lease
    runs out, then the next pass sends it, once, with the Message-ID fixed at enqueue time."""
    _invite_email()
    now = timezone.now()
    OutboxMessage.objects.update(
        state=OutboxState.SENDING,
        attempts=1,
        claimed_at=now,
        lease_until=now + datetime.timedelta(seconds=120),
    )
    assert outbox_dispatch()["messages"] == {"requeued": 0, "failed": 0, "chunks": 0}
    assert not mail.outbox
    with time_machine.travel(now + datetime.timedelta(seconds=121)):
        figures = outbox_dispatch()
    assert figures["messages"]["requeued"] == 1
    row = OutboxMessage.objects.get()
    assert row.state == OutboxState.SENT and row.attempts == 2
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [row.message_id]


def test_a_stale_chunk_leaves_rows_it_no_longer_holds(real_outbox):
    from outbox.dispatcher import outbox_deliver

    _invite_email()
    OutboxMessage.objects.update(
        state=OutboxState.SENDING, claim_token="00000000-0000-0000-0000-000000000001"
    )
    # The lease ran out and the dispatcher gave the row to another chunk (another token).
    assert outbox_deliver(token="00000000-0000-0000-0000-000000000002") == {
        "sent": 0,
        "retried": 0,
        "skipped": 0,
    }
    assert not mail.outbox


def test_the_same_dedupe_key_is_owed_once(real_outbox):
    first = outbox_enqueue(kind="infobases.delete_files", payload={"paths": []}, dedupe_key="k1")
    second = outbox_enqueue(kind="infobases.delete_files", payload={"paths": []}, dedupe_key="k1")
    assert first is not None and second is None
    assert OutboxMessage.objects.count() == 1


def test_an_unknown_kind_fails_in_the_caller():
    with pytest.raises(LookupError):
        outbox_enqueue(kind="nobody.handles.this", payload={})


def test_rows_go_out_in_chunks_one_task_each(
    real_outbox, settings, django_capture_on_commit_callbacks
):
    settings.ONEBUH_OUTBOX_CHUNK = 50
    for n in range(120):
        _invite_email(to=f"r{n}@example.kz")
    assert outbox_dispatch()["messages"]["chunks"] == 3
    assert len(mail.outbox) == 120
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 120


def test_in_flight_rows_limit_what_one_pass_claims(real_outbox, settings):
    settings.ONEBUH_OUTBOX_IN_FLIGHT = 10
    for n in range(25):
        _invite_email(to=f"r{n}@example.kz")
    outbox_dispatch()
    assert len(mail.outbox) == 10
    outbox_dispatch()
    outbox_dispatch()
    assert len(mail.outbox) == 25


def test_a_transactional_fan_out_runs_once_and_owes_one_row_per_recipient(real_outbox, subscriber):
    from operations.models import TechnicalWork, WorkKind

    now = timezone.now()
    work = TechnicalWork.objects.create(
        kind=WorkKind.UNPLANNED,
        title="Замена дисков",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        components=["web"],
        affects_all=True,
        announced_at=now,
    )
    outbox_enqueue(
        kind="operations.work_notify", payload={"work_id": work.pk, "event": "announced"}
    )
    outbox_dispatch()  # the fan-out: one email row per recipient, not sent yet in this pass
    emails = OutboxMessage.objects.filter(kind="email")
    assert emails.count() == 1
    outbox_dispatch()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [subscriber.responsible_email.lower()]
    outbox_dispatch()
    assert len(mail.outbox) == 1

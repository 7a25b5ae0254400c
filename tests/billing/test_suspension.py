import datetime
from decimal import Decimal

from django.core import mail

from billing.models import NoticeKind, PurgeRecord
from billing.services import (
    billing_reminders_send,
    billing_run,
    ledger_add_correction,
    payment_record,
    subscriber_suspend_manually,
    subscribers_purge_expired,
    subscribers_resume_settled,
    subscribers_suspend_overdue,
)
from outbox.dispatcher import outbox_dispatch
from subscribers.models import AuditEntry, SubscriberStateChange, SubscriberStatus, SuspensionReason
from tests.billing.conftest import NOV_1
from tests.billing.factories import SubscriptionFactory
from tests.conftest import at

DUE = datetime.date(2026, 11, 11)
Event = SubscriberStateChange.Event


def _events(subscriber):
    return list(subscriber.state_changes.order_by("at", "id").values_list("event", flat=True))


def _pay(subscriber, amount="30000.00", key="p"):
    return payment_record(
        subscriber=subscriber, amount=Decimal(amount), method="bank_transfer", external_id=key
    )


def test_not_suspended_on_the_due_date_itself(charged, subscriber, travel):
    travel(at(DUE, 23, 59))
    assert subscribers_suspend_overdue() == []
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_suspended_the_day_after_the_due_date(charged, subscriber, travel, sent_on_commit):
    travel(at(DUE + datetime.timedelta(days=1), 0, 20))
    with sent_on_commit():
        assert subscribers_suspend_overdue() == [subscriber.pk]
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.SUSPENDED
    assert subscriber.suspension_reason == SuspensionReason.NON_PAYMENT
    assert _events(subscriber) == [Event.SUSPENDED, Event.PURGE_SCHEDULED]
    assert [m.subject for m in mail.outbox][-1] == "ONEbuh: доступ приостановлен за неуплату"
    # A second pass does nothing new.
    assert subscribers_suspend_overdue() == []
    assert len(_events(subscriber)) == 2


def test_the_passes_leave_each_subscriber_its_own_audit_rows(charged, subscriber, travel):
    """The set-based passes go through the state machine like staff do: one audit row per
    subscriber and event, on that subscriber's trail (not one row with no subscriber)."""
    travel(at(DUE + datetime.timedelta(days=1), 0, 20))
    subscribers_suspend_overdue()
    _pay(subscriber)
    trail = AuditEntry.objects.filter(subscriber=subscriber, action__startswith="subscriber.")
    assert list(trail.order_by("id").values_list("action", flat=True)) == [
        "subscriber.suspended",
        "subscriber.purge_scheduled",
        "subscriber.purge_cancelled",
        "subscriber.resumed",
    ]


def test_a_paid_invoice_never_suspends(charged, subscriber, travel):
    _pay(subscriber)
    travel(at(DUE + datetime.timedelta(days=5), 9))
    assert subscribers_suspend_overdue() == []


def test_payment_after_suspension_restores_access(charged, subscriber, travel):
    travel(at(DUE + datetime.timedelta(days=3), 9))
    subscribers_suspend_overdue()
    _pay(subscriber, "10000.00", key="part")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.SUSPENDED  # A partial payment is not enough.
    _pay(subscriber, "20000.00", key="rest")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert _events(subscriber)[-2:] == [Event.PURGE_CANCELLED, Event.RESUMED]


def test_a_manual_suspension_is_not_lifted_by_payment(
    charged, subscriber, staff_accountant, travel
):
    subscriber_suspend_manually(
        subscriber=subscriber, reason="Нарушение лицензии (8.3)", actor=staff_accountant
    )
    _pay(subscriber)
    subscribers_resume_settled()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.SUSPENDED
    assert subscriber.suspension_reason == SuspensionReason.MANUAL
    change = subscriber.state_changes.get(event=Event.SUSPENDED)
    assert (change.cause, change.actor) == ("Нарушение лицензии (8.3)", staff_accountant)


def test_a_settling_correction_also_resumes(charged, subscriber, staff_accountant, travel):
    travel(at(DUE + datetime.timedelta(days=2), 9))
    subscribers_suspend_overdue()
    ledger_add_correction(
        subscriber=subscriber,
        account="money",
        amount=Decimal("30000.00"),
        reason="Зачёт переплаты по договору",
        actor=staff_accountant,
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def _suspend(subscriber, travel):
    suspended_at = travel(at(DUE + datetime.timedelta(days=1), 0, 20))
    subscribers_suspend_overdue()
    outbox_dispatch()  # what the pass owes goes out, as after its commit
    return suspended_at


def test_purge_after_30_days_and_not_at_29(charged, subscriber, travel):
    suspended_at = _suspend(subscriber, travel)
    travel(suspended_at + datetime.timedelta(days=29, hours=23))
    assert subscribers_purge_expired() == []
    travel(suspended_at + datetime.timedelta(days=30))
    assert subscribers_purge_expired() == [subscriber.pk]
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PURGED
    record = PurgeRecord.objects.get(subscriber=subscriber)
    assert record.rule.startswith("3.6")
    # What the infobase layer reported deleting, and what the operator keeps.
    assert "infobases" in record.deleted["infobase_layer"]
    assert "ledger" in record.deleted["kept"]
    assert subscribers_purge_expired() == []


def test_purge_keeps_the_ledger_invoices_and_registration_data(charged, subscriber, travel):
    suspended_at = _suspend(subscriber, travel)
    travel(suspended_at + datetime.timedelta(days=31))
    subscribers_purge_expired()
    subscriber.refresh_from_db()
    assert subscriber.invoices.get() == charged
    assert subscriber.ledger_entries.count() == 1
    assert subscriber.bin and subscriber.responsible_email
    assert _events(subscriber)[-1] == Event.PURGED


def test_a_manual_suspension_is_never_purged(charged, subscriber, staff_admin, travel):
    subscriber_suspend_manually(subscriber=subscriber, reason="Проверка", actor=staff_admin)
    travel(at(DUE + datetime.timedelta(days=45), 9))
    subscribers_suspend_overdue()
    assert subscribers_purge_expired() == []


def test_warnings_seven_days_and_one_day_before_the_purge_then_a_deletion_notice(
    charged, subscriber, travel, sent_on_commit
):
    suspended_at = _suspend(subscriber, travel)
    mail.outbox.clear()
    for days in (20, 23, 24, 25, 28, 29, 29):
        travel(suspended_at + datetime.timedelta(days=days))
        with sent_on_commit():
            billing_reminders_send()
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2, subjects
    assert all("будут удалены" in s for s in subjects)
    travel(suspended_at + datetime.timedelta(days=30))
    with sent_on_commit():
        subscribers_purge_expired()
    assert mail.outbox[-1].subject == "ONEbuh: ваши данные удалены"


def test_a_reminder_three_days_before_the_due_date(charged, subscriber, travel, sent_on_commit):
    mail.outbox.clear()
    travel(at(DUE - datetime.timedelta(days=4), 9))
    with sent_on_commit():
        billing_reminders_send()
    assert not mail.outbox
    travel(at(DUE - datetime.timedelta(days=3), 9))
    with sent_on_commit():
        billing_reminders_send()
        billing_reminders_send()
    assert len(mail.outbox) == 1
    assert charged.display_number in mail.outbox[0].subject


def _overdue_subscribers(count):
    SubscriptionFactory.create_batch(count, billable_from=datetime.date(2026, 11, 1))


def test_the_passes_take_a_fixed_number_of_queries(
    db, travel, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Set-based: the same queries for 3 subscribers as for 30."""
    travel(NOV_1)
    for count in (3, 30):
        _overdue_subscribers(count)
        travel(NOV_1)
        billing_run()
        suspended_at = travel(at(DUE + datetime.timedelta(days=1), 9))
        # +2 since promised payments: the lapsed-promise clock UPDATE and the purge dates read;
        # +2 since the state machine: the audit rows of the suspension and of the purge date.
        with django_assert_num_queries(19):
            assert len(subscribers_suspend_overdue()) == count
        travel(suspended_at + datetime.timedelta(days=30))
        # The purge includes the infobase layer's own set-based deletes (+1 since the state
        # machine: the purge's audit rows; +2 since copies to the customer's own bucket: the
        # copies' and the storages' deletes).
        with django_assert_num_queries(27):
            assert len(subscribers_purge_expired()) == count


def test_the_resume_pass_takes_a_fixed_number_of_queries(
    db, travel, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db.models import F

    from billing.models import Invoice, InvoiceStatus

    travel(NOV_1)
    for count in (3, 30):
        _overdue_subscribers(count)
        travel(NOV_1)
        billing_run()
        travel(at(DUE + datetime.timedelta(days=1), 9))
        ids = subscribers_suspend_overdue()
        # Settled outside the payment service, so that only the pass resumes them.
        Invoice.objects.filter(subscriber_id__in=ids).update(
            paid_amount=F("amount_due"), status=InvoiceStatus.PAID
        )
        # +2 since the state machine: the audit rows of the resumption and the purge cancelled.
        with django_assert_num_queries(12):
            assert len(subscribers_resume_settled()) == count


def test_notices_are_recorded_once(charged, subscriber, travel):
    from billing.models import BillingNotice

    travel(at(DUE + datetime.timedelta(days=1), 9))
    subscribers_suspend_overdue()
    subscribers_suspend_overdue()
    kinds = sorted(
        BillingNotice.objects.filter(subscriber=subscriber).values_list("kind", flat=True)
    )
    assert kinds == sorted(
        [NoticeKind.INVOICE_ISSUED, NoticeKind.INVOICE_OVERDUE, NoticeKind.SUSPENDED]
    )


def test_each_periodic_task_is_also_a_management_command(charged, subscriber, travel):
    from io import StringIO

    from django.core.management import call_command

    travel(at(DUE + datetime.timedelta(days=1), 9))
    out = StringIO()
    call_command("billing_suspend", stdout=out)
    assert out.getvalue().strip().endswith(": 1")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.SUSPENDED
    for command in ("billing_run", "billing_resume", "billing_purge", "billing_remind"):
        call_command(command, stdout=StringIO())


def test_a_month_while_suspended_is_not_charged_and_a_resume_pays_from_that_day(
    charged, subscriber, travel
):
    travel(at(DUE + datetime.timedelta(days=1), 9))
    subscribers_suspend_overdue()
    travel(at(datetime.date(2026, 12, 1), 0, 10))
    assert billing_run() == []  # Suspended on the 1st: no December charge.
    travel(at(datetime.date(2026, 12, 16), 9))
    _pay(subscriber)
    (december,) = billing_run()
    assert december.period_start == datetime.date(2026, 12, 16)
    assert december.total == Decimal("15483.87")  # 30 000 × 16 / 31 days.


def test_the_purge_revokes_the_members_api_tokens(charged, subscriber, owner, travel):
    """Issue 18: the purge ends what the memberships granted, API tokens included."""
    from api.models import ApiToken
    from api.services import api_token_create

    token, _raw = api_token_create(
        membership=owner.memberships.get(subscriber=subscriber), name="Интеграция", scope="read"
    )
    suspended_at = _suspend(subscriber, travel)
    travel(suspended_at + datetime.timedelta(days=30))
    assert subscribers_purge_expired() == [subscriber.pk]
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None

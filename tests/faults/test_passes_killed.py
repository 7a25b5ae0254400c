"""Workers SIGKILLed right after the commit of the suspension and purge passes (before anything
after the commit runs: the worker runs with ONEBUH_OUTBOX_KICK=0, which is what a kill at that
instant leaves). A new worker and the dispatcher then finish every owed effect."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from billing.models import PurgeRecord
from billing.services import billing_run, subscribers_suspend_overdue
from infobases.models import Backup, Infobase, Operation, OperationStatus
from infobases.provisioning.local import LocalDriver
from outbox.models import OutboxMessage, OutboxState
from subscribers.models import Subscriber, SubscriberStatus
from tests.billing.factories import SubscriptionFactory, TariffFactory
from tests.conftest import at
from tests.infobases.factories import InfobaseFactory

from .harness import manage, send_task, sent_mail, wait_for

pytestmark = pytest.mark.faults

SUBSCRIBERS = 120
INFOBASES_EACH = 2


def _operations():
    return dict(Operation.objects.values_list("status").annotate(n=Count("pk")).order_by())


def _outbox():
    return {
        f"{kind}:{state}": n
        for kind, state, n in OutboxMessage.objects.values_list("kind", "state")
        .annotate(n=Count("pk"))
        .order_by()
    }


def _owed_done():
    return (
        not Operation.objects.filter(
            status__in=[OperationStatus.QUEUED, OperationStatus.RUNNING]
        ).exists()
        and not OutboxMessage.objects.filter(
            state__in=[OutboxState.PENDING, OutboxState.SENDING]
        ).exists()
    )


def _subscribers_with_infobases(*, billable_from: datetime.date):
    tariff = TariffFactory(monthly_fee=Decimal("30000.00"))
    driver = LocalDriver()
    subscriptions = SubscriptionFactory.create_batch(
        SUBSCRIBERS, tariff=tariff, billable_from=billable_from
    )
    for subscription in subscriptions:
        for _ in range(INFOBASES_EACH):
            infobase = InfobaseFactory(subscriber=subscription.subscriber)
            driver.create(ref=infobase.ref, template="", restore_from=None)
            driver.publish(ref=infobase.ref)
    return [s.subscriber_id for s in subscriptions]


def test_suspension_pass_killed_after_its_commit(rig):
    ids = _subscribers_with_infobases(billable_from=datetime.date(2026, 11, 1))
    with time_machine.travel(at(datetime.date(2026, 11, 1), 9), tick=False):
        billing_run()  # invoices due 11 November; today (real time) is later
    emails_before = len(sent_mail(rig.mail_dir))
    first = rig.worker(ONEBUH_OUTBOX_KICK=0)
    send_task(rig.env(), "billing.tasks.billing_suspend_overdue")
    wait_for(
        lambda: (
            Subscriber.objects.filter(pk__in=ids, status=SubscriberStatus.SUSPENDED).count()
            == len(ids)
        ),
        timeout=120,
        what="the suspension pass to commit",
    )
    first.kill()
    before = {"operations": _operations(), "outbox": _outbox()}
    assert before["operations"] == {"queued": SUBSCRIBERS * INFOBASES_EACH}

    rig.worker()
    manage(rig.env(), "outbox_dispatch")
    wait_for(_owed_done, timeout=240, what="every owed operation and email", every=0.5)
    sent = sent_mail(rig.mail_dir)
    after = {"operations": _operations(), "outbox": _outbox(), "emails_sent": len(sent)}
    rig.record("suspension", subscribers=len(ids), before=before, after=after)

    assert after["operations"] == {"done": SUBSCRIBERS * INFOBASES_EACH}
    owed = set(OutboxMessage.objects.filter(kind="email").values_list("message_id", flat=True))
    assert len(owed) >= SUBSCRIBERS  # a suspension notice each
    assert set(sent) == owed and len(sent) == len(owed) + emails_before
    driver = LocalDriver()
    assert all(
        driver.meta(ref)["blocked"]
        for ref in Infobase.objects.filter(subscriber_id__in=ids).values_list("ref", flat=True)
    )


def test_purge_pass_killed_after_its_commit(rig):
    ids = _subscribers_with_infobases(billable_from=datetime.date(2026, 9, 1))
    with time_machine.travel(at(datetime.date(2026, 9, 1), 9), tick=False):
        billing_run()
    with time_machine.travel(at(datetime.date(2026, 9, 12), 1), tick=False):
        subscribers_suspend_overdue()  # (its owed work runs here, in this process)
    files = []
    for infobase in Infobase.objects.filter(subscriber_id__in=ids):
        backup = Backup.objects.create(
            subscriber_id=infobase.subscriber_id,
            infobase=infobase,
            kind="daily",
            status="done",
            completed_at=timezone.now(),
            file=f"backups/{infobase.subscriber_id}/{infobase.ref}/20260911-010000-{infobase.pk}.dt",
        )
        path = rig.data_dir / backup.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x05\x06" + b"\0" * 18)
        files.append(path)
    OutboxMessage.objects.all().delete()
    Operation.objects.all().delete()

    first = rig.worker(ONEBUH_OUTBOX_KICK=0)
    send_task(rig.env(), "billing.tasks.billing_purge_expired")
    wait_for(
        lambda: PurgeRecord.objects.filter(subscriber_id__in=ids).count() == len(ids),
        timeout=120,
        what="the purge pass to commit",
    )
    first.kill()
    before = {
        "operations": _operations(),
        "outbox": _outbox(),
        "files_on_disk": sum(path.exists() for path in files),
    }
    assert before["files_on_disk"] == len(files)

    rig.worker()
    manage(rig.env(), "outbox_dispatch")
    wait_for(_owed_done, timeout=240, what="every owed operation and deletion", every=0.5)
    after = {
        "operations": _operations(),
        "outbox": _outbox(),
        "files_on_disk": sum(path.exists() for path in files),
        "infobase_folders_left": sum(
            (rig.data_dir / "local-cluster" / ref).exists()
            for ref in Operation.objects.values_list("params__ref", flat=True)
        ),
    }
    rig.record("purge", subscribers=len(ids), files=len(files), before=before, after=after)
    assert after["operations"] == {"done": SUBSCRIBERS * INFOBASES_EACH}
    assert after["files_on_disk"] == 0 and after["infobase_folders_left"] == 0
    assert not list(rig.data_dir.rglob("*.dt"))

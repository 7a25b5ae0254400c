"""The operations queue: operations are rows sent to the workers in chunks by the dispatcher;
a dead worker's operation comes back after its lease (or fails after its attempts), its .part
files go, and staff retry failed and stuck ones."""

import datetime
import os

import pytest
import time_machine
from django.utils import timezone

from infobases.hooks import infobases_block_for_subscribers
from infobases.models import Operation, OperationKind, OperationStatus
from infobases.services import operation_retry
from infobases.services.dispatch import operations_run_chunk
from outbox.dispatcher import outbox_dispatch
from tests.factories import SubscriberFactory
from tests.infobases.factories import InfobaseFactory

pytestmark = pytest.mark.django_db


def _blocks(count, subscriber=None):
    subscriber = subscriber or SubscriberFactory()
    for _ in range(count):
        InfobaseFactory(subscriber=subscriber)
    infobases_block_for_subscribers(subscriber_ids=[subscriber.pk], reason="3.5")
    return subscriber


def test_queued_operations_wait_for_the_dispatcher_and_go_in_chunks(settings, local_driver):
    settings.ONEBUH_OPERATIONS_CHUNK = 20
    subscriber = SubscriberFactory()
    for ref in range(45):
        local_driver.create(ref=f"b{ref}", template="", restore_from=None)
        InfobaseFactory(subscriber=subscriber, ref=f"b{ref}")
    infobases_block_for_subscribers(subscriber_ids=[subscriber.pk], reason="3.5")
    # The commit's kick did not happen (the worker died right after it): they wait, queued.
    assert Operation.objects.filter(status=OperationStatus.QUEUED).count() == 45
    figures = outbox_dispatch()["operations"]
    assert figures["chunks"] == 3
    assert Operation.objects.filter(status=OperationStatus.DONE).count() == 45
    assert not Operation.objects.filter(dispatch_token__isnull=False).exists()


def test_in_flight_operations_limit_a_pass(settings, local_driver):
    settings.ONEBUH_OPERATIONS_IN_FLIGHT = 10
    subscriber = SubscriberFactory()
    for ref in range(15):
        local_driver.create(ref=f"c{ref}", template="", restore_from=None)
        InfobaseFactory(subscriber=subscriber, ref=f"c{ref}")
    Operation.objects.create(
        subscriber=subscriber,
        kind=OperationKind.BLOCK,
        params={"ref": "c0", "message": "x"},
        status=OperationStatus.RUNNING,
        lease_until=timezone.now() + datetime.timedelta(minutes=2),
    )
    infobases_block_for_subscribers(subscriber_ids=[subscriber.pk], reason="3.5")
    outbox_dispatch()
    assert Operation.objects.filter(status=OperationStatus.DONE).count() == 9


def test_a_dead_workers_operation_is_queued_again_after_its_lease_and_runs(local_driver):
    local_driver.create(ref="d1", template="", restore_from=None)
    infobase = InfobaseFactory(ref="d1")
    op = Operation.objects.create(
        subscriber=infobase.subscriber,
        infobase=infobase,
        kind=OperationKind.BLOCK,
        params={"ref": "d1", "message": "3.5"},
        status=OperationStatus.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        lease_until=timezone.now() + datetime.timedelta(seconds=120),
    )
    assert outbox_dispatch()["operations"]["requeued"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=121)):
        figures = outbox_dispatch()["operations"]
    assert figures["requeued"] == 1 and figures["chunks"] == 1
    op.refresh_from_db()
    assert op.status == OperationStatus.DONE and op.attempts == 2
    assert local_driver.meta("d1")["blocked"] is True


def test_after_its_last_attempt_a_dead_backup_fails_readably_and_its_part_file_goes(
    infobases_dir, settings
):
    settings.ONEBUH_LEASE_SECONDS = 120
    infobase = InfobaseFactory(ref="e1")
    op = Operation.objects.create(
        subscriber=infobase.subscriber,
        infobase=infobase,
        kind=OperationKind.BACKUP,
        params={"ref": "e1", "backup_id": 0},
        status=OperationStatus.RUNNING,
        attempts=3,
        max_attempts=3,
        lease_until=timezone.now() + datetime.timedelta(seconds=120),
    )
    folder = infobases_dir / "backups" / str(infobase.subscriber_id) / "e1"
    folder.mkdir(parents=True)
    part = folder / "20261129-010000-7.dt.part"
    part.write_bytes(b"\0" * 1024)
    done = folder / "20261128-010000-6.dt"
    done.write_bytes(b"PK")
    old = (timezone.now() - datetime.timedelta(minutes=5)).timestamp()
    os.utime(part, (old, old))
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=121)):
        figures = outbox_dispatch()["operations"]
    assert figures["failed"] == 1 and figures["parts"] == 1
    assert not part.exists() and done.exists()
    op.refresh_from_db()
    assert op.status == OperationStatus.FAILED and "3" in op.message and op.lease_until is None


def test_a_chunk_that_never_started_is_sent_again(local_driver):
    local_driver.create(ref="f1", template="", restore_from=None)
    infobase = InfobaseFactory(ref="f1")
    op = Operation.objects.create(
        subscriber=infobase.subscriber,
        infobase=infobase,
        kind=OperationKind.BLOCK,
        params={"ref": "f1", "message": "x"},
        dispatched_at=timezone.now(),
        dispatch_token="00000000-0000-0000-0000-00000000000a",
        lease_until=timezone.now() + datetime.timedelta(minutes=15),
    )
    outbox_dispatch()
    op.refresh_from_db()
    assert op.status == OperationStatus.QUEUED  # its chunk may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        figures = outbox_dispatch()["operations"]
    assert figures["resent"] == 1
    op.refresh_from_db()
    assert op.status == OperationStatus.DONE
    # The lost chunk turning up late finds its operation in another chunk and leaves it.
    assert operations_run_chunk(token="00000000-0000-0000-0000-00000000000a")["done"] == 0


def test_staff_retry_a_stuck_running_operation(local_driver, staff_admin):
    local_driver.create(ref="g1", template="", restore_from=None)
    infobase = InfobaseFactory(ref="g1")
    op = Operation.objects.create(
        subscriber=infobase.subscriber,
        infobase=infobase,
        kind=OperationKind.BLOCK,
        params={"ref": "g1", "message": "x"},
        status=OperationStatus.RUNNING,
        attempts=1,
        lease_until=timezone.now() + datetime.timedelta(minutes=2),
    )
    assert operation_retry(operation=op, actor=staff_admin) is False  # still leased: alive
    Operation.objects.filter(pk=op.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert operation_retry(operation=op, actor=staff_admin) is True
    outbox_dispatch()
    op.refresh_from_db()
    assert op.status == OperationStatus.DONE and op.attempts == 1

import datetime

from django.urls import reverse
from django.utils import timezone

from infobases.hooks import (
    infobases_block_for_subscribers,
    infobases_purge_for_subscribers,
    infobases_unblock_for_subscribers,
)
from infobases.models import Backup, Infobase, InfobaseAccess, Operation
from infobases.services import access_set, backup_request
from subscribers.models import SubscriberStatus, SuspensionReason
from tests.factories import SubscriberFactory
from tests.infobases.factories import BackupFactory, InfobaseFactory


def _suspend(subscriber):
    subscriber.status = SubscriberStatus.SUSPENDED
    subscriber.suspension_reason = SuspensionReason.NON_PAYMENT
    subscriber.save(update_fields=["status", "suspension_reason"])


def test_suspension_blocks_and_unpublishes_and_resume_brings_it_back(
    ready_infobase, subscriber, run_now, local_driver
):
    local_driver.session_open(ref=ready_infobase.ref, user="buh@example.kz")
    run_now(lambda: infobases_block_for_subscribers(subscriber_ids=[subscriber.pk], reason="3.5"))
    ready_infobase.refresh_from_db()
    assert ready_infobase.blocked_at is not None
    meta = local_driver.meta(ready_infobase.ref)
    assert meta["blocked"] is True and meta["published"] is False
    assert local_driver.sessions(ref=ready_infobase.ref) == []
    run_now(
        lambda: infobases_unblock_for_subscribers(subscriber_ids=[subscriber.pk], reason="paid")
    )
    ready_infobase.refresh_from_db()
    assert ready_infobase.blocked_at is None
    meta = local_driver.meta(ready_infobase.ref)
    assert meta["blocked"] is False and meta["published"] is True


def test_hooks_mark_rows_synchronously_and_queue_cluster_calls_after_commit(
    ready_infobase, subscriber, django_capture_on_commit_callbacks, local_driver
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        infobases_block_for_subscribers(subscriber_ids=[subscriber.pk], reason="3.5")
    assert Infobase.objects.get(pk=ready_infobase.pk).blocked_at is not None
    assert Operation.objects.get(kind="block").status == "queued"
    assert local_driver.meta(ready_infobase.ref)["blocked"] is False  # nothing ran yet
    assert len(callbacks) == 1


def _subscribers_with_infobases(count):
    ids = []
    for _ in range(count):
        subscriber = SubscriberFactory()
        for _ in range(2):
            BackupFactory(infobase=InfobaseFactory(subscriber=subscriber))
        ids.append(subscriber.pk)
    return ids


def test_hooks_use_a_fixed_number_of_queries(
    db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    few, many = _subscribers_with_infobases(1), _subscribers_with_infobases(6)
    for hook, queries in (
        (lambda ids: infobases_block_for_subscribers(subscriber_ids=ids, reason="x"), 3),
        (lambda ids: infobases_unblock_for_subscribers(subscriber_ids=ids, reason="x"), 3),
        (lambda ids: infobases_purge_for_subscribers(subscriber_ids=ids, rule="3.6"), 22),
    ):
        for ids in (few, many):
            with django_assert_num_queries(queries):
                hook(ids)


def test_purge_drops_infobases_backups_files_and_users(
    ready_infobase, owner, subscriber, run_now, local_driver, infobases_dir
):
    run_now(
        lambda: access_set(
            infobase=ready_infobase, membership=owner.memberships.get(), role="full", actor=owner
        )
    )
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert (infobases_dir / backup.file).exists()
    summary = run_now(
        lambda: infobases_purge_for_subscribers(subscriber_ids=[subscriber.pk], rule="3.6")
    )
    assert summary["infobases"] == 1 and summary["backups"] == 1 and summary["infobase_users"] == 1
    assert not Infobase.objects.exists() and not Backup.objects.exists()
    assert not InfobaseAccess.objects.exists()
    assert not (infobases_dir / backup.file).exists()
    assert not local_driver.base_dir(ready_infobase.ref).exists()


def test_a_suspended_subscriber_downloads_only_the_last_copy_and_cannot_act(
    client, owner, subscriber, infobases_dir
):
    infobase = InfobaseFactory(subscriber=subscriber)
    now = timezone.now()
    older = BackupFactory(infobase=infobase, created_at=now - datetime.timedelta(days=2))
    last = BackupFactory(infobase=infobase, created_at=now - datetime.timedelta(days=1))
    for backup in (older, last):
        (infobases_dir / backup.file).parent.mkdir(parents=True, exist_ok=True)
        (infobases_dir / backup.file).write_bytes(b"dump")
    _suspend(subscriber)
    client.force_login(owner)
    link = client.get(reverse("infobases:backup_download", args=[last.pk]))
    assert client.get(link["Location"]).status_code == 200
    assert client.get(reverse("infobases:backup_download", args=[older.pk])).status_code == 404
    client.post(reverse("infobases:rename", args=[infobase.pk]), {"name": "Новое"})
    assert Infobase.objects.get(pk=infobase.pk).name == infobase.name
    response = client.post(reverse("infobases:backup_create", args=[infobase.pk]))
    assert response.status_code == 302
    assert Backup.objects.count() == 2


def test_usage_counts_live_infobases_and_people_with_access(subscriber, member, subscriber_admin):
    from infobases.hooks import infobases_usage_for_subscriber
    from tests.infobases.factories import AccessFactory

    first = InfobaseFactory(subscriber=subscriber)
    second = InfobaseFactory(subscriber=subscriber)
    InfobaseFactory(subscriber=subscriber, status="deleted", deleted_at=timezone.now())
    AccessFactory(infobase=first, membership=member.memberships.get())
    AccessFactory(infobase=second, membership=member.memberships.get())
    AccessFactory(infobase=second, membership=subscriber_admin.memberships.get())
    assert infobases_usage_for_subscriber(subscriber=subscriber) == {"users": 2, "infobases": 2}

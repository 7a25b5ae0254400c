import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from infobases.models import Backup, BackupKind, Infobase, InfobaseStatus, Operation
from infobases.services import (
    backup_request,
    backup_restore,
    backups_apply_retention,
    backups_schedule_daily,
)
from tests.infobases.factories import BackupFactory, InfobaseFactory, give_tariff


def _download(client, backup):
    response = client.get(reverse("infobases:backup_download", args=[backup.pk]))
    assert response.status_code == 302, response
    return client.get(response["Location"])


def test_round_trip_backup_download_and_restore_into_a_new_infobase(
    client, owner, ready_infobase, local_driver, run_now, tmp_path
):
    data = local_driver.data_dir(ready_infobase.ref)
    (data / "accounts").mkdir()
    (data / "accounts" / "1010.txt").write_text("Касса: 150 000 ₸", encoding="utf-8")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert backup.status == "done" and backup.size_bytes > 0

    client.force_login(owner)
    response = _download(client, backup)
    downloaded = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    assert zipfile.ZipFile(io.BytesIO(downloaded)).read("data/accounts/1010.txt").decode() == (
        "Касса: 150 000 ₸"
    )

    copy = run_now(lambda: backup_restore(backup=backup, actor=owner, into_new=True, name="Копия"))
    copy.refresh_from_db()
    assert copy.status == InfobaseStatus.READY and copy.ref != ready_infobase.ref
    restored = local_driver.data_dir(copy.ref) / "accounts" / "1010.txt"
    assert restored.read_text(encoding="utf-8") == "Касса: 150 000 ₸"


def test_restoring_into_the_same_infobase_makes_a_safety_backup_first(
    owner, ready_infobase, local_driver, run_now
):
    note = local_driver.data_dir(ready_infobase.ref) / "note.txt"
    note.write_text("v1")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    note.write_text("v2")
    run_now(
        lambda: backup_restore(backup=Backup.objects.get(pk=backup.pk), actor=owner, into_new=False)
    )
    assert note.read_text() == "v1"
    safety = Backup.objects.get(kind=BackupKind.BEFORE_RESTORE)
    assert safety.status == "done"


def test_daily_backups_are_made_once_per_day(ready_infobase, run_now):
    day = timezone.localdate()
    assert run_now(lambda: backups_schedule_daily(day=day)) == 1
    assert run_now(lambda: backups_schedule_daily(day=day)) == 0
    backup = Backup.objects.get(kind=BackupKind.DAILY)
    assert backup.status == "done"


def test_daily_pass_is_set_based(subscriber, django_assert_num_queries):
    InfobaseFactory(subscriber=subscriber)
    with django_assert_num_queries(6):
        assert backups_schedule_daily(day=timezone.localdate()) == 1
    InfobaseFactory.create_batch(6, subscriber=subscriber)
    with django_assert_num_queries(6):
        assert backups_schedule_daily(day=timezone.localdate()) == 6


def test_the_daily_pass_sends_one_task_per_chunk_not_one_per_infobase(
    subscriber, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 16.5: 45 infobases, chunks of 20 -> the broker gets 3 messages, not 45."""
    from infobases.services import dispatch
    from outbox.dispatcher import outbox_dispatch

    settings.ONEBUH_OPERATIONS_CHUNK = 20
    sent = []
    monkeypatch.setattr(dispatch, "task_send", lambda name, args=(), **kw: sent.append(name))
    InfobaseFactory.create_batch(45, subscriber=subscriber)
    with django_capture_on_commit_callbacks(execute=False) as kicks:
        assert backups_schedule_daily(day=timezone.localdate()) == 45
    assert len(kicks) == 1  # one kick of the dispatcher after the commit, not one per infobase
    assert outbox_dispatch()["operations"]["chunks"] == 3
    assert sent == ["infobases.run_operations"] * 3
    assert (
        Operation.objects.filter(dispatch_token__isnull=False)
        .values("dispatch_token")
        .distinct()
        .count()
        == 3
    )


def test_retention_deletes_expired_copies_and_files_but_keeps_the_newest(
    subscriber, infobases_dir, run_now
):
    give_tariff(subscriber, backup_retention_days=7)
    infobase = InfobaseFactory(subscriber=subscriber)
    now = timezone.now()
    old = BackupFactory(infobase=infobase, created_at=now - datetime.timedelta(days=10))
    older = BackupFactory(infobase=infobase, created_at=now - datetime.timedelta(days=9))
    fresh = BackupFactory(infobase=infobase, created_at=now - datetime.timedelta(days=1))
    lonely_ib = InfobaseFactory(subscriber=subscriber)
    lonely = BackupFactory(infobase=lonely_ib, created_at=now - datetime.timedelta(days=30))
    for backup in (old, older, fresh, lonely):
        path = infobases_dir / backup.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    assert run_now(lambda: backups_apply_retention()) == 2
    assert set(Backup.objects.values_list("pk", flat=True)) == {fresh.pk, lonely.pk}
    assert not (infobases_dir / old.file).exists()
    assert (infobases_dir / fresh.file).exists()


def test_the_final_copy_of_a_deleted_infobase_goes_after_30_days(subscriber):
    give_tariff(subscriber, backup_retention_days=7)
    infobase = InfobaseFactory(subscriber=subscriber, status="deleted", deleted_at=timezone.now())
    now = timezone.now()
    final = BackupFactory(
        infobase=infobase, kind="final", keep_until=now + datetime.timedelta(days=30)
    )
    backups_apply_retention(now=now + datetime.timedelta(days=29))
    assert Backup.objects.filter(pk=final.pk).exists()
    backups_apply_retention(now=now + datetime.timedelta(days=31))
    assert not Backup.objects.filter(pk=final.pk).exists()


def test_retention_query_count_does_not_grow(subscriber, django_assert_num_queries):
    give_tariff(subscriber, backup_retention_days=1)
    old = timezone.now() - datetime.timedelta(days=5)
    for _ in range(20):
        infobase = InfobaseFactory(subscriber=subscriber)
        for minutes in range(3):
            BackupFactory(infobase=infobase, created_at=old + datetime.timedelta(minutes=minutes))
    # Read, delete (the copies' rows to customers' buckets, then the backups), owe the file
    # deletions (one outbox INSERT per thousand files).
    with django_assert_num_queries(6):
        assert backups_apply_retention() == 40


def test_download_link_expires(client, owner, subscriber, settings, infobases_dir):
    backup = BackupFactory(infobase=InfobaseFactory(subscriber=subscriber))
    (infobases_dir / backup.file).parent.mkdir(parents=True, exist_ok=True)
    (infobases_dir / backup.file).write_bytes(b"dump")
    settings.ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS = 60
    client.force_login(owner)
    with time_machine.travel(timezone.now(), tick=False):
        link = client.get(reverse("infobases:backup_download", args=[backup.pk]))["Location"]
        assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False):
        expired = client.get(link)
    assert expired.status_code == 302 and expired["Location"] == reverse("infobases:backups")


def test_a_download_link_works_only_for_whom_it_was_made(
    client, owner, subscriber, subscriber_admin, infobases_dir
):
    backup = BackupFactory(infobase=InfobaseFactory(subscriber=subscriber))
    (infobases_dir / backup.file).parent.mkdir(parents=True, exist_ok=True)
    (infobases_dir / backup.file).write_bytes(b"dump")
    client.force_login(owner)
    link = client.get(reverse("infobases:backup_download", args=[backup.pk]))["Location"]
    client.force_login(subscriber_admin)
    assert client.get(link).status_code == 404


def test_members_without_full_rights_cannot_download(client, subscriber, member):
    from tests.infobases.factories import AccessFactory

    infobase = InfobaseFactory(subscriber=subscriber)
    AccessFactory(infobase=infobase, membership=member.memberships.get(), role="user")
    backup = BackupFactory(infobase=infobase)
    client.force_login(member)
    assert client.get(reverse("infobases:backup_download", args=[backup.pk])).status_code == 404


@pytest.mark.parametrize("status", ["queued", "failed"])
def test_unfinished_copies_cannot_be_downloaded(client, owner, subscriber, status):
    backup = BackupFactory(
        infobase=InfobaseFactory(subscriber=subscriber), status=status, file="", completed_at=None
    )
    client.force_login(owner)
    assert client.get(reverse("infobases:backup_download", args=[backup.pk])).status_code == 404


def test_an_infobase_being_deleted_cannot_be_backed_up(owner, subscriber):
    from django.core.exceptions import ValidationError

    infobase = InfobaseFactory(subscriber=subscriber, status="deleting")
    with pytest.raises(ValidationError):
        backup_request(infobase=Infobase.objects.get(pk=infobase.pk), actor=owner)


def test_restoring_over_an_infobase_needs_the_confirmation_that_names_it(
    client, owner, ready_infobase, run_now
):
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    client.force_login(owner)
    page = client.get(reverse("infobases:backups")).content.decode()
    assert f"Восстановить «{ready_infobase.name}» из копии" in page
    assert f"Восстановить поверх «{ready_infobase.name}»" in page
    url = reverse("infobases:backup_restore", args=[backup.pk])
    before = Backup.objects.count()
    response = client.post(url, {"into": "same"}, follow=True)
    assert f"заменит данные «{ready_infobase.name}»" in response.content.decode()
    assert Backup.objects.count() == before  # no safety copy: nothing was started
    response = run_now(
        lambda: client.post(url, {"into": "same", "confirm": ready_infobase.pk}, follow=True)
    )
    assert Backup.objects.filter(kind=BackupKind.BEFORE_RESTORE).exists()

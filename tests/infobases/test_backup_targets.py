"""Copies of backups to the customer's own bucket (issue 16) against a local S3 server that
checks keys (tests/s3.py: customer_bucket)."""

import datetime
import socket

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from infobases.models import BackupCopy, BackupTarget, CopyStatus
from infobases.services import backup_request
from infobases.services.targets import target_add, target_check, target_update
from onebuh import files
from outbox.dispatcher import outbox_dispatch
from outbox.models import OutboxMessage, OutboxState
from subscribers.models import AuditEntry
from tests.factories import MembershipFactory


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def target(subscriber, owner, customer_bucket):
    return target_add(
        subscriber=subscriber,
        actor=owner,
        endpoint_url=customer_bucket["endpoint"],
        bucket_name=customer_bucket["bucket"],
        prefix="onebuh/",
        access_key=customer_bucket["access_key"],
        secret_key=customer_bucket["secret_key"],
    )


def _keys_in(customer_bucket):
    answer = customer_bucket["client"].list_objects_v2(Bucket=customer_bucket["bucket"])
    return [item["Key"] for item in answer.get("Contents", [])]


def test_owner_adds_a_storage_whose_keys_are_sealed_and_never_shown(
    client, owner, subscriber, customer_bucket
):
    client.force_login(owner)
    answer = client.post(
        reverse("infobases:backup_targets"),
        {
            "endpoint_url": customer_bucket["endpoint"],
            "bucket_name": customer_bucket["bucket"],
            "region": "",
            "prefix": "copies",
            "access_key": customer_bucket["access_key"],
            "secret_key": customer_bucket["secret_key"],
            "enabled": "on",
        },
    )
    target = BackupTarget.objects.get(subscriber=subscriber)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "infobases:backup_target", args=[target.pk]
    )
    row = BackupTarget.objects.filter(pk=target.pk).values().get()
    stored = " ".join(str(value) for value in row.values())
    assert customer_bucket["secret_key"] not in stored
    assert customer_bucket["access_key"] not in stored
    assert target.access_key_hint == customer_bucket["access_key"][-4:]
    for url in (
        reverse("infobases:backup_target", args=[target.pk]),
        reverse("infobases:backup_targets"),
    ):
        page = client.get(url).content.decode()
        assert customer_bucket["secret_key"] not in page
        assert customer_bucket["access_key"] not in page
    assert AuditEntry.objects.filter(action="infobase.backup_target_add").exists()


def test_blank_keys_on_save_keep_the_stored_ones(target, owner, customer_bucket):
    before = (target.access_key_sealed, target.secret_key_sealed)
    target_update(
        target=target,
        actor=owner,
        endpoint_url=target.endpoint_url,
        bucket_name=target.bucket,
        prefix="other",
    )
    target.refresh_from_db()
    assert (target.access_key_sealed, target.secret_key_sealed) == before
    assert target.prefix == "other"
    assert target_check(target=target) is None


def test_check_writes_and_deletes_a_probe_object(client, owner, target, customer_bucket):
    client.force_login(owner)
    answer = client.post(reverse("infobases:backup_target_check", args=[target.pk]), follow=True)
    assert "Подключение работает" in answer.content.decode()
    target.refresh_from_db()
    assert target.check_ok is True and target.checked_at is not None
    assert _keys_in(customer_bucket) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"secret_key": "wrong-secret"}, "Хранилище не приняло ключи доступа"),
        (
            {"access_key": "AKIAUNKNOWN0000", "secret_key": "x"},
            "Хранилище не приняло ключи доступа",
        ),
        ({"bucket_name": "no-such-bucket"}, "Бакет «no-such-bucket» не найден"),
        ({"endpoint_url": "unreachable"}, "не отвечает"),
    ],
)
def test_a_failed_check_says_why_in_russian_and_is_never_a_500(
    client, owner, target, customer_bucket, change, expected
):
    fields = {
        "endpoint_url": target.endpoint_url,
        "bucket_name": target.bucket,
        "access_key": customer_bucket["access_key"],
        "secret_key": customer_bucket["secret_key"],
        **change,
    }
    if fields["endpoint_url"] == "unreachable":
        fields["endpoint_url"] = f"http://127.0.0.1:{_closed_port()}"
    target_update(target=target, actor=owner, **fields)
    client.force_login(owner)
    answer = client.post(reverse("infobases:backup_target_check", args=[target.pk]), follow=True)
    assert answer.status_code == 200
    assert "Проверка не удалась" in answer.content.decode()
    assert expected in answer.content.decode()
    target.refresh_from_db()
    assert target.check_ok is False and expected in target.check_message


def test_a_private_address_is_refused_unless_allowed(settings, subscriber, owner):
    from django.core.exceptions import ValidationError

    settings.ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE = False
    for url, words in (
        ("http://s3.example.kz", "https://"),
        ("https://127.0.0.1:9000", "частной сети"),
        ("https://169.254.169.254", "частной сети"),
    ):
        with pytest.raises(ValidationError) as error:
            target_add(
                subscriber=subscriber,
                actor=owner,
                endpoint_url=url,
                bucket_name="copies",
                access_key="a",
                secret_key="b",
            )
        assert words in str(error.value)
    assert not BackupTarget.objects.exists()


def test_each_new_backup_is_copied_to_the_customers_bucket(
    s3_storage, target, owner, ready_infobase, run_now, customer_bucket
):
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert backup.status == "done"
    copy = BackupCopy.objects.get(backup=backup, target=target)
    assert copy.status == CopyStatus.DONE, copy.message
    assert copy.key == f"onebuh/{ready_infobase.ref}/{backup.file.rsplit('/', 1)[1]}"
    body = customer_bucket["client"].get_object(Bucket=customer_bucket["bucket"], Key=copy.key)
    with files.storage_for("infobases").open(backup.file, "rb") as ours:
        assert body["Body"].read() == ours.read()


def test_a_failed_copy_is_shown_retried_with_backoff_and_succeeds_after_the_fix(
    client, target, owner, ready_infobase, run_now, customer_bucket, settings
):
    """Wrong keys: the backup is done all the same, the copy says why, /metrics counts it; once
    the keys are right the outbox's next attempt (after its back-off) copies it."""
    _set_secret(target, owner, customer_bucket, "wrong-secret")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert backup.status == "done"
    copy = BackupCopy.objects.get(backup=backup)
    assert copy.status == CopyStatus.FAILED and copy.attempts == 1
    assert "Хранилище не приняло ключи доступа" in copy.message
    row = OutboxMessage.objects.get(kind="infobases.backup_copy")
    assert row.state == OutboxState.PENDING and row.available_at > timezone.now()
    assert "SignatureDoesNotMatch" in row.last_error

    client.force_login(owner)
    page = client.get(reverse("infobases:backups")).content.decode()
    assert "не скопирована" in page and "Хранилище не приняло ключи доступа" in page
    settings.ONEBUH_METRICS_TOKEN = "t"
    metrics = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert 'onebuh_backup_copies{state="failed"} 1.0' in metrics

    _set_secret(target, owner, customer_bucket, customer_bucket["secret_key"])
    outbox_dispatch()  # not due yet: the back-off holds it
    assert BackupCopy.objects.get(pk=copy.pk).status == CopyStatus.FAILED
    with time_machine.travel(row.available_at + datetime.timedelta(seconds=1), tick=False):
        outbox_dispatch()
    copy.refresh_from_db()
    assert copy.status == CopyStatus.DONE and copy.attempts == 2 and copy.message == ""
    assert _keys_in(customer_bucket) == [copy.key]
    assert OutboxMessage.objects.get(pk=row.pk).state == OutboxState.SENT


def test_the_copy_job_is_safe_to_repeat(target, owner, ready_infobase, run_now, customer_bucket):
    from infobases.services.targets import backup_copy_run

    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    copy = BackupCopy.objects.get(backup=backup)
    assert copy.status == CopyStatus.DONE
    assert backup_copy_run(copy_id=copy.pk) == "skipped"
    BackupCopy.objects.filter(pk=copy.pk).update(status=CopyStatus.PENDING)
    assert backup_copy_run(copy_id=copy.pk) == "done"
    assert _keys_in(customer_bucket) == [copy.key]  # the same object, not a second one


def test_a_disabled_storage_gets_no_copies(target, owner, ready_infobase, run_now):
    BackupTarget.objects.filter(pk=target.pk).update(enabled=False)
    run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    assert not BackupCopy.objects.exists()


def test_another_subscribers_storage_is_404_and_plain_members_see_none(
    client, target, outsider, subscriber
):
    client.force_login(outsider)
    for name in (
        "infobases:backup_target",
        "infobases:backup_target_check",
        "infobases:backup_target_delete",
    ):
        url = reverse(name, args=[target.pk])
        answer = client.post(url) if name != "infobases:backup_target" else client.get(url)
        assert answer.status_code == 404
    user = MembershipFactory(subscriber=subscriber, role="user").user
    client.force_login(user)
    # Only owners and administrators deal with storages (the panel's manager pages answer 403).
    assert client.get(reverse("infobases:backup_target", args=[target.pk])).status_code == 403
    assert client.get(reverse("infobases:backup_targets")).status_code == 403
    assert BackupTarget.objects.filter(pk=target.pk).exists()


def test_owner_deletes_the_storage(client, owner, target):
    client.force_login(owner)
    answer = client.post(reverse("infobases:backup_target_delete", args=[target.pk]))
    assert answer.status_code == 302
    assert not BackupTarget.objects.exists()
    assert AuditEntry.objects.filter(action="infobase.backup_target_delete").exists()


def test_deleting_a_backup_deletes_its_copy_rows_in_one_statement(
    target, owner, ready_infobase, run_now, django_assert_num_queries
):
    from infobases.models import Backup

    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    assert BackupCopy.objects.filter(backup=backup).exists()
    with django_assert_num_queries(1):  # the database cascades (migration 0008)
        Backup.objects.filter(pk=backup.pk).delete()
    assert not BackupCopy.objects.exists()


@pytest.fixture
def given_up_copy(target, owner, ready_infobase, run_now, customer_bucket):
    """A copy whose outbox row used every attempt with wrong keys; then the customer fixes them."""
    _set_secret(target, owner, customer_bucket, "wrong-secret")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    copy = BackupCopy.objects.get(backup=backup)
    assert copy.status == CopyStatus.FAILED
    OutboxMessage.objects.filter(kind="infobases.backup_copy").update(
        state=OutboxState.FAILED, attempts=F("max_attempts")
    )
    _set_secret(target, owner, customer_bucket, customer_bucket["secret_key"])
    return copy


def _set_secret(target, owner, customer_bucket, secret):
    target_update(
        target=target,
        actor=owner,
        endpoint_url=target.endpoint_url,
        bucket_name=target.bucket,
        access_key=customer_bucket["access_key"],
        secret_key=secret,
    )


def test_the_owner_copies_a_failed_copy_again_from_the_backups_page(
    client, owner, given_up_copy, customer_bucket
):
    copy, retry = given_up_copy, reverse("infobases:backup_copy_retry", args=[given_up_copy.pk])
    client.force_login(owner)
    page = client.get(reverse("infobases:backups")).content.decode()
    assert "не скопирована" in page and "Скопировать ещё раз" in page and retry in page
    # The outbox gave up: nothing happens by itself any more.
    outbox_dispatch()
    assert BackupCopy.objects.get(pk=copy.pk).status == CopyStatus.FAILED

    answer = client.post(retry, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("infobases:backups")
    assert "снова в очереди" in answer.content.decode()
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING and copy.attempts == 0 and copy.message == ""
    row = OutboxMessage.objects.get(kind="infobases.backup_copy")
    assert row.state == OutboxState.PENDING and row.attempts == 0
    assert row.available_at <= timezone.now()
    assert AuditEntry.objects.filter(action="infobase.backup_copy_retry", actor=owner).exists()

    outbox_dispatch()
    copy.refresh_from_db()
    assert copy.status == CopyStatus.DONE and copy.attempts == 1
    assert _keys_in(customer_bucket) == [copy.key]
    assert OutboxMessage.objects.filter(kind="infobases.backup_copy").count() == 1  # the same row

    # Asked again once done: refused in Russian, nothing changes.
    answer = client.post(retry, {"next": "targets"}, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("infobases:backup_targets")
    assert "Эта копия уже не в ошибке" in answer.content.decode()
    assert BackupCopy.objects.get(pk=copy.pk).status == CopyStatus.DONE


def test_a_copy_still_being_retried_by_the_outbox_comes_back_now(
    client, owner, target, ready_infobase, run_now, customer_bucket
):
    """The back-off would wait minutes; asked again, the same row goes at once."""
    _set_secret(target, owner, customer_bucket, "wrong-secret")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    row = OutboxMessage.objects.get(kind="infobases.backup_copy")
    assert row.state == OutboxState.PENDING and row.available_at > timezone.now()
    _set_secret(target, owner, customer_bucket, customer_bucket["secret_key"])
    copy = BackupCopy.objects.get(backup=backup)
    client.force_login(owner)
    client.post(reverse("infobases:backup_copy_retry", args=[copy.pk]))
    outbox_dispatch()
    assert BackupCopy.objects.get(pk=copy.pk).status == CopyStatus.DONE


def test_only_the_subscribers_managers_copy_again(
    client, given_up_copy, member, outsider, subscriber
):
    retry = reverse("infobases:backup_copy_retry", args=[given_up_copy.pk])
    client.force_login(member)
    assert "Скопировать ещё раз" not in client.get(reverse("infobases:backups")).content.decode()
    assert client.post(retry).status_code == 403  # the panel's manager pages answer 403
    client.force_login(outsider)
    assert client.post(retry).status_code == 404
    assert client.get(retry).status_code == 405
    given_up_copy.refresh_from_db()
    assert given_up_copy.status == CopyStatus.FAILED
    assert not AuditEntry.objects.filter(action="infobase.backup_copy_retry").exists()


def test_a_switched_off_storage_is_not_copied_to_again(client, owner, given_up_copy):
    BackupTarget.objects.filter(pk=given_up_copy.target_id).update(enabled=False)
    client.force_login(owner)
    answer = client.post(
        reverse("infobases:backup_copy_retry", args=[given_up_copy.pk]), follow=True
    )
    assert "Хранилище выключено" in answer.content.decode()
    assert BackupCopy.objects.get(pk=given_up_copy.pk).status == CopyStatus.FAILED
    row = OutboxMessage.objects.get(kind="infobases.backup_copy")
    assert row.state == OutboxState.FAILED


def _form(customer_bucket, **change):
    return {
        "endpoint_url": customer_bucket["endpoint"],
        "bucket_name": customer_bucket["bucket"],
        "region": "",
        "prefix": "",
        "access_key": customer_bucket["access_key"],
        "secret_key": customer_bucket["secret_key"],
        "enabled": "on",
        **change,
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"secret_key": "wrong-secret"}, "Хранилище не приняло ключи доступа"),
        ({"bucket_name": "no-such-bucket"}, "Бакет «no-such-bucket» не найден"),
    ],
)
def test_a_storage_the_bucket_refuses_is_not_added(
    client, owner, subscriber, customer_bucket, change, expected
):
    client.force_login(owner)
    answer = client.post(reverse("infobases:backup_targets"), _form(customer_bucket, **change))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Хранилище не приняло эти настройки, ничего не сохранено" in page and expected in page
    assert not BackupTarget.objects.exists()
    assert not AuditEntry.objects.filter(action="infobase.backup_target_add").exists()


def test_an_added_storage_was_probed_and_shows_as_working(client, owner, customer_bucket):
    client.force_login(owner)
    answer = client.post(reverse("infobases:backup_targets"), _form(customer_bucket), follow=True)
    assert "тестовый файл записан в бакет и удалён" in answer.content.decode()
    target = BackupTarget.objects.get()
    assert target.check_ok is True and target.checked_at is not None
    assert _keys_in(customer_bucket) == []  # the probe object was deleted


def test_a_change_the_bucket_refuses_keeps_the_stored_settings(
    client, owner, target, customer_bucket
):
    client.force_login(owner)
    url = reverse("infobases:backup_target", args=[target.pk])
    before = BackupTarget.objects.filter(pk=target.pk).values().get()
    # Blank keys: the stored ones are probed against the new bucket name.
    answer = client.post(
        url, _form(customer_bucket, bucket_name="no-such-bucket", access_key="", secret_key="")
    )
    assert answer.status_code == 200
    assert "Бакет «no-such-bucket» не найден" in answer.content.decode()
    assert BackupTarget.objects.filter(pk=target.pk).values().get() == before
    # Switching it off needs no working bucket.
    form = _form(customer_bucket, secret_key="revoked-secret")
    del form["enabled"]
    assert client.post(url, form).status_code == 302
    target.refresh_from_db()
    assert target.enabled is False and target.check_ok is None

"""Backups and uploads on S3-compatible object storage (a local moto server, tests/s3.py)."""

import io
import urllib.request
import zipfile

import pytest
from botocore.exceptions import ClientError
from django.urls import reverse

from infobases.hooks import infobases_purge_for_subscribers
from infobases.models import Backup, InfobaseStatus
from infobases.services import backup_request, backup_restore
from onebuh import files
from tests.infobases.factories import BackupFactory, InfobaseFactory


def _object(s3, name):
    return s3["client"].get_object(Bucket=s3["bucket"], Key=f"infobases/{name}")["Body"].read()


def _fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read(), dict(answer.headers)


def test_backup_is_stored_in_the_bucket_and_downloads_through_a_presigned_url(
    s3_storage, client, owner, ready_infobase, local_driver, run_now
):
    (local_driver.data_dir(ready_infobase.ref) / "note.txt").write_text("Касса", encoding="utf-8")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert backup.status == "done"
    stored = _object(s3_storage, backup.file)
    assert zipfile.ZipFile(io.BytesIO(stored)).read("data/note.txt").decode() == "Касса"
    # Nothing of the dump stays on the worker's disk.
    assert not list(files.scratch_dir().glob("*.dt"))

    client.force_login(owner)
    link = client.get(reverse("infobases:backup_download", args=[backup.pk]))
    answer = client.get(link["Location"])
    assert answer.status_code == 302
    url = answer["Location"]
    assert url.startswith(s3_storage["endpoint"]) and "X-Amz-Signature" in url
    assert "X-Amz-Expires=300" in url
    body, headers = _fetch(url)
    assert body == stored
    assert headers["Content-Disposition"].startswith("attachment")
    assert f"{ready_infobase.ref}-" in headers["Content-Disposition"]


def test_restore_reads_the_copy_from_the_bucket(
    s3_storage, owner, ready_infobase, local_driver, run_now
):
    note = local_driver.data_dir(ready_infobase.ref) / "note.txt"
    note.write_text("v1")
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    note.write_text("v2")
    run_now(
        lambda: backup_restore(backup=Backup.objects.get(pk=backup.pk), actor=owner, into_new=False)
    )
    assert note.read_text() == "v1"
    backup.refresh_from_db()
    copy = run_now(lambda: backup_restore(backup=backup, actor=owner, into_new=True, name="Копия"))
    copy.refresh_from_db()
    assert copy.status == InfobaseStatus.READY
    assert (local_driver.data_dir(copy.ref) / "note.txt").read_text() == "v1"


def test_purge_deletes_the_objects(s3_storage, owner, subscriber, ready_infobase, run_now):
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    assert _object(s3_storage, backup.file)
    run_now(lambda: infobases_purge_for_subscribers(subscriber_ids=[subscriber.pk], rule="3.6"))
    with pytest.raises(ClientError):
        _object(s3_storage, backup.file)


def test_another_subscribers_backup_gets_no_presigned_url(s3_storage, client, outsider, subscriber):
    backup = BackupFactory(infobase=InfobaseFactory(subscriber=subscriber))
    client.force_login(outsider)
    assert client.get(reverse("infobases:backup_download", args=[backup.pk])).status_code == 404


def test_multipart_parts_go_straight_to_the_bucket_and_a_resume_sees_them(s3_storage):
    name = "uploads/1/big.dt"
    upload_id = files.multipart_start(alias="infobases", name=name)
    first, second = b"a" * (5 * 2**20), b"tail"
    etags = {}
    for number, body in ((1, first), (2, second)):
        url = files.multipart_part_url(
            alias="infobases", name=name, upload_id=upload_id, number=number, local_url=""
        )
        assert url.startswith(s3_storage["endpoint"]) and "uploadId=" in url
        request = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/octet-stream"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            etags[number] = answer.headers["ETag"]
        if number == 1:
            # A reload asks the storage what it already has.
            seen = files.multipart_parts(alias="infobases", name=name, upload_id=upload_id)
            assert [(p["number"], p["size"]) for p in seen] == [(1, len(first))]
    parts = files.multipart_parts(alias="infobases", name=name, upload_id=upload_id)
    assert [p["etag"] for p in parts] == [etags[1], etags[2]]
    files.multipart_complete(alias="infobases", name=name, upload_id=upload_id, parts=parts)
    assert _object(s3_storage, name) == first + second
    assert files.read_head(alias="infobases", name=name, length=3) == b"aaa"
    assert files.sha256_and_size(alias="infobases", name=name)[1] == len(first + second)


def test_file_system_download_is_handed_to_the_front_server_when_configured(
    settings, client, owner, ready_infobase, run_now
):
    backup = run_now(lambda: backup_request(infobase=ready_infobase, actor=owner))
    backup.refresh_from_db()
    client.force_login(owner)
    settings.ONEBUH_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    link = client.get(reverse("infobases:backup_download", args=[backup.pk]))
    answer = client.get(link["Location"])
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == f"/protected/infobases/{backup.file}"
    assert answer["Content-Disposition"].startswith("attachment")
    settings.ONEBUH_X_ACCEL_REDIRECT_PREFIX = ""
    answer = client.get(link["Location"])
    assert b"".join(answer.streaming_content).startswith(b"PK")

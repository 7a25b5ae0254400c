"""A full disk on upload and on backup: a Russian message, nothing half-written, one ERROR line.
(A full disk cannot be made here without root mounts: the storage call raises ENOSPC.)"""

import errno
import hashlib
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from infobases.models import Backup, BackupStatus, Operation, OperationKind, PlacementRequest
from infobases.services import operation_run
from tests.infobases.factories import InfobaseFactory
from tests.infobases.test_uploads import DT

pytestmark = pytest.mark.django_db


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_onto_a_full_disk_says_so_and_stores_nothing(
    client, owner, subscriber, tariff, infobases_dir, monkeypatch, caplog
):
    monkeypatch.setattr("onebuh.files.save", _full_disk)
    client.force_login(owner)
    assert client.get(reverse("infobases:upload")).status_code == 200
    with caplog.at_level(logging.ERROR):
        response = client.post(
            reverse("infobases:upload"),
            {
                "file": SimpleUploadedFile("base.dt", DT),
                "sha256": hashlib.sha256(DT).hexdigest(),
                "name": "Бухгалтерия",
            },
        )
    assert response.status_code == 200
    assert "нет свободного места" in response.content.decode()
    assert not PlacementRequest.objects.exists() and _files(infobases_dir) == []
    assert [r.levelname for r in caplog.records if r.name == "onebuh.io"] == ["ERROR"]


def test_a_backup_onto_a_full_disk_fails_readably(local_driver, infobases_dir, monkeypatch, caplog):
    infobase = InfobaseFactory(ref="full1")
    local_driver.create(ref="full1", template="", restore_from=None)
    backup = Backup.objects.create(
        subscriber=infobase.subscriber, infobase=infobase, kind="on_demand"
    )
    op = Operation.objects.create(
        subscriber=infobase.subscriber,
        infobase=infobase,
        kind=OperationKind.BACKUP,
        params={"ref": "full1", "backup_id": backup.pk},
    )
    monkeypatch.setattr("zipfile.ZipFile.write", _full_disk)
    with caplog.at_level(logging.ERROR):
        assert operation_run(operation_id=op.pk, driver=local_driver) == "failed"
    op.refresh_from_db()
    backup.refresh_from_db()
    assert "нет свободного места" in op.message and backup.status == BackupStatus.FAILED
    assert not list((infobases_dir / "backups").rglob("*.part"))
    assert not list((infobases_dir / "backups").rglob("*.dt"))
    assert [r.levelname for r in caplog.records if r.name == "onebuh.io"] == ["ERROR"]

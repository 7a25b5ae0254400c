"""A full disk on an upload part and on backup: a Russian message, nothing half-written, one ERROR line.
(A full disk cannot be made here without root mounts: the storage call raises ENOSPC.)"""

import errno
import logging

import pytest

from infobases.models import Backup, BackupStatus, Operation, OperationKind
from infobases.services import operation_run
from tests.infobases.factories import InfobaseFactory
from tests.infobases.test_uploads import DT, _start

pytestmark = pytest.mark.django_db


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_part_onto_a_full_disk_says_so(client, owner, tariff, monkeypatch, caplog):
    client.force_login(owner)
    manager = client
    monkeypatch.setattr("onebuh.files.multipart_write_part", _full_disk)
    session = _start(manager).json()
    target = manager.post(session["part_url"].replace("/0/", "/1/")).json()["url"]
    with caplog.at_level(logging.ERROR):
        answer = manager.generic("PUT", target, DT, content_type="application/octet-stream")
    assert answer.status_code == 507
    assert "нет свободного места" in answer.json()["error"]
    assert [r.levelname for r in caplog.records if r.name == "onebuh.io"] == ["ERROR"]
    assert manager.get(session["status_url"]).json()["status"] != "done"


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

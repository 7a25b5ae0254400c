import datetime
import zoneinfo

import time_machine
from django.core import mail

from infobases.models import Backup, BackupKind, Infobase, ScheduledUpdate
from infobases.services import release_publish, updates_start_due
from infobases.services.releases import first_window_after
from tests.infobases.factories import InfobaseFactory, ReleaseFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def test_the_update_is_announced_48_hours_ahead_inside_the_night_window():
    published = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=ALMATY)
    assert first_window_after(published) == datetime.datetime(2026, 11, 27, 1, 0, tzinfo=ALMATY)
    early = datetime.datetime(2026, 11, 24, 0, 30, tzinfo=ALMATY)
    assert first_window_after(early) == datetime.datetime(2026, 11, 26, 1, 0, tzinfo=ALMATY)


def test_publishing_informs_subscribers_and_schedules_only_typical_infobases(
    ready_infobase, subscriber, django_capture_on_commit_callbacks
):
    modified = InfobaseFactory(
        subscriber=subscriber,
        solution=ready_infobase.solution,
        is_typical=False,
        name="Доработанная",
    )
    other_solution = InfobaseFactory()
    release = ReleaseFactory(
        solution=ready_infobase.solution,
        version="3.0.11.2",
        released_on=datetime.date(2026, 11, 20),
        published_at=None,
        notes="Новая форма 300.00",
    )
    mail.outbox.clear()  # the creator's access email of ready_infobase
    with django_capture_on_commit_callbacks(execute=True):
        assert release_publish(release=release) == 1
        assert release_publish(release=release) == 0  # twice changes nothing
    update = ScheduledUpdate.objects.get()
    assert update.infobase == ready_infobase
    assert not ScheduledUpdate.objects.filter(infobase__in=[modified, other_solution]).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscriber.responsible_email]
    assert "3.0.11.2" in message.subject
    assert "Доработанная" in message.body and ready_infobase.name in message.body


def test_due_updates_run_only_in_the_night_window_with_a_backup_first(
    ready_infobase, run_now, local_driver
):
    release = ReleaseFactory(
        solution=ready_infobase.solution,
        version="3.0.12.1",
        released_on=datetime.date(2026, 11, 21),
        published_at=None,
        template="/srv/1c/bk-3.0.12.1.cf",
    )
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=ALMATY), tick=False):
        run_now(lambda: release_publish(release=release))
    with time_machine.travel(datetime.datetime(2026, 11, 27, 0, 30, tzinfo=ALMATY), tick=False):
        assert run_now(lambda: updates_start_due()) == 0  # before the window
    with time_machine.travel(datetime.datetime(2026, 11, 27, 1, 15, tzinfo=ALMATY), tick=False):
        assert run_now(lambda: updates_start_due()) == 1
    update = ScheduledUpdate.objects.get()
    assert update.status == "done"
    infobase = Infobase.objects.get(pk=ready_infobase.pk)
    assert infobase.release == release
    assert local_driver.meta(ready_infobase.ref)["config"] == "/srv/1c/bk-3.0.12.1.cf"
    assert Backup.objects.get(kind=BackupKind.BEFORE_UPDATE).status == "done"


def test_a_failed_update_is_recorded_and_rolled_back_from_the_backup(
    ready_infobase, run_now, monkeypatch, local_driver
):
    from infobases.provisioning.base import ProvisioningError
    from infobases.provisioning.local import LocalDriver

    before = (local_driver.data_dir(ready_infobase.ref) / "configuration.txt").read_text()

    def refuse(self, *, ref, template):
        (self.data_dir(ref) / "configuration.txt").write_text("half-updated")
        raise ProvisioningError("Конфигурация изменена, обновление невозможно")

    monkeypatch.setattr(LocalDriver, "update_config", refuse)
    release = ReleaseFactory(
        solution=ready_infobase.solution, published_at=None, released_on=datetime.date(2026, 11, 22)
    )
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=ALMATY), tick=False):
        run_now(lambda: release_publish(release=release))
    with time_machine.travel(datetime.datetime(2026, 11, 27, 2, 0, tzinfo=ALMATY), tick=False):
        run_now(lambda: updates_start_due())
    update = ScheduledUpdate.objects.get()
    assert update.status == "failed" and "обновление невозможно" in update.message
    assert "восстановлена из резервной копии" in update.message
    infobase = Infobase.objects.get(pk=ready_infobase.pk)
    assert infobase.status == "ready" and infobase.release == ready_infobase.release
    restored = (local_driver.data_dir(ready_infobase.ref) / "configuration.txt").read_text()
    assert restored == before


class WorkerDied(BaseException):
    """What a killed worker looks like to the code after it: nothing else runs."""


def test_a_rerun_after_the_worker_died_reuses_the_first_safety_copy(
    ready_infobase, run_now, monkeypatch, local_driver
):
    import pytest

    from infobases.models import Operation, OperationKind
    from infobases.provisioning.local import LocalDriver
    from infobases.services import operation_run

    before = (local_driver.data_dir(ready_infobase.ref) / "configuration.txt").read_text()

    def die_half_way(self, *, ref, template):
        (self.data_dir(ref) / "configuration.txt").write_text("half-updated")
        raise WorkerDied

    monkeypatch.setattr(LocalDriver, "update_config", die_half_way)
    release = ReleaseFactory(
        solution=ready_infobase.solution, published_at=None, released_on=datetime.date(2026, 11, 22)
    )
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=ALMATY), tick=False):
        run_now(lambda: release_publish(release=release))
    with (
        time_machine.travel(datetime.datetime(2026, 11, 27, 2, 0, tzinfo=ALMATY), tick=False),
        pytest.raises(WorkerDied),
    ):
        run_now(lambda: updates_start_due())
    op = Operation.objects.get(kind=OperationKind.UPDATE)
    assert op.status == "running"  # The worker is gone; the reaper puts it back in the queue:
    Operation.objects.filter(pk=op.pk).update(status="queued")

    monkeypatch.setattr(LocalDriver, "update_config", _refuse)
    assert operation_run(operation_id=op.pk) == "failed"
    [copy] = Backup.objects.filter(kind=BackupKind.BEFORE_UPDATE)
    assert str(copy.pk) == Operation.objects.get(pk=op.pk).params["safety_backup_id"]
    # The rollback used the first copy, taken before anything changed.
    restored = (local_driver.data_dir(ready_infobase.ref) / "configuration.txt").read_text()
    assert restored == before


def _refuse(self, *, ref, template):
    from infobases.provisioning.base import ProvisioningError

    (self.data_dir(ref) / "configuration.txt").write_text("half-updated again")
    raise ProvisioningError("Конфигурация изменена, обновление невозможно")

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from infobases.models import Backup, BackupKind, Infobase, InfobaseStatus, Operation
from infobases.provisioning.local import LocalDriver
from infobases.services import infobase_create, infobase_delete, infobase_rename
from subscribers.models import AuditEntry
from tests.infobases.factories import give_tariff


def _create(subscriber, solution, owner, name="База"):
    return infobase_create(
        subscriber=subscriber, solution=solution, name=name, with_demo_data=False, actor=owner
    )


def test_adding_an_infobase_creates_and_publishes_it_on_the_cluster(ready_infobase, local_driver):
    meta = local_driver.meta(ready_infobase.ref)
    assert meta["published"] is True
    assert ready_infobase.release.version == "3.0.10.1"
    assert Operation.objects.get(infobase=ready_infobase).status == "done"
    assert ready_infobase.size_bytes > 0
    assert AuditEntry.objects.filter(action="infobase.create").count() == 1


def test_without_a_tariff_adding_an_infobase_is_refused_and_points_to_billing(
    subscriber, owner, solution
):
    with pytest.raises(ValidationError) as error:
        _create(subscriber, solution, owner)
    assert "Billing" in error.value.messages[0] or "Оплата" in error.value.messages[0]
    assert not Infobase.objects.exists()


def test_the_tariff_limit_of_infobases_is_enforced(subscriber, owner, solution, run_now):
    give_tariff(subscriber, max_infobases=1)
    run_now(lambda: _create(subscriber, solution, owner))
    with pytest.raises(ValidationError):
        _create(subscriber, solution, owner, name="Вторая")
    assert Infobase.objects.filter(subscriber=subscriber).count() == 1


def test_a_deleted_infobase_frees_its_place_in_the_tariff(subscriber, owner, solution, run_now):
    give_tariff(subscriber, max_infobases=1)
    first = run_now(lambda: _create(subscriber, solution, owner))
    run_now(lambda: infobase_delete(infobase=Infobase.objects.get(pk=first.pk), actor=owner))
    run_now(lambda: _create(subscriber, solution, owner, name="Новая"))
    assert Infobase.objects.filter(subscriber=subscriber, status="ready").count() == 1


def test_a_failed_create_never_leaves_the_infobase_ready(
    subscriber, owner, solution, tariff, run_now, monkeypatch
):
    def broken(self, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(LocalDriver, "publish", broken)  # the "1C server" fails, not our code
    infobase = run_now(lambda: _create(subscriber, solution, owner))
    infobase.refresh_from_db()
    assert infobase.status == InfobaseStatus.FAILED
    # The subscriber reads plain words; the raw error is the operation's, for staff (issue 18).
    assert "disk full" not in infobase.status_message
    assert "Не удалось создать" in infobase.status_message
    op = Operation.objects.get(infobase=infobase)
    # An I/O error is told in Russian with the system's words (onebuh/ioerrors.py).
    assert op.status == "failed" and "disk full" in op.message and "диск" in op.message


def test_running_an_operation_twice_does_nothing_the_second_time(ready_infobase, local_driver):
    from infobases.services import operation_run

    op = Operation.objects.get(infobase=ready_infobase)
    (local_driver.data_dir(ready_infobase.ref) / "note.txt").write_text("kept")
    assert operation_run(operation_id=op.pk) == "done"
    assert (local_driver.data_dir(ready_infobase.ref) / "note.txt").read_text() == "kept"


def test_renaming_keeps_the_cluster_name(ready_infobase, owner):
    infobase_rename(infobase=ready_infobase, name="  Главная   база ", actor=owner)
    ready_infobase.refresh_from_db()
    assert ready_infobase.name == "Главная база"
    with pytest.raises(ValidationError):
        infobase_rename(infobase=ready_infobase, name="   ", actor=owner)


def test_deleting_makes_a_final_backup_kept_30_days_then_drops(
    ready_infobase, owner, run_now, local_driver
):
    run_now(lambda: infobase_delete(infobase=ready_infobase, actor=owner))
    ready_infobase.refresh_from_db()
    assert ready_infobase.status == InfobaseStatus.DELETED
    final = Backup.objects.get(infobase=ready_infobase, kind=BackupKind.FINAL)
    assert final.status == "done"
    assert (final.keep_until - final.created_at).days in (29, 30)
    assert not local_driver.base_dir(ready_infobase.ref).exists()


def test_the_panel_adds_an_infobase_and_shows_its_connection_details(
    client, owner, tariff, solution, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("infobases:add"),
            {"solution": solution.pk, "name": "Моя база", "with_demo_data": "0"},
        )
    infobase = Infobase.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("infobases:detail", args=[infobase.pk])).content.decode()
    assert f"/{infobase.ref}/" in page
    assert "ws=&quot;" in page or "ws=" in page
    assert "Моя база" in page


def test_the_panel_shows_the_limit_message_and_stores_nothing(client, owner, subscriber, solution):
    give_tariff(subscriber, max_infobases=0)
    client.force_login(owner)
    response = client.post(
        reverse("infobases:add"),
        {"solution": solution.pk, "name": "Лишняя", "with_demo_data": "0"},
        follow=True,
    )
    assert "позволяет" in response.content.decode()
    assert not Infobase.objects.exists()

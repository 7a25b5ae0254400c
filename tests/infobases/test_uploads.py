"""The resumable .dt upload (6.1) through the panel's JSON steps, on the file system and on S3."""

import hashlib
import urllib.request

import pytest
from django.urls import reverse

from infobases.models import PlacementRequest, UploadSession, UploadStatus
from infobases.provisioning.dtfile import ONEC_CONTAINER_MAGIC
from tests.infobases.factories import InfobaseFactory, give_tariff

DT = ONEC_CONTAINER_MAGIC + b"\x00\x02\x00\x00" + b"1C container body" * 50
PART = 256


@pytest.fixture(autouse=True)
def small_parts(settings):
    settings.ONEBUH_UPLOAD_PART_BYTES = PART


@pytest.fixture
def manager(client, owner, tariff):
    client.force_login(owner)
    return client


def _start(client, content=DT, filename="base.dt", name="Локальная бухгалтерия", **fields):
    return client.post(
        reverse("infobases:upload_start"),
        {"name": name, "filename": filename, "size": len(content), "comment": "", **fields},
    )


def _put(client, session, number, body):
    target = client.post(session["part_url"].replace("/0/", f"/{number}/")).json()["url"]
    if target.startswith("http"):  # a presigned S3 URL: the body goes straight to storage
        request = urllib.request.Request(
            target, data=body, method="PUT", headers={"Content-Type": "application/octet-stream"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    return client.generic("PUT", target, body, content_type="application/octet-stream").status_code


def _parts(session, content):
    size = session["part_bytes"]
    return [content[i : i + size] for i in range(0, len(content), size)]


def _upload(client, run_now, content=DT, sha=None, **start):
    response = _start(client, content, **start)
    assert response.status_code == 201, response.content
    session = response.json()
    for number, body in enumerate(_parts(session, content), start=1):
        assert _put(client, session, number, body) == 200
    sha = sha or hashlib.sha256(content).hexdigest()
    answer = run_now(lambda: client.post(session["complete_url"], {"sha256": sha}))
    assert answer.status_code == 202, answer.content
    return client.get(session["status_url"]).json()


def _stored(infobases_dir):
    return [p for p in infobases_dir.rglob("*") if p.is_file()] if infobases_dir.exists() else []


def test_the_page_and_a_valid_dt_in_parts_become_a_placement_request(
    manager, subscriber, infobases_dir, run_now
):
    page = manager.get(reverse("infobases:upload")).content.decode()
    assert "data-dt-upload" in page and "vendor/js-sha256/sha256.min.js" in page
    state = _upload(manager, run_now)
    assert state["status"] == UploadStatus.DONE, state
    request = PlacementRequest.objects.get()
    assert request.size_bytes == len(DT) and request.sha256 == hashlib.sha256(DT).hexdigest()
    assert (infobases_dir / request.file).read_bytes() == DT
    # The parts are gone once joined.
    assert _stored(infobases_dir) == [infobases_dir / request.file]
    # 6.1: the operator gets it as a support ticket of category "access".
    from support.models import Ticket

    ticket = Ticket.objects.get(pk=request.ticket_id)
    assert ticket.category == "access" and ticket.subscriber == subscriber


def test_a_dropped_part_is_resumed_and_stored_parts_are_not_asked_again(manager, run_now):
    session = _start(manager).json()
    parts = _parts(session, DT)
    assert len(parts) == 4
    assert _put(manager, session, 1, parts[0]) == 200
    assert _put(manager, session, 2, parts[1][:100]) == 400  # the connection dropped mid-part
    # The page is reloaded: the server tells what it has, the browser sends the rest.
    again = manager.get(session["status_url"]).json()
    assert [p["number"] for p in again["parts"]] == [1]
    for number in (2, 3, 4):
        assert _put(manager, again, number, parts[number - 1]) == 200
    answer = run_now(
        lambda: manager.post(session["complete_url"], {"sha256": hashlib.sha256(DT).hexdigest()})
    )
    assert answer.status_code == 202
    assert manager.get(session["status_url"]).json()["status"] == "done"


def test_completing_before_every_part_arrived_is_refused(manager):
    session = _start(manager).json()
    _put(manager, session, 1, _parts(session, DT)[0])
    answer = manager.post(session["complete_url"], {"sha256": "0" * 64})
    assert answer.status_code == 400 and "Не все части" in answer.json()["error"]
    assert UploadSession.objects.get().status == UploadStatus.UPLOADING


@pytest.mark.parametrize(
    "content,sha,message",
    [
        (b"%PDF-1.7 not a dump" * 20, None, "не выгрузка"),
        (DT, "0" * 64, "контрольная сумма"),
    ],
    ids=["content", "checksum"],
)
def test_bad_uploads_fail_in_the_check_and_nothing_is_kept(
    manager, run_now, infobases_dir, content, sha, message
):
    state = _upload(manager, run_now, content=content, sha=sha)
    assert state["status"] == UploadStatus.FAILED and message in state["message"].lower()
    assert not PlacementRequest.objects.exists()
    assert _stored(infobases_dir) == []


def test_the_start_refuses_a_wrong_extension_an_oversize_file_and_a_full_tariff(
    manager, settings, subscriber
):
    answer = _start(manager, filename="base.zip")
    assert answer.status_code == 400 and ".dt" in answer.json()["error"]
    settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = 100
    answer = _start(manager)
    assert answer.status_code == 400 and "100" in answer.json()["error"]
    settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = 10**9
    give_tariff(subscriber, max_infobases=1, max_users=2, backup_retention_days=7)
    InfobaseFactory(subscriber=subscriber)
    answer = _start(manager)
    assert answer.status_code == 400 and "позволяет" in answer.json()["error"]
    # The page says so before a file is chosen.
    page = manager.get(reverse("infobases:upload")).content.decode()
    assert "позволяет" in page and "data-dt-upload" not in page
    assert not UploadSession.objects.exists()


def test_a_part_of_the_wrong_length_is_refused(manager, infobases_dir):
    session = _start(manager).json()
    assert _put(manager, session, 1, b"x" * (PART + 1)) == 400
    # There is no part 9: no URL for it, and the part endpoint refuses it too.
    assert manager.post(session["part_url"].replace("/0/", "/9/")).status_code == 400
    data_url = reverse("infobases:upload_part_data", args=[session["id"], 9])
    assert manager.generic("PUT", data_url, b"x").status_code == 400
    assert manager.get(session["status_url"]).json()["parts"] == []


def test_another_subscribers_upload_is_not_found(manager, client, outsider, run_now):
    session = _start(manager).json()
    client.force_login(outsider)
    assert client.get(session["status_url"]).status_code == 404
    assert client.post(session["part_url"].replace("/0/", "/1/")).status_code == 404


def test_a_plain_member_cannot_upload(client, member, tariff):
    client.force_login(member)
    assert _start(client).status_code == 403


def test_on_object_storage_parts_go_to_presigned_urls(s3_storage, manager, run_now, settings):
    settings.ONEBUH_UPLOAD_PART_BYTES = 5 * 2**20  # S3's smallest part
    content = DT + b"\x00" * (5 * 2**20)
    state = _upload(manager, run_now, content=content)
    assert state["status"] == UploadStatus.DONE, state
    request = PlacementRequest.objects.get()
    stored = s3_storage["client"].get_object(
        Bucket=s3_storage["bucket"], Key=f"infobases/{request.file}"
    )
    assert stored["Body"].read() == content


def test_a_placed_upload_becomes_an_infobase_with_the_uploaded_content(
    manager,
    subscriber,
    solution,
    ready_infobase,
    local_driver,
    run_now,
    infobases_dir,
    operator_engineer,
):
    from infobases.services import placement_request_place

    give_tariff(subscriber, max_infobases=3, max_users=2, backup_retention_days=7)
    (local_driver.data_dir(ready_infobase.ref) / "doc.txt").write_text("счёт-фактура")
    dump = infobases_dir / "local.dt"
    local_driver.dump(ref=ready_infobase.ref, path=dump)
    assert _upload(manager, run_now, content=dump.read_bytes())["status"] == "done"
    request = PlacementRequest.objects.get()
    request.solution = solution
    request.save(update_fields=["solution"])
    infobase = run_now(lambda: placement_request_place(request=request, actor=operator_engineer))
    infobase.refresh_from_db()
    assert infobase.status == "ready" and infobase.is_typical is False
    assert (local_driver.data_dir(infobase.ref) / "doc.txt").read_text() == "счёт-фактура"


def test_the_completion_is_owed_in_the_outbox_and_a_rerun_after_the_join_finishes_it(
    manager, subscriber, infobases_dir
):
    """Issue 10: the check after the last part is an outbox row written with the state change;
    a worker that died after joining the parts (file stored, parts gone) is finished by the rerun
    the lease brings, not failed as "incomplete"."""
    from infobases.services.resumable import upload_finish
    from onebuh import files
    from outbox.dispatcher import outbox_dispatch
    from outbox.models import OutboxMessage

    session = _start(manager).json()
    for number, body in enumerate(_parts(session, DT), start=1):
        assert _put(manager, session, number, body) == 200
    # No on-commit callbacks run here: as if the worker died before anything was sent.
    answer = manager.post(session["complete_url"], {"sha256": hashlib.sha256(DT).hexdigest()})
    assert answer.status_code == 202
    row = OutboxMessage.objects.get(kind="infobases.upload_finish")
    upload = UploadSession.objects.get()
    assert upload.status == UploadStatus.VERIFYING
    # The dead worker had joined the parts already.
    parts = files.multipart_parts(alias="infobases", name=upload.file, upload_id=upload.upload_id)
    files.multipart_complete(
        alias="infobases", name=upload.file, upload_id=upload.upload_id, parts=parts
    )
    outbox_dispatch()
    upload.refresh_from_db()
    row.refresh_from_db()
    assert upload.status == UploadStatus.DONE, upload.status
    assert row.state == "sent"
    assert PlacementRequest.objects.get().sha256 == hashlib.sha256(DT).hexdigest()
    assert upload_finish(session_id=str(upload.pk)) == "skipped"


def test_a_customers_dt_with_its_own_users_is_placed_through_its_administrator(
    manager, subscriber, solution, settings, tmp_path, run_now, operator_engineer
):
    """A customer's .dt brings its own users, and 1C lets the portal's service account in only
    through one of them (issue 17): the upload form asks for that administrator; the password is
    sealed at rest, handed to 1C once when the base is placed, then forgotten everywhere."""
    import json

    from infobases.models import Infobase, Operation
    from infobases.services import placement_request_place
    from tests.infobases.fake_1c import DT_MAGIC, install, load_state

    (tmp_path / "1c").mkdir()
    fakes = install(tmp_path / "1c")
    settings.ONEBUH_INFOBASES_DRIVER = "cluster"
    settings.ONEBUH_1C_CLUSTER = fakes["config"]
    users = {"Иванов": {"password": "Пароль-1С", "admin": True, "active": True, "profiles": []}}
    content = {"users": users, "config": "bk", "extensions": {}, "data": {}, "support": "x"}
    dump = DT_MAGIC + json.dumps(content, ensure_ascii=False).encode()
    page = manager.get(reverse("infobases:upload")).content.decode()
    assert 'name="dt_admin_login"' in page and 'type="password" name="dt_admin_password"' in page

    state = _upload(
        manager, run_now, content=dump, dt_admin_login=" Иванов ", dt_admin_password="Пароль-1С"
    )

    assert state["status"] == "done", state
    request = PlacementRequest.objects.get()
    assert request.dt_admin_login == "Иванов"
    assert request.dt_admin_password_sealed and "Пароль-1С" not in request.dt_admin_password_sealed
    assert UploadSession.objects.get().dt_admin_password_sealed == ""
    request.solution = solution
    request.save(update_fields=["solution"])
    infobase = run_now(lambda: placement_request_place(request=request, actor=operator_engineer))

    infobase = Infobase.objects.get(pk=infobase.pk)
    operation = Operation.objects.get(infobase=infobase, kind="load")
    assert infobase.status == "ready", operation.message
    service_login = fakes["config"]["infobase_user"]
    assert load_state(fakes["state"])["infobases"][infobase.ref]["users"][service_login]["admin"]
    request.refresh_from_db()
    assert request.dt_admin_password_sealed == ""
    params = Operation.objects.get(infobase=infobase, kind="load").params
    assert params["dt_admin"] == {"login": "Иванов"}


def test_a_password_without_the_administrators_login_is_refused(manager):
    response = _start(manager, dt_admin_password="secret")
    assert response.status_code == 400
    assert "логин" in response.json()["error"].lower()
    assert not UploadSession.objects.exists()

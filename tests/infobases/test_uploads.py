import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from infobases.models import PlacementRequest
from infobases.provisioning.dtfile import ONEC_CONTAINER_MAGIC
from infobases.services import placement_request_create

DT = ONEC_CONTAINER_MAGIC + b"\x00\x02\x00\x00" + b"1C container body" * 50


def _upload(subscriber, owner, content=DT, name="base.dt", sha=None):
    return placement_request_create(
        subscriber=subscriber,
        uploaded_by=owner,
        uploaded=SimpleUploadedFile(name, content),
        sha256=sha or hashlib.sha256(content).hexdigest(),
        name="Локальная бухгалтерия",
    )


def _stored(infobases_dir):
    return [p for p in infobases_dir.rglob("*") if p.is_file()] if infobases_dir.exists() else []


def test_a_valid_dt_becomes_a_placement_request(subscriber, owner, infobases_dir):
    request = _upload(subscriber, owner)
    assert request.size_bytes == len(DT)
    assert (infobases_dir / request.file).read_bytes() == DT
    assert request.status == "new"
    # 6.1: the operator gets it as a support ticket of category "access".
    from support.models import Ticket

    ticket = Ticket.objects.get(pk=request.ticket_id)
    assert ticket.category == "access" and ticket.subscriber == subscriber


@pytest.mark.parametrize(
    "content,name,sha",
    [
        (b"%PDF-1.7 not a dump", "base.dt", None),  # wrong kind of content
        (DT, "base.zip", None),  # wrong kind of file
        (DT, "base.dt", "0" * 64),  # checksum mismatch
    ],
    ids=["content", "extension", "checksum"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    subscriber, owner, infobases_dir, content, name, sha
):
    with pytest.raises(ValidationError):
        _upload(subscriber, owner, content=content, name=name, sha=sha)
    assert not PlacementRequest.objects.exists()
    assert _stored(infobases_dir) == []


def test_an_oversize_upload_is_refused_with_the_limit(subscriber, owner, settings, infobases_dir):
    settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        _upload(subscriber, owner)
    assert "100" in error.value.messages[0]
    assert not PlacementRequest.objects.exists() and _stored(infobases_dir) == []


def test_the_panel_shows_a_clear_error_for_a_wrong_file(client, owner, infobases_dir):
    client.force_login(owner)
    response = client.post(
        reverse("infobases:upload"),
        {
            "file": SimpleUploadedFile("base.dt", b"hello"),
            "sha256": hashlib.sha256(b"hello").hexdigest(),
            "name": "База",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "(.dt)" in response.content.decode()
    assert not PlacementRequest.objects.exists()


def test_a_placed_upload_becomes_an_infobase_with_the_uploaded_content(
    subscriber,
    owner,
    tariff,
    solution,
    ready_infobase,
    local_driver,
    run_now,
    infobases_dir,
    operator_engineer,
):
    from infobases.services import placement_request_place

    (local_driver.data_dir(ready_infobase.ref) / "doc.txt").write_text("счёт-фактура")
    dump = infobases_dir / "local.dt"
    local_driver.dump(ref=ready_infobase.ref, path=dump)
    request = _upload(subscriber, owner, content=dump.read_bytes())
    request.solution = solution
    request.save(update_fields=["solution"])
    infobase = run_now(lambda: placement_request_place(request=request, actor=operator_engineer))
    infobase.refresh_from_db()
    assert infobase.status == "ready" and infobase.is_typical is False
    assert (local_driver.data_dir(infobase.ref) / "doc.txt").read_text() == "счёт-фактура"

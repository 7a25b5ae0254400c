"""Uploads: an oversize file is stopped before it is stored (a Russian message, nothing on disk,
no temporary file left), a body over the view's limit is refused on its declared length, and a
file whose content is not what its name claims is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from infobases.models import PlacementRequest
from infobases.provisioning.dtfile import ONEC_CONTAINER_MAGIC
from support.attachments import MAX_ATTACHMENT_BYTES
from support.models import Ticket, TicketAttachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def disk(settings, tmp_path):
    """Where uploads could land: the media folder, the infobases folder, temporary files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ONEBUH_INFOBASES_DIR = tmp_path / "infobases"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    # Small uploads stay in memory; make every one go through a temporary file to watch it.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    def files():
        return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())

    return files


def _ticket(client, *files):
    return client.post(
        reverse("support:ticket_create"),
        {
            "category": "technical",
            "subject": "Скриншот ошибки",
            "text": "См. файл",
            "attachments": files,
        },
    )


def test_an_oversize_attachment_is_stopped_with_a_russian_message_and_nothing_stored(
    client, owner, disk
):
    client.force_login(owner)
    big = SimpleUploadedFile("screen.png", PNG + b"\x00" * MAX_ATTACHMENT_BYTES)
    response = _ticket(client, big)
    assert response.status_code == 413
    page = response.content.decode()
    assert "«screen.png» больше 10,0" in page and "ничего не сохранено" in page
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert disk() == []


def test_an_attachment_at_the_limit_is_stored(client, owner, disk):
    client.force_login(owner)
    exact = SimpleUploadedFile("screen.png", PNG + b"\x00" * (MAX_ATTACHMENT_BYTES - len(PNG)))
    response = _ticket(client, exact)
    assert response.status_code == 302
    attachment = TicketAttachment.objects.get()
    assert attachment.size == MAX_ATTACHMENT_BYTES
    assert [f for f in disk() if f.startswith("media/")] == [f"media/{attachment.file.name}"]
    assert not [f for f in disk() if f.startswith("tmp/")]


def _dt_start(client, size: int):
    return client.post(
        reverse("infobases:upload_start"),
        {"filename": "base.dt", "size": size, "name": "Локальная база"},
    )


def test_an_oversize_dt_is_refused_before_a_byte_is_sent(client, owner, settings, disk):
    from tests.infobases.factories import give_tariff

    give_tariff(owner.memberships.get().subscriber)
    settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = 256 * 1024
    client.force_login(owner)
    response = _dt_start(client, 300 * 1024)
    assert response.status_code == 400
    assert "не больше 256,0" in response.json()["error"]
    assert not PlacementRequest.objects.exists()
    assert disk() == []


def test_a_part_over_the_views_limit_is_refused_on_its_declared_length(
    client, owner, settings, disk
):
    from tests.infobases.factories import give_tariff

    give_tariff(owner.memberships.get().subscriber)
    settings.ONEBUH_UPLOAD_PART_BYTES = 64 * 1024
    settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES = 256 * 1024
    client.force_login(owner)
    session = _dt_start(client, 200 * 1024).json()
    part = reverse("infobases:upload_part_data", args=[session["id"], 1])
    # A part is at most 64 KB here: 2 MB is refused before a byte is read.
    body = ONEC_CONTAINER_MAGIC + b"\x01" * (2 * 1024 * 1024)
    response = client.generic("PUT", part, body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Слишком большая загрузка" in response.content.decode()
    assert not PlacementRequest.objects.exists()
    assert disk() == []


def test_an_oversize_body_to_an_api_path_gets_a_json_413(client, owner, settings):
    settings.ONEBUH_UPLOAD_REQUEST_MAX_BYTES = 1024
    client.force_login(owner)
    response = client.post("/api/1c/tickets/", b"x" * 2048, content_type="application/json")
    assert response.status_code == 413
    assert "Слишком большая загрузка" in response.json()["detail"]


@pytest.mark.parametrize(
    "name,content",
    [
        ("screen.png", PDF),  # a PDF calling itself a screenshot
        ("invoice.pdf", WINDOWS_PROGRAM),  # a program calling itself a PDF
        ("report.docx", PDF),  # not a zip container
        ("journal.log", WINDOWS_PROGRAM),  # binary calling itself text
        ("processing.epf", PNG),  # not a 1C container
    ],
)
def test_a_file_whose_content_is_not_its_claimed_type_is_refused(
    client, owner, disk, name, content
):
    client.force_login(owner)
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = _ticket(client, upload)
    assert response.status_code == 200
    assert f"Содержимое файла «{name}» не является файлом" in response.content.decode()
    assert not Ticket.objects.exists()
    assert not [f for f in disk() if f.startswith("media/")]


@pytest.mark.parametrize(
    "name,content",
    [
        ("screen.png", PNG),
        ("invoice.pdf", PDF),
        ("journal.log", "Ошибка проведения документа".encode()),
        ("processing.epf", ONEC_CONTAINER_MAGIC + b"\x00" * 32),
        ("export.xlsx", b"PK\x03\x04" + b"\x00" * 32),
    ],
)
def test_files_whose_content_matches_their_type_are_accepted(client, owner, disk, name, content):
    client.force_login(owner)
    response = _ticket(client, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert TicketAttachment.objects.get().name == name


# A .dt whose content is not a dump: tests/infobases/test_uploads.py (checked after the parts).

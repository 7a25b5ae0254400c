"""Stored files are served only through permission-checked views: nothing maps the storage folder
to a URL, subscribers download only their own visible attachments, staff through the admin's
audited view (a partner's consultant only their firm's tickets)."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve, reverse

from subscribers.models import AuditEntry
from tests.support.factories import open_ticket

LOG = "2026-11-24 10:00 Ошибка проведения документа\n".encode()


@pytest.fixture
def ticket(settings, tmp_path, subscriber, owner):
    settings.MEDIA_ROOT = tmp_path / "media"
    return open_ticket(
        subscriber, opened_by=owner, attachments=[ContentFile(LOG, name="error.log")]
    )


@pytest.fixture
def attachment(ticket):
    return ticket.messages.get().attachments.get()


def test_the_storage_folder_has_no_url(attachment):
    assert settings.MEDIA_URL is None
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018
    stored = attachment.file.name
    for prefix in ("/media/", "/static/", "/"):
        with pytest.raises(Resolver404):
            resolve(prefix + stored)


def test_the_subscriber_downloads_through_the_panel_and_an_outsider_gets_404(
    client, owner, outsider, attachment
):
    url = reverse("support:attachment", args=[attachment.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == LOG
    assert response["Content-Disposition"].startswith("attachment")


def test_staff_read_attachments_through_the_admin_and_each_download_is_audited(
    staff_client, operator_engineer, ticket, attachment
):
    client = staff_client(operator_engineer)
    page = client.get(reverse("admin:support_ticket_change", args=[ticket.pk])).content.decode()
    url = reverse("admin:support_ticket_attachment", args=[attachment.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == LOG
    entry = AuditEntry.objects.get(action="support.attachment_download")
    assert (entry.subscriber, entry.actor, entry.target_id) == (
        ticket.subscriber,
        operator_engineer,
        str(attachment.pk),
    )


def test_a_partner_consultant_cannot_download_other_tickets_files(
    staff_client, partner_consultant, attachment
):
    client = staff_client(partner_consultant)
    url = reverse("admin:support_ticket_attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="support.attachment_download").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, attachment):
    url = reverse("admin:support_ticket_attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url

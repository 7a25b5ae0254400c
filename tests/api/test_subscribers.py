"""The subscriber's data, members and invitations through /api/v1/."""

import pytest
from django.core import mail
from django.urls import reverse

from subscribers.models import AuditEntry, Invitation

pytestmark = pytest.mark.django_db


def test_manager_updates_the_registration_data_with_the_panels_rules(owner_api, subscriber):
    response = owner_api.patch(
        reverse("v1_api:subscriber"),
        {"address": "г. Астана, пр. Мангилик Ел, 55", "responsible_phone": "+7 (701) 765 43 21"},
        format="json",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.address == "г. Астана, пр. Мангилик Ел, 55"
    assert subscriber.responsible_phone == "+77017654321"  # normalised as in the panel
    assert AuditEntry.objects.filter(action="subscriber.update").exists()


def test_wrong_bin_is_refused_and_changes_nothing(owner_api, subscriber):
    before = subscriber.bin
    response = owner_api.patch(reverse("v1_api:subscriber"), {"bin": "123456789012"}, format="json")
    assert response.status_code == 400
    assert "bin" in response.json()["error"]["fields"]
    subscriber.refresh_from_db()
    assert subscriber.bin == before


def test_members_are_listed_and_managed(owner_api, owner, member, subscriber):
    members = owner_api.get(reverse("v1_api:members")).json()
    assert {m["email"] for m in members["results"]} == {owner.email, member.email}
    membership = member.memberships.get()
    url = reverse("v1_api:member_detail", args=[membership.pk])
    changed = owner_api.patch(url, {"role": "accountant"}, format="json")
    assert changed.status_code == 200 and changed.json()["role"] == "accountant"
    owner_row = owner.memberships.get()
    refused = owner_api.delete(reverse("v1_api:member_detail", args=[owner_row.pk]))
    assert refused.status_code == 400
    assert owner_api.delete(url).status_code == 204
    assert not subscriber.members.filter(user=member).exists()


def test_invitation_is_sent_and_revoked(owner_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(
            reverse("v1_api:invitations"),
            {"email": "new@example.kz", "role": "user"},
            format="json",
        )
    assert response.status_code == 201
    assert mail.outbox[0].to == ["new@example.kz"]
    again = owner_api.post(
        reverse("v1_api:invitations"), {"email": "new@example.kz", "role": "user"}, format="json"
    )
    assert again.status_code == 409  # an invitation is already waiting: a conflict of state
    owner_cannot = owner_api.post(
        reverse("v1_api:invitations"), {"email": "o@example.kz", "role": "owner"}, format="json"
    )
    assert owner_cannot.status_code == 400 and "role" in owner_cannot.json()["error"]["fields"]
    url = reverse("v1_api:invitation_detail", args=[response.json()["id"]])
    assert owner_api.delete(url).status_code == 204
    assert Invitation.objects.get().revoked_at is not None

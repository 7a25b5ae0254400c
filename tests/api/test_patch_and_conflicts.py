"""Every PATCH of /api/v1/ is a partial update (an empty object changes nothing), and a refusal
because of an object's state is a 409 `conflict`, not a 400 (issue 14)."""

import pytest
from django.urls import reverse

from subscribers.models import AuditEntry, MemberRole

pytestmark = pytest.mark.django_db


def _patch_urls(ready_infobase, member):
    return {
        "infobase": reverse("v1_api:infobase_detail", args=[ready_infobase.pk]),
        "member": reverse("v1_api:member_detail", args=[member.memberships.get().pk]),
        "subscriber": reverse("v1_api:subscriber"),
    }


@pytest.mark.parametrize("what", ["infobase", "member", "subscriber"])
def test_an_empty_patch_answers_the_object_unchanged(owner_api, ready_infobase, member, what):
    url = _patch_urls(ready_infobase, member)[what]
    before = owner_api.get(url).json()
    audited = AuditEntry.objects.count()
    response = owner_api.patch(url, {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == before
    assert owner_api.get(url).json() == before
    assert AuditEntry.objects.count() == audited


def test_a_patch_changes_only_the_fields_given(owner_api, ready_infobase, member, subscriber):
    urls = _patch_urls(ready_infobase, member)
    renamed = owner_api.patch(urls["infobase"], {"name": "Склад"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Склад"
    role = owner_api.patch(urls["member"], {"role": MemberRole.ACCOUNTANT}, format="json")
    assert role.json()["role"] == MemberRole.ACCOUNTANT
    before = owner_api.get(urls["subscriber"]).json()
    phone = owner_api.patch(urls["subscriber"], {"address": "Астана, ул. Новая, 1"}, format="json")
    assert phone.status_code == 200, phone.json()
    assert phone.json() == before | {"address": "Астана, ул. Новая, 1"}


def test_a_given_field_is_still_checked(owner_api, ready_infobase):
    url = reverse("v1_api:infobase_detail", args=[ready_infobase.pk])
    response = owner_api.patch(url, {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]


def test_an_empty_patch_still_needs_the_right(api_as, member, ready_infobase):
    url = reverse("v1_api:infobase_detail", args=[ready_infobase.pk])
    assert api_as(member).patch(url, {}, format="json").status_code == 403


def test_closing_a_closed_ticket_is_a_conflict(owner_api):
    body = {"category": "technical", "subject": "Тема", "text": "Текст"}
    ticket = owner_api.post(reverse("v1_api:tickets"), body, format="json").json()["id"]
    url = reverse("v1_api:ticket_close", args=[ticket])
    assert owner_api.post(url).status_code == 200
    again = owner_api.post(url)
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "conflict",
        "message": "Обращение закрыто.",
        "fields": {},
    }


def test_state_refusals_are_409_and_input_refusals_400(owner_api, member, ready_infobase):
    invite = reverse("v1_api:invitations")
    taken = owner_api.post(invite, {"email": member.email, "role": "user"}, format="json")
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "conflict"
    owner_api.post(invite, {"email": "new@example.kz", "role": "user"}, format="json")
    waiting = owner_api.post(invite, {"email": "new@example.kz", "role": "user"}, format="json")
    assert waiting.status_code == 409 and "уже" in waiting.json()["error"]["message"]
    wrong = owner_api.post(invite, {"email": "not-an-email", "role": "user"}, format="json")
    assert wrong.status_code == 400 and "email" in wrong.json()["error"]["fields"]

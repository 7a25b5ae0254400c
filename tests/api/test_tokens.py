"""Personal API tokens: created in the panel and shown once, stored hashed, scoped, revocable."""

import hashlib

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from subscribers.models import AuditEntry

pytestmark = pytest.mark.django_db


def _bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_token_created_in_the_panel_is_shown_once_and_stored_hashed(client, member):
    client.force_login(member)
    response = client.post(reverse("apitokens:index"), {"name": "Выгрузка", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(membership__user=member)
    raw = response.context["raw_token"]
    assert raw.startswith("obk_") and raw.encode() in response.content
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.prefix, token.secret_hash, token.name}
    assert raw.startswith(token.prefix)
    again = client.get(reverse("apitokens:index"))
    assert raw.encode() not in again.content  # shown only once
    assert token.prefix.encode() in again.content
    assert AuditEntry.objects.filter(action="api.token_create", actor=member).exists()


def test_token_authenticates_as_its_member_and_records_last_use(owner, owner_membership):
    token, raw = api_token_create(membership=owner_membership, name="1С", scope="read")
    with time_machine.travel("2026-11-02 10:00 +0500", tick=False):
        response = _bearer(raw).get(reverse("v1_api:me"))
    assert response.status_code == 200
    assert response.json()["email"] == owner.email
    assert response.json()["role"] == "owner"
    token.refresh_from_db()
    assert token.last_used_at.isoformat() == "2026-11-02T05:00:00+00:00"


def test_read_token_cannot_write(owner_membership, subscriber):
    _token, raw = api_token_create(membership=owner_membership, name="Чтение", scope="read")
    client = _bearer(raw)
    assert client.get(reverse("v1_api:tickets")).status_code == 200
    response = client.post(
        reverse("v1_api:tickets"),
        {"category": "technical", "subject": "Вопрос", "text": "Текст"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "только читать" in response.json()["error"]["message"]
    assert not subscriber.tickets.exists()


def test_write_token_can_write(owner_membership, subscriber):
    _token, raw = api_token_create(membership=owner_membership, name="Запись", scope="write")
    response = _bearer(raw).post(
        reverse("v1_api:tickets"),
        {"category": "technical", "subject": "Вопрос", "text": "Текст"},
        format="json",
    )
    assert response.status_code == 201
    assert subscriber.tickets.get().channel == "web"


@pytest.mark.parametrize("header", ["Bearer obk_wrong", "Bearer ", "Bearer nothing-like-ours"])
def test_wrong_token_answers_401(owner_membership, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(reverse("v1_api:me"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] in ("authentication_failed", "not_authenticated")


def test_revoked_token_is_refused_at_once(client, owner, owner_membership):
    token, raw = api_token_create(membership=owner_membership, name="Старый", scope="write")
    assert _bearer(raw).get(reverse("v1_api:me")).status_code == 200
    client.force_login(owner)
    client.post(reverse("apitokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = _bearer(raw).get(reverse("v1_api:me"))
    assert response.status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoke", actor=owner).exists()


def test_removing_the_member_removes_their_tokens(owner, member, subscriber):
    from subscribers.services import membership_remove

    membership = member.memberships.get()
    _token, raw = api_token_create(membership=membership, name="Личный", scope="write")
    membership_remove(membership=membership, actor=owner)
    assert _bearer(raw).get(reverse("v1_api:me")).status_code == 401


def test_plain_member_cannot_revoke_a_colleagues_token(client, member, owner_membership):
    token, _raw = api_token_create(membership=owner_membership, name="Владельца", scope="write")
    client.force_login(member)
    assert client.post(reverse("apitokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert b"\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x86\xd0\xb0" not in (
        client.get(reverse("apitokens:index")).content
    )


def test_manager_can_revoke_a_members_leaked_token(client, owner, member):
    token, _raw = api_token_create(
        membership=member.memberships.get(), name="Утёкший", scope="write"
    )
    client.force_login(owner)
    assert "Утёкший" in client.get(reverse("apitokens:index")).content.decode()
    client.post(reverse("apitokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_empty_name_is_refused_and_creates_nothing(client, member):
    client.force_login(member)
    response = client.post(reverse("apitokens:index"), {"name": "  ", "scope": "write"})
    assert response.status_code == 200
    assert response.context["raw_token"] is None
    assert not ApiToken.objects.exists()


def test_session_of_the_panel_also_authenticates_with_csrf(owner, subscriber):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get(reverse("v1_api:me")).json()["token_scope"] is None
    response = client.post(
        reverse("v1_api:tickets"),
        {"category": "technical", "subject": "Вопрос", "text": "Текст"},
        format="json",
    )
    assert response.status_code == 403  # no CSRF token: a foreign site cannot post as the user
    assert not subscriber.tickets.exists()

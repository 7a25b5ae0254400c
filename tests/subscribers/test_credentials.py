"""Issue 18: personal API tokens kept working after a password change or reset (sessions were
cut, tokens were not), and the account's address was not told of password or email changes.
Decision: a change, set or reset of the password revokes the person's tokens (as GitHub does on
a reset) and the notice says so."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create

pytestmark = pytest.mark.django_db

OLD, NEW = "Staryi-parol-2026", "Novyi-parol-2026!"


@pytest.fixture
def person(owner):
    owner.set_password(OLD)
    owner.save(update_fields=["password"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=owner, email=owner.email, defaults={"verified": True, "primary": True}
    )
    return owner


def _token(user):
    return api_token_create(membership=user.memberships.get(), name="1С-интеграция", scope="read")[
        1
    ]


def _api(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_a_password_change_revokes_the_api_tokens_and_tells_the_address(
    client, person, django_capture_on_commit_callbacks
):
    raw = _token(person)
    assert _api(raw).get("/api/v1/me/").status_code == 200
    client.force_login(person)
    url = reverse("account_change_password")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"oldpassword": OLD, "password1": NEW, "password2": NEW})
    assert response.status_code == 302
    assert _api(raw).get("/api/v1/me/").status_code == 401
    notice = [m for m in mail.outbox if m.to == [person.email]][-1]
    assert "пароль" in notice.subject.lower()
    assert "отозван" in notice.body


def test_a_password_reset_revokes_the_api_tokens(
    client, person, django_capture_on_commit_callbacks
):
    raw = _token(person)
    assert client.get(reverse("account_reset_password")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(r"https?://\S+/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_page.redirect_chain[-1][0], {"password1": NEW, "password2": NEW})
    assert done.status_code == 302
    assert _api(raw).get("/api/v1/me/").status_code == 401
    assert any("пароль" in m.subject.lower() for m in mail.outbox[1:])


def test_an_email_change_by_staff_tells_the_old_address(
    staff_client, person, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = staff_client(superuser)
    url = reverse("admin:subscribers_user_change", args=[person.pk])
    assert client.get(url).status_code == 200
    old = person.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "email": "new-address@example.com",
                "full_name": person.full_name,
                "is_active": "on",
                "date_joined_0": "01.01.2026",
                "date_joined_1": "00:00:00",
            },
        )
    person.refresh_from_db()
    assert person.email == "new-address@example.com"
    notice = mail.outbox[-1]
    assert old in notice.to and "new-address@example.com" in notice.body


def test_allauths_primary_address_change_tells_the_old_address(
    rf, person, django_capture_on_commit_callbacks
):
    from subscribers.adapters import AccountAdapter

    request = rf.post("/accounts/email/")
    request.user = person
    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter(request).send_notification_mail(
            "account/email/email_changed",
            person,
            context={"from_email": person.email, "to_email": "other@example.com"},
            email=person.email,
        )
    assert mail.outbox[-1].to == [person.email, "other@example.com"]

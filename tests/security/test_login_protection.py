"""Sign-in protection: repeated failed logins lock the account (and the address) out for a while
with a Russian message; staff never reach the admin without the second factor — superusers
included, and not through the admin's own password-only login form either."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from onebuh.settings.base import ACCOUNT_RATE_LIMITS
from subscribers.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "Sl0zhnyi-parol!"
LOCKED = "Слишком много неудачных попыток входа"
T0 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _production_rate_limits():
    """The test settings switch the limits off; these tests run with the configured ones."""
    with override_settings(ACCOUNT_RATE_LIMITS=ACCOUNT_RATE_LIMITS):
        yield


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_configured_policy_limits_failed_logins_per_account_and_per_address():
    assert ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(client, owner):
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    with time_machine.travel(T0, tick=False) as clock:
        for attempt in range(5):
            response = _login(client, owner.email, f"wrong-{attempt}")
            assert response.status_code == 200
            assert LOCKED not in response.content.decode()
        response = _login(client, owner.email, PASSWORD)
        assert response.status_code == 200
        assert LOCKED in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
        assert not AuditEntry.objects.filter(action="auth.login").exists()

        # Five minutes later the window has passed: the right password works again.
        clock.move_to(T0 + datetime.timedelta(minutes=5, seconds=1))
        response = _login(client, owner.email, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_lockout_is_per_account(client, owner):
    other = UserFactory(email="other@example.kz", password=PASSWORD)
    with time_machine.travel(T0, tick=False):
        for attempt in range(5):
            _login(client, owner.email, f"wrong-{attempt}")
        assert LOCKED in _login(client, owner.email, "again").content.decode()
        assert _login(client, other.email, PASSWORD).status_code == 302


def test_many_failed_logins_from_one_address_are_throttled_across_accounts(client, db):
    target = UserFactory(email="target@example.kz", password=PASSWORD)
    with time_machine.travel(T0, tick=False):
        for n in range(10):
            response = _login(client, f"guess-{n}@example.kz", "wrong")
            assert LOCKED not in response.content.decode()
        response = _login(client, target.email, PASSWORD)
        assert LOCKED in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_superuser_without_a_second_factor_is_kept_out_of_the_admin(client, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    changelist = client.get(reverse("admin:subscribers_subscriber_changelist"))
    assert changelist.status_code == 302 and changelist.url == reverse("mfa_activate_totp")


def test_a_superuser_with_totp_reaches_the_admin(staff_client, db):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert staff_client(superuser).get(reverse("admin:index")).status_code == 200


def test_the_admins_password_only_login_form_cannot_skip_the_second_factor(
    client, operator_engineer, mfa
):
    operator_engineer.set_password(PASSWORD)
    operator_engineer.save(update_fields=["password"])
    mfa(operator_engineer)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": operator_engineer.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/"
    assert "_auth_user_id" not in client.session
    # Through the portal's sign-in the password leads to the code, not into the admin.
    response = _login(client, operator_engineer.email, PASSWORD)
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302

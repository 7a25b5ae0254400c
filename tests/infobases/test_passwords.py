"""1C access done right (issue 14): the creator's full access, no password in any email, the
one-time reveal that expires, reset and the member's own password, the .v8i files."""

import datetime
import hashlib

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from infobases import passwords
from infobases.models import InfobaseAccess, Operation, OperationKind
from infobases.services import access_set
from subscribers.models import SubscriberStatus, SuspensionReason
from tests.infobases.factories import InfobaseFactory


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def owner_access(ready_infobase, owner):
    return InfobaseAccess.objects.get(infobase=ready_infobase, membership__user=owner)


def test_the_member_who_adds_a_base_gets_full_rights_and_no_password_by_email(
    ready_infobase, owner, owner_access, local_driver
):
    assert owner_access.role == "full"
    one_c = local_driver.meta(ready_infobase.ref)["users"][owner_access.login]
    assert one_c["role"] == "full"
    password = passwords.unseal(owner_access.password_sealed)
    assert one_c["password_sha256"] == _sha(password)
    (message,) = [m for m in mail.outbox if m.to == [owner.email]]
    assert password not in message.body and password not in message.alternatives[0][0]
    # The operation that set the user keeps no copy of the password, not even sealed.
    create = Operation.objects.get(infobase=ready_infobase, kind=OperationKind.CREATE)
    assert "password_sealed" not in create.params["creator"]
    assert owner_access.password_sealed not in str(create.params)


def test_the_password_is_shown_once_answered_uncached_then_gone(
    client, ready_infobase, owner, owner_access, local_driver
):
    client.force_login(owner)
    detail = client.get(ready_infobase.get_absolute_url()).content.decode()
    assert (
        owner_access.login in detail
        and reverse("infobases:password", args=[ready_infobase.pk]) in detail
    )
    page = client.get(reverse("infobases:password", args=[ready_infobase.pk]))
    assert "Показать пароль" in page.content.decode()
    reveal = reverse("infobases:password_reveal", args=[ready_infobase.pk])
    assert client.get(reveal).status_code == 405  # never a link a scanner may follow
    shown = client.post(reveal)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    password = shown.context["password"]
    assert password in shown.content.decode()
    assert local_driver.meta(ready_infobase.ref)["users"][owner_access.login][
        "password_sha256"
    ] == _sha(password)
    owner_access.refresh_from_db()
    assert owner_access.password_sealed == "" and owner_access.password_set_at is not None
    again = client.post(reveal, follow=True)
    assert password not in again.content.decode()
    assert "уже был показан" in again.content.decode()


def test_an_unrevealed_password_expires(client, ready_infobase, owner, owner_access):
    client.force_login(owner)
    later = timezone.now() + datetime.timedelta(hours=73)
    with time_machine.travel(later):
        response = client.post(
            reverse("infobases:password_reveal", args=[ready_infobase.pk]), follow=True
        )
    assert "password" not in response.context or not response.context.get("password")
    assert "истёк" in response.content.decode()


def test_reset_makes_a_new_one_and_an_own_password_is_kept_nowhere(
    client, ready_infobase, owner, owner_access, local_driver, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    url = reverse("infobases:password", args=[ready_infobase.pk])
    old_hash = local_driver.meta(ready_infobase.ref)["users"][owner_access.login]["password_sha256"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("infobases:password_reset", args=[ready_infobase.pk]))
    owner_access.refresh_from_db()
    new = passwords.unseal(owner_access.password_sealed)
    one_c = local_driver.meta(ready_infobase.ref)["users"][owner_access.login]
    assert one_c["password_sha256"] == _sha(new) != old_hash
    # The member's own password: the form is rendered, mismatches are refused.
    assert 'name="password1"' in client.get(url).content.decode()
    refused = client.post(url, {"password1": "Svoi-parol-1", "password2": "Drugoi-parol-2"})
    assert "различаются" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"password1": "Svoi-parol-1", "password2": "Svoi-parol-1"})
    owner_access.refresh_from_db()
    assert owner_access.password_sealed == "" and owner_access.password_reveal_until is None
    assert local_driver.meta(ready_infobase.ref)["users"][owner_access.login][
        "password_sha256"
    ] == _sha("Svoi-parol-1")
    last = Operation.objects.filter(kind=OperationKind.USER_SET).latest("pk")
    assert "password_sealed" not in last.params
    assert not [m for m in mail.outbox if "Svoi-parol-1" in m.body]


def test_a_suspended_subscriber_cannot_change_1c_passwords(
    client, ready_infobase, owner, owner_access, subscriber
):
    subscriber.status = SubscriberStatus.SUSPENDED
    subscriber.suspension_reason = SuspensionReason.NON_PAYMENT
    subscriber.save(update_fields=["status", "suspension_reason"])
    client.force_login(owner)
    url = reverse("infobases:password", args=[ready_infobase.pk])
    client.post(url, {"password1": "Svoi-parol-1", "password2": "Svoi-parol-1"})
    owner_access.refresh_from_db()
    assert owner_access.password_set_at is None


def test_nobody_reaches_another_persons_password_page(
    client, ready_infobase, owner, member, subscriber_admin, subscriber, run_now
):
    url = reverse("infobases:password", args=[ready_infobase.pk])
    client.force_login(member)  # no access to the base
    assert client.get(url).status_code == 404
    client.force_login(subscriber_admin)  # a manager sees the base, but has no account in it
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("infobases:password_reveal", args=[ready_infobase.pk])).status_code
        == 404
    )


def test_v8i_files_for_one_base_and_for_all_of_the_members_bases(
    client, ready_infobase, owner, member, subscriber, run_now, settings
):
    other = InfobaseFactory(subscriber=subscriber, name="Зарплата [2026]", status="ready")
    client.force_login(owner)
    one = client.get(reverse("infobases:v8i", args=[ready_infobase.pk]))
    assert one["Content-Disposition"].endswith('.v8i"')
    text = one.content.decode("utf-8")
    assert text.startswith("\ufeff[Основная]\r\n")
    assert f'Connect=ws="{settings.ONEBUH_INFOBASES_WEB_URL}/{ready_infobase.ref}";\r\n' in text
    assert "App=ThinClient" in text and "ID=" in text
    every = client.get(reverse("infobases:v8i_all")).content.decode("utf-8")
    assert every.count("Connect=ws=") == 2 and "[Зарплата (2026)]" in every
    # A plain user's file lists only the bases they have access to.
    membership = member.memberships.get(subscriber=subscriber)
    run_now(lambda: access_set(infobase=other, membership=membership, role="user", actor=owner))
    client.force_login(member)
    mine = client.get(reverse("infobases:v8i_all")).content.decode("utf-8")
    assert mine.count("Connect=ws=") == 1 and other.ref in mine
    assert client.get(reverse("infobases:v8i", args=[ready_infobase.pk])).status_code == 404

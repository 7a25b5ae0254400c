import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from infobases import passwords
from infobases.models import InfobaseAccess, LicenceEvent
from infobases.services import access_revoke, access_set
from subscribers.models import MemberRole
from tests.factories import MembershipFactory
from tests.infobases.factories import AccessFactory, BackupFactory, InfobaseFactory


@pytest.fixture
def member_membership(member, subscriber):
    return member.memberships.get(subscriber=subscriber)


def test_granting_access_creates_the_1c_user_and_emails_the_login_but_no_password(
    ready_infobase, owner, member_membership, run_now, local_driver
):
    run_now(
        lambda: access_set(
            infobase=ready_infobase, membership=member_membership, role="user", actor=owner
        )
    )
    login = member_membership.user.email
    users = local_driver.meta(ready_infobase.ref)["users"]
    assert users[login]["role"] == "user"
    assert "password_sha256" in users[login]
    message = mail.outbox[-1]
    assert message.to == [login]
    assert login in message.body
    assert "/password/" in message.body and "не отправляется" in message.body
    access = InfobaseAccess.objects.get(membership=member_membership)
    password = passwords.unseal(access.password_sealed)
    assert users[login]["password_sha256"] == hashlib.sha256(password.encode()).hexdigest()
    for part in [message.body, message.alternatives[0][0], message.subject]:
        assert password not in part
    registration = LicenceEvent.objects.get(user_email=login)
    assert registration.kind == "registration"


def test_changing_the_role_keeps_the_password_and_revoking_removes_the_user(
    ready_infobase, owner, member_membership, run_now, local_driver
):
    run_now(
        lambda: access_set(
            infobase=ready_infobase, membership=member_membership, role="user", actor=owner
        )
    )
    login = member_membership.user.email
    password_hash = local_driver.meta(ready_infobase.ref)["users"][login]["password_sha256"]
    sent = len(mail.outbox)
    run_now(
        lambda: access_set(
            infobase=ready_infobase, membership=member_membership, role="full", actor=owner
        )
    )
    user = local_driver.meta(ready_infobase.ref)["users"][login]
    assert (user["role"], user["password_sha256"]) == ("full", password_hash)
    assert len(mail.outbox) == sent
    access = InfobaseAccess.objects.get(membership=member_membership)
    run_now(lambda: access_revoke(access=access, actor=owner))
    assert login not in local_driver.meta(ready_infobase.ref)["users"]
    events = LicenceEvent.objects.filter(user_email=login).order_by("pk")
    assert list(events.values_list("kind", flat=True)) == ["registration", "termination"]


def test_the_tariff_limit_of_users_counts_people_not_grants(
    ready_infobase, owner, subscriber, run_now
):
    owner_membership = owner.memberships.get(subscriber=subscriber)
    first = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    second = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    run_now(
        lambda: access_set(
            infobase=ready_infobase, membership=owner_membership, role="full", actor=owner
        )
    )
    run_now(lambda: access_set(infobase=ready_infobase, membership=first, role="user", actor=owner))
    # The tariff allows 2 users: changing a role of one of them is fine, a third person is not.
    access_set(infobase=ready_infobase, membership=first, role="full", actor=owner)
    with pytest.raises(ValidationError):
        access_set(infobase=ready_infobase, membership=second, role="user", actor=owner)
    assert not InfobaseAccess.objects.filter(membership=second).exists()


def test_a_member_of_another_subscriber_cannot_be_given_access(ready_infobase, owner, outsider):
    with pytest.raises(ValidationError):
        access_set(
            infobase=ready_infobase, membership=outsider.memberships.get(), role="user", actor=owner
        )


def test_a_member_sees_only_infobases_they_have_access_to(client, subscriber, member):
    mine = InfobaseFactory(subscriber=subscriber, name="Моя")
    hidden = InfobaseFactory(subscriber=subscriber, name="Чужая")
    AccessFactory(infobase=mine, membership=member.memberships.get())
    client.force_login(member)
    page = client.get(reverse("infobases:index")).content.decode()
    assert "Моя" in page and "Чужая" not in page
    assert client.get(reverse("infobases:detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("infobases:detail", args=[mine.pk])).status_code == 200


def test_a_plain_member_cannot_open_the_access_page(client, member):
    client.force_login(member)
    assert client.get(reverse("infobases:access")).status_code == 403


def _fill(subscriber, count):
    for _ in range(count):
        infobase = InfobaseFactory(subscriber=subscriber)
        membership = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
        AccessFactory(infobase=infobase, membership=membership)
        BackupFactory(infobase=infobase)
        BackupFactory(infobase=infobase)


# Each list page's queries, the same for 2 infobases as for 10 (one more is an N+1); the session
# comes from the cache.
LIST_PAGE_QUERIES = {"infobases:index": 4, "infobases:access": 5, "infobases:backups": 4}


@pytest.mark.parametrize("url_name", LIST_PAGE_QUERIES)
def test_list_pages_use_a_fixed_number_of_queries(
    client, owner, subscriber, url_name, django_assert_num_queries
):
    client.force_login(owner)
    url = reverse(url_name)
    client.get(url)  # warm the session's terms flags
    _fill(subscriber, 2)
    with django_assert_num_queries(LIST_PAGE_QUERIES[url_name]):
        assert client.get(url).status_code == 200
    _fill(subscriber, 8)
    with django_assert_num_queries(LIST_PAGE_QUERIES[url_name]):
        assert client.get(url).status_code == 200


def test_the_list_writes_a_hostile_name_as_text(client, subscriber, owner):
    """The list's rows are written in Python (infobases.badges.infobase_rows): a base's name is
    still text, never markup."""
    InfobaseFactory(subscriber=subscriber, name='<img src=x onerror="alert(1)">Склад')
    client.force_login(owner)
    page = client.get(reverse("infobases:index")).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Склад" in page

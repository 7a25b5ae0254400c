from django.urls import reverse

from subscribers.models import MemberRole
from subscribers.services import subscriber_change_state
from tests.factories import MembershipFactory


def test_dashboard_shows_state_responsible_person_and_members(client, owner, member, subscriber):
    client.force_login(owner)
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert subscriber.name in page
    assert "Активен" in page
    assert subscriber.responsible_full_name in page
    assert "+7 701 123 45 67" in page  # factory phone +77011234567, grouped
    assert member.email in page and owner.email in page


def test_dashboard_shows_suspension(client, owner, subscriber):
    subscriber_change_state(
        subscriber=subscriber,
        to_status="suspended",
        event="suspended",
        cause="Счёт не оплачен в срок",
        suspension_reason="non_payment",
    )
    client.force_login(owner)
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "Доступ к Сервису приостановлен" in page
    assert "Счёт не оплачен в срок" in page


def test_dashboard_query_count_does_not_grow_with_members(
    client, owner, subscriber, django_assert_num_queries
):
    # A second member from the start: the first steps' "invite someone" is done in both counts.
    MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    client.force_login(owner)
    client.get(reverse("subscribers:dashboard"))  # warm the session's terms flags
    # user, memberships, the members, the first steps, the sums with the tariff, the state
    # history (the session from the cache)
    with django_assert_num_queries(6):
        client.get(reverse("subscribers:dashboard"))
    for _ in range(30):
        MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    with django_assert_num_queries(6):
        client.get(reverse("subscribers:dashboard"))


def test_members_page_query_count_does_not_grow(
    client, owner, subscriber, django_assert_num_queries
):
    client.force_login(owner)
    client.get(reverse("subscribers:members"))
    with django_assert_num_queries(4):  # the session comes from the cache
        client.get(reverse("subscribers:members"))
    for _ in range(30):
        MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    with django_assert_num_queries(4):  # the session comes from the cache
        client.get(reverse("subscribers:members"))


def test_person_in_two_subscribers_switches_between_them(
    client, owner, subscriber, other_subscriber
):
    MembershipFactory(subscriber=other_subscriber, user=owner, role=MemberRole.ACCOUNTANT)
    client.force_login(owner)
    assert subscriber.name in client.get(reverse("subscribers:dashboard")).content.decode()
    client.post(reverse("subscribers:switch"), {"subscriber": other_subscriber.pk})
    assert other_subscriber.name in client.get(reverse("subscribers:dashboard")).content.decode()


def test_cannot_switch_to_a_subscriber_one_is_not_member_of(client, owner, other_subscriber):
    client.force_login(owner)
    response = client.post(reverse("subscribers:switch"), {"subscriber": other_subscriber.pk})
    assert response.status_code == 404


def test_first_steps_lead_a_new_owner_until_everything_is_done(
    client, owner, subscriber, django_assert_num_queries
):
    from django.urls import reverse

    from tests.infobases.factories import BackupFactory, InfobaseFactory, give_tariff

    client.force_login(owner)
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "Первые шаги" in page
    assert f'href="{reverse("billing:tariffs")}"' in page
    give_tariff(subscriber)
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert f'href="{reverse("billing:tariffs")}"' not in page  # done: no longer a link
    assert f'href="{reverse("infobases:add")}"' in page
    infobase = InfobaseFactory(subscriber=subscriber)
    BackupFactory(infobase=infobase, status="done")
    from infobases.models import InfobaseAccess
    from tests.factories import MembershipFactory

    for membership in [owner.memberships.get(), MembershipFactory(subscriber=subscriber)]:
        InfobaseAccess.objects.create(
            infobase=infobase, membership=membership, role="user", login=membership.user.email
        )
    with django_assert_num_queries(6):
        page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "Первые шаги" not in page

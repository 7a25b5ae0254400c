import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from infobases.services import access_set, lock_clear, lock_set
from subscribers.models import MemberRole
from tests.factories import MembershipFactory


def test_the_page_lists_sessions_and_an_administrator_ends_a_hung_one(
    client, owner, ready_infobase, local_driver, django_capture_on_commit_callbacks
):
    hung = local_driver.session_open(
        ref=ready_infobase.ref, user="buh@example.kz", client="WebClient"
    )
    local_driver.session_open(ref=ready_infobase.ref, user="boss@example.kz")
    client.force_login(owner)
    page = client.get(reverse("infobases:detail", args=[ready_infobase.pk])).content.decode()
    assert "buh@example.kz" in page and "Веб-клиент" in page and "Тонкий клиент" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("infobases:session_end", args=[ready_infobase.pk, hung]))
    left = [s.user for s in local_driver.sessions(ref=ready_infobase.ref)]
    assert left == ["boss@example.kz"]


def test_an_ordinary_user_ends_only_their_own_sessions(
    client,
    owner,
    subscriber,
    ready_infobase,
    local_driver,
    run_now,
    django_capture_on_commit_callbacks,
):
    membership = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    run_now(
        lambda: access_set(infobase=ready_infobase, membership=membership, role="user", actor=owner)
    )
    login = membership.user.email
    own = local_driver.session_open(ref=ready_infobase.ref, user=login)
    other = local_driver.session_open(ref=ready_infobase.ref, user="someone@example.kz")
    client.force_login(membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("infobases:session_end", args=[ready_infobase.pk, other]))
        client.post(reverse("infobases:session_end", args=[ready_infobase.pk, own]))
    assert [s.id for s in local_driver.sessions(ref=ready_infobase.ref)] == [other]


def test_a_session_lock_shows_whether_it_is_active_now(
    ready_infobase, owner, run_now, local_driver
):
    starts = timezone.now() + datetime.timedelta(hours=2)
    run_now(
        lambda: lock_set(
            infobase=ready_infobase,
            starts=starts,
            ends=starts + datetime.timedelta(hours=1),
            message="Закрытие месяца",
            actor=owner,
        )
    )
    assert local_driver.meta(ready_infobase.ref)["lock"]["message"] == "Закрытие месяца"
    assert not ready_infobase.lock_active()
    with time_machine.travel(starts + datetime.timedelta(minutes=5), tick=False):
        assert ready_infobase.lock_active()
    with time_machine.travel(starts + datetime.timedelta(hours=2), tick=False):
        assert not ready_infobase.lock_active()
    run_now(lambda: lock_clear(infobase=ready_infobase, actor=owner))
    assert local_driver.meta(ready_infobase.ref)["lock"] is None

"""Infobases, access, sessions and backups through /api/v1/, run by the real services and the
local 1C driver."""

import pytest
from django.urls import reverse

from infobases.models import Backup, Infobase
from subscribers.models import AuditEntry, MemberRole, SubscriberStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_owner_adds_renames_and_deletes_an_infobase(owner_api, ready_infobase, run_now):
    listed = owner_api.get(reverse("v1_api:infobases")).json()
    assert [row["name"] for row in listed["results"]] == ["Основная"]
    assert listed["results"][0]["status"] == "ready"
    assert listed["results"][0]["solution"]["code"] == "bk"
    url = reverse("v1_api:infobase_detail", args=[ready_infobase.pk])
    renamed = owner_api.patch(url, {"name": "  Склад  "}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Склад"
    assert AuditEntry.objects.filter(action="infobase.rename").exists()
    deleted = run_now(lambda: owner_api.delete(url))
    assert deleted.status_code == 202 and deleted.json()["status"] == "deleting"
    ready_infobase.refresh_from_db()
    assert ready_infobase.status == "deleted"
    # 1.2: the final backup made before deletion is kept.
    assert Backup.objects.filter(infobase=ready_infobase, kind="final", status="done").exists()


def test_list_filters_by_status_and_refuses_unknown_values(owner_api, ready_infobase):
    assert owner_api.get(reverse("v1_api:infobases"), {"status": "ready"}).json()["count"] == 1
    assert owner_api.get(reverse("v1_api:infobases"), {"status": "failed"}).json()["count"] == 0
    wrong = owner_api.get(reverse("v1_api:infobases"), {"status": "exploded"})
    assert wrong.status_code == 400
    assert "status" in wrong.json()["error"]["fields"]


def test_the_tariffs_limit_is_a_russian_refusal(owner_api, ready_infobase, solution, subscriber):
    owner_api.post(reverse("v1_api:infobases"), {"solution": "bk", "name": "Вторая"}, format="json")
    response = owner_api.post(
        reverse("v1_api:infobases"), {"solution": "bk", "name": "Третья"}, format="json"
    )
    assert response.status_code == 409  # the limit is used: the state, not the input
    assert "тариф" in response.json()["error"]["message"]
    assert Infobase.objects.filter(subscriber=subscriber).count() == 2


def test_suspended_subscriber_cannot_add_an_infobase(owner_api, subscriber, tariff, solution):
    subscriber.status, subscriber.suspension_reason = SubscriberStatus.SUSPENDED, "manual"
    subscriber.save(update_fields=["status", "suspension_reason"])
    response = owner_api.post(
        reverse("v1_api:infobases"), {"solution": "bk", "name": "Новая"}, format="json"
    )
    assert response.status_code == 409
    assert "приостановлен" in response.json()["error"]["message"]
    assert not Infobase.objects.exists()


def test_access_is_granted_and_revoked_and_the_member_sees_accordingly(
    owner_api, api_as, subscriber, ready_infobase, run_now
):
    member = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    member_api = api_as(member.user)
    assert member_api.get(reverse("v1_api:infobases")).json()["count"] == 0
    granted = run_now(
        lambda: owner_api.post(
            reverse("v1_api:access"),
            {"infobase": ready_infobase.pk, "member": member.pk, "role": "user"},
            format="json",
        )
    )
    assert granted.status_code == 200 and granted.json()["login"] == member.user.email
    assert member_api.get(reverse("v1_api:infobases")).json()["count"] == 1
    grants = owner_api.get(reverse("v1_api:access"), {"member": member.pk}).json()
    assert grants["count"] == 1
    revoked = run_now(
        lambda: owner_api.delete(reverse("v1_api:access_detail", args=[granted.json()["id"]]))
    )
    assert revoked.status_code == 204
    assert member_api.get(reverse("v1_api:infobases")).json()["count"] == 0


def test_sessions_are_listed_and_a_plain_user_ends_only_their_own(
    owner_api, api_as, subscriber, ready_infobase, local_driver, run_now
):
    member = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    run_now(
        lambda: owner_api.post(
            reverse("v1_api:access"),
            {"infobase": ready_infobase.pk, "member": member.pk, "role": "user"},
            format="json",
        )
    )
    own = local_driver.session_open(ref=ready_infobase.ref, user=member.user.email)
    other = local_driver.session_open(ref=ready_infobase.ref, user="boss@example.kz")
    sessions = owner_api.get(reverse("v1_api:sessions", args=[ready_infobase.pk])).json()
    assert {row["id"] for row in sessions["results"]} == {own, other}
    member_api = api_as(member.user)
    refused = member_api.post(reverse("v1_api:session_end", args=[ready_infobase.pk, other]))
    assert refused.status_code == 400
    ended = run_now(
        lambda: member_api.post(reverse("v1_api:session_end", args=[ready_infobase.pk, own]))
    )
    assert ended.status_code == 202
    assert [s.id for s in local_driver.sessions(ref=ready_infobase.ref)] == [other]


def test_backup_is_made_downloaded_by_link_and_restored(
    owner_api, owner, api_as, ready_infobase, run_now
):
    made = run_now(
        lambda: owner_api.post(
            reverse("v1_api:backups"), {"infobase": ready_infobase.pk}, format="json"
        )
    )
    assert made.status_code == 201
    backup = Backup.objects.get(pk=made.json()["id"])
    assert backup.status == "done"
    listed = owner_api.get(reverse("v1_api:backups"), {"kind": "on_demand"}).json()
    assert [row["id"] for row in listed["results"]] == [backup.pk]
    link = owner_api.get(reverse("v1_api:backup_link", args=[backup.pk])).json()
    assert link["url"].startswith("http://testserver/api/v1/backups/files/")
    download = owner_api.get(link["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content)
    # The link names its person: someone else's token gets nothing from it.
    admin = MembershipFactory(subscriber=ready_infobase.subscriber, role=MemberRole.ADMIN)
    assert api_as(admin.user).get(link["url"]).status_code == 404
    restored = run_now(
        lambda: owner_api.post(
            reverse("v1_api:backup_restore", args=[backup.pk]),
            {"into": "new", "name": "Копия"},
            format="json",
        )
    )
    assert restored.status_code == 202
    assert Infobase.objects.get(pk=restored.json()["id"]).name == "Копия"


def test_plain_user_without_full_rights_gets_no_backup_link(api_as, subscriber, ready_infobase):
    from tests.infobases.factories import BackupFactory

    backup = BackupFactory(infobase=ready_infobase)
    member = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    response = api_as(member.user).get(reverse("v1_api:backup_link", args=[backup.pk]))
    assert response.status_code == 404


def test_expired_download_link_answers_410(owner_api, ready_infobase, settings):
    from tests.infobases.factories import BackupFactory

    backup = BackupFactory(infobase=ready_infobase)
    link = owner_api.get(reverse("v1_api:backup_link", args=[backup.pk])).json()
    settings.ONEBUH_INFOBASES_DOWNLOAD_LINK_SECONDS = -1
    response = owner_api.get(link["url"])
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "link_expired"
    assert "истёк" in response.json()["error"]["message"]

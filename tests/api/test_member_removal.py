"""Issue 18: `DELETE /api/v1/members/<pk>/` removes the member's 1C users as the panel does."""

from infobases.models import InfobaseAccess, LicenceEvent
from subscribers.models import Membership


def test_deleting_a_member_through_the_api_removes_their_1c_user(
    owner_api, api_as, member, subscriber, ready_infobase, run_now, local_driver
):
    membership = member.memberships.get(subscriber=subscriber)
    granted = run_now(
        lambda: owner_api.post(
            "/api/v1/access/",
            {"infobase": ready_infobase.pk, "member": membership.pk, "role": "user"},
            format="json",
        )
    )
    assert granted.status_code in (200, 201), granted.json()
    member_api = api_as(member)
    assert member_api.get("/api/v1/me/").status_code == 200
    login = member.email.lower()
    assert login in local_driver.meta(ready_infobase.ref)["users"]

    response = run_now(lambda: owner_api.delete(f"/api/v1/members/{membership.pk}/"))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # The owner created the base and keeps full access; the removed member has none.
    assert not InfobaseAccess.objects.filter(membership__user=member).exists()
    assert login not in local_driver.meta(ready_infobase.ref)["users"]
    assert LicenceEvent.objects.filter(kind="termination", user_email=member.email).exists()
    assert member_api.get("/api/v1/me/").status_code == 401

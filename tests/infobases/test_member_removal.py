"""Issue 18: removing a member (or lowering their role) ends what the membership granted.

Before: `POST /members/<pk>/remove/` deleted the membership and its access rows by cascade,
but the 1C user stayed in the infobase with its password hash and no licence termination was
recorded. The local driver keeps each infobase's users in a real folder, so the tests read
what the infobase itself lists.
"""

from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create
from infobases.models import InfobaseAccess, LicenceEvent, Operation, OperationKind
from infobases.services import access_set
from subscribers.models import AuditEntry, MemberRole, Membership
from subscribers.services import membership_remove
from tests.factories import MembershipFactory
from tests.infobases.factories import InfobaseFactory


def _grant(run_now, infobase, membership, owner, role="user"):
    run_now(lambda: access_set(infobase=infobase, membership=membership, role=role, actor=owner))


def test_removing_a_member_in_the_panel_removes_their_1c_users(
    client, owner, member, subscriber, ready_infobase, tariff, run_now, local_driver
):
    membership = member.memberships.get(subscriber=subscriber)
    _grant(run_now, ready_infobase, membership, owner, role="full")
    _token, raw = api_token_create(membership=membership, name="Личный", scope="write")
    login = member.email.lower()
    assert login in local_driver.meta(ready_infobase.ref)["users"]

    client.force_login(owner)
    assert client.get(reverse("subscribers:members")).status_code == 200  # the form is rendered
    response = run_now(
        lambda: client.post(reverse("subscribers:member_remove", args=[membership.pk]))
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert login not in local_driver.meta(ready_infobase.ref)["users"]
    removal = Operation.objects.get(kind=OperationKind.USER_REMOVE)
    assert (removal.params["login"], removal.status, removal.actor) == (login, "done", owner)
    termination = LicenceEvent.objects.get(kind="termination")
    assert (termination.user_email, termination.solution_id) == (
        member.email,
        ready_infobase.solution_id,
    )
    assert not ApiToken.objects.filter(secret_hash__isnull=False, prefix=raw[:12]).exists()
    entry = AuditEntry.objects.get(action="member.remove")
    assert entry.data["infobase_users"] == 1 and entry.data["api_tokens"] == 1


def test_removal_ends_access_in_every_infobase_and_one_termination_per_solution(
    owner, member, subscriber, ready_infobase, tariff, run_now, local_driver
):
    tariff.max_infobases = 3
    tariff.save(update_fields=["max_infobases"])
    second = InfobaseFactory(subscriber=subscriber, solution=ready_infobase.solution)
    local_driver.create(ref=second.ref, template="")
    membership = member.memberships.get(subscriber=subscriber)
    for infobase in (ready_infobase, second):
        _grant(run_now, infobase, membership, owner)
    run_now(lambda: membership_remove(membership=membership, actor=owner))
    # The owner created the bases and keeps full access; the removed member has none.
    assert not InfobaseAccess.objects.filter(membership__user=member).exists()
    assert Operation.objects.filter(kind=OperationKind.USER_REMOVE, status="done").count() == 2
    for infobase in (ready_infobase, second):
        assert member.email.lower() not in local_driver.meta(infobase.ref)["users"]
    assert LicenceEvent.objects.filter(kind="termination").count() == 1


def test_removal_of_a_suspended_subscribers_member_still_removes_the_1c_user(
    owner, member, subscriber, ready_infobase, tariff, run_now, local_driver
):
    membership = member.memberships.get(subscriber=subscriber)
    _grant(run_now, ready_infobase, membership, owner)
    subscriber.status, subscriber.suspension_reason = "suspended", "non_payment"
    subscriber.save(update_fields=["status", "suspension_reason"])
    run_now(lambda: membership_remove(membership=membership, actor=owner))
    assert member.email.lower() not in local_driver.meta(ready_infobase.ref)["users"]


def test_a_manager_lowered_to_user_loses_full_rights_in_1c(
    client, owner, subscriber, ready_infobase, tariff, run_now, local_driver
):
    admin_membership = MembershipFactory(subscriber=subscriber, role=MemberRole.ADMIN)
    _grant(run_now, ready_infobase, admin_membership, owner, role="full")
    login = admin_membership.user.email.lower()
    assert local_driver.meta(ready_infobase.ref)["users"][login]["role"] == "full"

    client.force_login(owner)
    assert client.get(reverse("subscribers:members")).status_code == 200
    run_now(
        lambda: client.post(
            reverse("subscribers:member_role", args=[admin_membership.pk]), {"role": "user"}
        )
    )
    admin_membership.refresh_from_db()
    assert admin_membership.role == "user"
    assert InfobaseAccess.objects.get(membership=admin_membership).role == "user"
    assert local_driver.meta(ready_infobase.ref)["users"][login]["role"] == "user"


def test_a_role_change_between_manager_roles_keeps_the_1c_rights(
    owner, subscriber, ready_infobase, tariff, run_now
):
    from subscribers.services import membership_change_role

    accountant = MembershipFactory(subscriber=subscriber, role=MemberRole.ACCOUNTANT)
    _grant(run_now, ready_infobase, accountant, owner, role="full")
    run_now(lambda: membership_change_role(membership=accountant, role="user", actor=owner))
    # Full rights were granted to an accountant deliberately; lowering is about manager powers.
    assert InfobaseAccess.objects.get(membership=accountant).role == "full"


def _inline_post(page, **overrides):
    """The subscriber admin's change form as the browser posts it back, inlines included."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for member_form in formset.forms:
            for name in member_form.fields:
                value = member_form[name].value()
                if value is not None and value is not False:
                    data[member_form.add_prefix(name)] = value
    data.update(overrides)
    return data


def _form_index(page, membership):
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Membership
    )
    index = [f.instance.pk for f in formset.forms].index(membership.pk)
    return f"{formset.prefix}-{index}"


def test_staff_lowering_a_role_in_the_subscriber_admin_ends_the_full_rights_too(
    staff_client, staff_admin, owner, subscriber, ready_infobase, tariff, run_now, local_driver
):
    """The admin's membership inline saved the role with a plain save(): the lowered manager
    kept full rights in 1C. It now goes through membership_change_role as the panel does."""
    admin_membership = MembershipFactory(subscriber=subscriber, role=MemberRole.ADMIN)
    _grant(run_now, ready_infobase, admin_membership, owner, role="full")
    login = admin_membership.user.email.lower()
    staff = staff_client(staff_admin)
    url = reverse("admin:subscribers_subscriber_change", args=[subscriber.pk])
    page = staff.get(url)
    prefix = _form_index(page, admin_membership)

    response = run_now(lambda: staff.post(url, _inline_post(page, **{f"{prefix}-role": "user"})))

    assert response.status_code == 302, response.content.decode()[:3000]
    admin_membership.refresh_from_db()
    assert admin_membership.role == "user"
    assert InfobaseAccess.objects.get(membership=admin_membership).role == "user"
    assert local_driver.meta(ready_infobase.ref)["users"][login]["role"] == "user"
    entry = AuditEntry.objects.get(action="member.role_change")
    assert (entry.actor, entry.data["from"], entry.data["to"]) == (staff_admin, "admin", "user")


def test_a_superuser_removing_a_member_in_the_subscriber_admin_removes_their_1c_user(
    staff_client,
    admin_user,
    owner,
    member,
    subscriber,
    ready_infobase,
    tariff,
    run_now,
    local_driver,
):
    """Only a superuser may remove a member in the admin (the operator's administrators change
    roles; owners remove members in the panel); the removal is the panel's service."""
    membership = member.memberships.get(subscriber=subscriber)
    _grant(run_now, ready_infobase, membership, owner)
    staff = staff_client(admin_user)
    url = reverse("admin:subscribers_subscriber_change", args=[subscriber.pk])
    page = staff.get(url)
    prefix = _form_index(page, membership)

    response = run_now(lambda: staff.post(url, _inline_post(page, **{f"{prefix}-DELETE": "on"})))

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert member.email.lower() not in local_driver.meta(ready_infobase.ref)["users"]
    assert AuditEntry.objects.filter(action="member.remove", actor=admin_user).exists()


def test_the_owner_cannot_be_lowered_or_removed_in_the_subscriber_admin(
    staff_client, admin_user, owner, subscriber
):
    staff = staff_client(admin_user)
    url = reverse("admin:subscribers_subscriber_change", args=[subscriber.pk])
    page = staff.get(url)
    prefix = _form_index(page, Membership.objects.get(subscriber=subscriber, user=owner))
    for change in ({f"{prefix}-role": "user"}, {f"{prefix}-DELETE": "on"}):
        response = staff.post(url, _inline_post(page, **change))
        assert response.status_code == 200
        assert "Нельзя изменить роль владельца" in response.content.decode()
    assert Membership.objects.get(subscriber=subscriber, user=owner).role == MemberRole.OWNER

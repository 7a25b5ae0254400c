"""Desk journey: staff roles (issue 13). The operator's superuser moves an engineer to the
accountants in the admin and the audit trail says which group was added and which removed; an
"Администратор" who is not a superuser sees no superuser, staff or group controls on the user
form, and a form crafted in the browser to make himself superuser (or a subscriber's person
staff) changes nothing."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from subscribers.audit_actions import AuditAction
from subscribers.models import AuditEntry
from subscribers.roles import GROUP_NAMES, StaffRole
from tests.factories import UserFactory

from .helpers import E2E, desk_page

JOURNEY = "desk-administrator"

pytestmark = E2E


@pytest.fixture
def superuser(db):
    return UserFactory(
        email="chief@onebuh.kz", full_name="Главный Администратор", is_staff=True, is_superuser=True
    )


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def craft_and_submit(page, *, groups: list[int]) -> None:
    """What a person with the browser's developer tools could do: put superuser, staff and
    group inputs the form does not offer into it, and submit it."""
    page.evaluate(
        """(groups) => {
            const form = document.querySelector("#user_form");
            const add = (name, value) => {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                form.appendChild(input);
            };
            add("is_superuser", "on");
            add("is_staff", "on");
            groups.forEach((id) => add("groups", String(id)));
        }""",
        groups,
    )
    page.locator("#user_form input[name=_save]").click()
    page.wait_for_load_state()


def test_superuser_changes_a_role_and_an_administrator_cannot_grant_superuser(
    open_page, shot, superuser, staff_admin, operator_engineer, member
):
    engineers = GROUP_NAMES[StaffRole.OPERATOR_ENGINEER]
    accountants = GROUP_NAMES[StaffRole.ACCOUNTANT]

    # The superuser moves the engineer to the accountants: one group out, one in.
    page = desk_page(open_page, superuser)
    page.goto(reverse("admin:subscribers_user_changelist"))
    page.get_by_role("link", name=operator_engineer.email).click()
    page.wait_for_url(re.compile(rf"/user/{operator_engineer.pk}/change/$"))
    page.locator("#id_groups_to").select_option(label=engineers)
    page.locator("#id_groups_remove").click()
    page.locator("#id_groups_from").select_option(label=accountants)
    page.locator("#id_groups_add").click()
    assert page.locator("#id_groups_to option").all_inner_texts() == [accountants]
    shot(page, "superuser-moves-engineer-to-accountants")
    page.locator("#user_form input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/subscribers/user/$"))
    assert group_names(operator_engineer) == {accountants}
    shot(page, "role-changed")

    # The audit trail: "Staff roles changed", which group was added and which removed.
    page.goto(reverse("admin:subscribers_auditentry_changelist"))
    page.get_by_role("link", name="Изменены роли сотрудника").click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "chief@onebuh.kz" in row or "Главный Администратор" in row, row
    shot(page, "audit-role-change-listed")
    entry = AuditEntry.objects.get(action=AuditAction.STAFF_ROLE_CHANGE)
    assert entry.data == {"added": [accountants], "removed": [engineers]}
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/auditentry/{entry.pk}/change/"))
    details = page.locator("#content-main").inner_text()
    assert accountants in details and engineers in details, details
    shot(page, "audit-entry-names-the-groups")

    # An administrator who is not a superuser: his own form shows no grant to tick.
    admin_page = desk_page(open_page, staff_admin)
    admin_page.goto(reverse("admin:subscribers_user_change", args=[staff_admin.pk]))
    form = admin_page.locator("#user_form")
    for name in ("is_superuser", "is_staff", "groups"):
        assert form.locator(f"[name={name}]").count() == 0, name
    shot(admin_page, "administrator-form-offers-no-grants")

    # A crafted form that makes him superuser, and a subscriber's person staff: nothing changes.
    administrators = Group.objects.get(name=GROUP_NAMES[StaffRole.ADMINISTRATOR])
    craft_and_submit(admin_page, groups=[administrators.pk, Group.objects.get(name=accountants).pk])
    staff_admin.refresh_from_db()
    assert not staff_admin.is_superuser
    assert group_names(staff_admin) == {administrators.name}
    shot(admin_page, "crafted-superuser-grant-ignored")

    admin_page.goto(reverse("admin:subscribers_user_change", args=[member.pk]))
    craft_and_submit(admin_page, groups=[administrators.pk])
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser and not group_names(member)

    # Another staff member's account he may only read (its email and password take it over).
    response = admin_page.goto(reverse("admin:subscribers_user_change", args=[superuser.pk]))
    assert response.status == 200
    assert admin_page.locator("input[name=_save], input[name=email]").count() == 0
    assert not AuditEntry.objects.filter(action=AuditAction.STAFF_ROLE_CHANGE).exclude(pk=entry.pk)

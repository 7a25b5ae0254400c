from django.contrib.auth.models import Group

from subscribers.roles import GROUP_NAMES, StaffRole, declared_role_permissions, sync_staff_groups


def test_every_role_is_a_group_with_exactly_the_declared_permissions(db):
    sync_staff_groups()
    declared = declared_role_permissions()
    for role in StaffRole:
        group = Group.objects.get(name=GROUP_NAMES[role])
        actual = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert actual == declared[role]


def test_sync_removes_permissions_given_by_hand(db):
    from django.contrib.auth.models import Permission

    sync_staff_groups()
    group = Group.objects.get(name=GROUP_NAMES[StaffRole.PARTNER_CONSULTANT])
    group.permissions.add(Permission.objects.get(codename="delete_subscriber"))
    sync_staff_groups()
    assert not group.permissions.filter(codename="delete_subscriber").exists()


def test_accountant_reads_audit_but_cannot_change_subscribers(staff_accountant):
    assert staff_accountant.has_perm("subscribers.view_auditentry")
    assert not staff_accountant.has_perm("subscribers.change_subscriber")


def test_partner_consultant_belongs_to_a_firm(partner_consultant, partner_firm):
    assert partner_consultant.partner_firm == partner_firm
    assert partner_consultant.is_staff

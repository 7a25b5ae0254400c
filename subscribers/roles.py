"""Staff roles are Django groups whose permissions each app declares in its own roles.py.

An app's `roles.py` holds `ROLE_PERMISSIONS = {StaffRole.X: ["app_label.codename", ...]}`;
`sync_staff_groups` (run after every migrate and by `seed_demo`) makes the groups match. The
outbox, the layer under every app, may not import StaffRole: its permissions (staff see owed side
effects that failed or got stuck and retry them) are declared here.
"""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    OPERATOR_ENGINEER = "operator_engineer", _("Operator engineer")
    PARTNER_CONSULTANT = "partner_consultant", _("Partner consultant")
    ACCOUNTANT = "accountant", _("Accountant")
    ADMINISTRATOR = "administrator", _("Administrator")


# Group names are what staff see in the admin.
GROUP_NAMES = {
    StaffRole.OPERATOR_ENGINEER: "Инженер оператора",
    StaffRole.PARTNER_CONSULTANT: "Консультант партнёра",
    StaffRole.ACCOUNTANT: "Бухгалтер",
    StaffRole.ADMINISTRATOR: "Администратор",
}

OUTBOX_PERMISSIONS = ["outbox.view_outboxmessage", "outbox.change_outboxmessage"]

ROLE_PERMISSIONS = {
    StaffRole.OPERATOR_ENGINEER: [
        "subscribers.view_subscriber",
        "subscribers.change_subscriber",
        "subscribers.view_membership",
        "subscribers.view_invitation",
        "subscribers.view_subscriberstatechange",
        "subscribers.view_auditentry",
        "subscribers.view_partnerfirm",
        "subscribers.view_termsversion",
        *OUTBOX_PERMISSIONS,
    ],
    StaffRole.PARTNER_CONSULTANT: [
        "subscribers.view_subscriber",
    ],
    StaffRole.ACCOUNTANT: [
        "subscribers.view_subscriber",
        "subscribers.view_subscriberstatechange",
        "subscribers.view_auditentry",
    ],
    StaffRole.ADMINISTRATOR: [
        "subscribers.view_subscriber",
        "subscribers.change_subscriber",
        "subscribers.view_membership",
        "subscribers.change_membership",
        "subscribers.view_invitation",
        "subscribers.view_subscriberstatechange",
        "subscribers.view_auditentry",
        "subscribers.view_partnerfirm",
        "subscribers.add_partnerfirm",
        "subscribers.change_partnerfirm",
        "subscribers.view_user",
        "subscribers.add_user",
        "subscribers.change_user",
        "subscribers.view_termsversion",
        "subscribers.add_termsversion",
        "auth.view_group",
        *OUTBOX_PERMISSIONS,
    ],
}


def declared_role_permissions() -> dict[str, set[str]]:
    """Every installed app's ROLE_PERMISSIONS, merged."""
    merged: dict[str, set[str]] = {role: set() for role in StaffRole.values}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.roles")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.roles":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[role].update(perms)
    return merged


def sync_staff_groups(sender=None, **kwargs) -> None:
    if sender is not None and kwargs.get("plan") is None:
        # post_migrate also fires after `flush` (transactional tests). Recreating the groups
        # there would clash with tests that restore the serialized database; migrate and
        # seed_demo create them, and the test personas call this directly.
        return
    using = kwargs.get("using", "default")
    declared = declared_role_permissions()
    wanted = set().union(*declared.values())
    by_name = {}
    for perm in Permission.objects.using(using).select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    if not wanted.issubset(by_name):
        return  # Some app's tables are not migrated yet; the last post_migrate completes it.
    for role, perms in declared.items():
        group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([by_name[name] for name in perms])


def user_set_staff_role(user, role: str) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))


def user_has_role(user, role: str) -> bool:
    return user.is_superuser or user.groups.filter(name=GROUP_NAMES[role]).exists()

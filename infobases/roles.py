"""Staff permissions on the infobases app, per role (see subscribers/roles.py)."""

from subscribers.roles import StaffRole

_VIEW_ALL = [
    "infobases.view_solution",
    "infobases.view_release",
    "infobases.view_infobase",
    "infobases.view_infobaseaccess",
    "infobases.view_operation",
    "infobases.view_backup",
    "infobases.view_placementrequest",
    "infobases.view_scheduledupdate",
    "infobases.view_licenceevent",
    "infobases.view_registrationnumber",
]

# The operator's work on the cluster and the catalog (6.1, 7), shared by engineers and admins.
_OPERATE = [
    "infobases.add_solution",
    "infobases.change_solution",
    "infobases.add_release",
    "infobases.change_release",
    "infobases.change_infobase",
    "infobases.change_operation",
    "infobases.change_placementrequest",
    "infobases.add_registrationnumber",
    "infobases.change_registrationnumber",
]

ROLE_PERMISSIONS = {
    # The operator runs the cluster: catalog, releases, operations, placement, updates (6.1, 7).
    StaffRole.OPERATOR_ENGINEER: [*_VIEW_ALL, *_OPERATE],
    # Partners consult on the applications (7): they see the catalog and the infobases.
    StaffRole.PARTNER_CONSULTANT: [
        "infobases.view_solution",
        "infobases.view_release",
        "infobases.view_infobase",
    ],
    # The accountant prepares the reports to the rights holder (2.2) and keeps the numbers (2.3).
    StaffRole.ACCOUNTANT: [
        "infobases.view_solution",
        "infobases.view_licenceevent",
        "infobases.view_registrationnumber",
        "infobases.add_registrationnumber",
        "infobases.change_registrationnumber",
    ],
    StaffRole.ADMINISTRATOR: [
        *_VIEW_ALL,
        *_OPERATE,
        "infobases.delete_solution",
        "infobases.delete_registrationnumber",
    ],
}

"""Staff may look up a subscriber's API tokens (name, prefix, last use) when helping them."""

from subscribers.roles import StaffRole

ROLE_PERMISSIONS = {
    StaffRole.OPERATOR_ENGINEER: ["api.view_apitoken"],
    StaffRole.ADMINISTRATOR: ["api.view_apitoken"],
}

"""Staff see owed side effects that failed or got stuck and retry them (see ARCHITECTURE.md)."""

from subscribers.roles import StaffRole

ROLE_PERMISSIONS = {
    StaffRole.OPERATOR_ENGINEER: ["outbox.view_outboxmessage", "outbox.change_outboxmessage"],
    StaffRole.ADMINISTRATOR: ["outbox.view_outboxmessage", "outbox.change_outboxmessage"],
}

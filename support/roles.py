"""Staff permissions of the support desk per role (see subscribers/roles.py)."""

from subscribers.roles import StaffRole

_READ_REFERENCE = [
    "support.view_worktype",
    "support.view_article",
    "support.view_cannedreply",
    "support.view_calendar",
    "support.view_calendarexception",
]

ROLE_PERMISSIONS = {
    # Operator engineers see and work every ticket and keep the desk's data (4.1).
    StaffRole.OPERATOR_ENGINEER: [
        *_READ_REFERENCE,
        "support.view_ticket",
        "support.add_ticket",
        "support.change_ticket",
        "support.view_ticketmessage",
        "support.view_ticketattachment",
        "support.add_calendarexception",
        "support.change_calendarexception",
        "support.delete_calendarexception",
        "support.change_worktype",
        "support.add_article",
        "support.change_article",
        "support.add_cannedreply",
        "support.change_cannedreply",
        "support.view_partnerassignment",
        "support.add_partnerassignment",
        "support.change_partnerassignment",
        "support.view_inboundmessage",
        "support.view_onecformtoken",
        "support.change_onecformtoken",
    ],
    # Partner consultants: only their firm's methodological and individual tickets (the admin's
    # queryset narrows them); they read the knowledge base and canned replies.
    StaffRole.PARTNER_CONSULTANT: [
        *_READ_REFERENCE,
        "support.view_ticket",
        "support.change_ticket",
        "support.view_ticketmessage",
        "support.view_ticketattachment",
    ],
    # Compensation claims (9.1) arrive as tickets: accountants read them.
    StaffRole.ACCOUNTANT: ["support.view_ticket", "support.view_ticketmessage"],
    StaffRole.ADMINISTRATOR: [
        *_READ_REFERENCE,
        "support.view_ticket",
        "support.add_ticket",
        "support.change_ticket",
        "support.view_ticketmessage",
        "support.view_ticketattachment",
        "support.change_calendar",
        "support.add_calendar",
        "support.view_calendarinterval",
        "support.add_calendarinterval",
        "support.change_calendarinterval",
        "support.delete_calendarinterval",
        "support.add_calendarexception",
        "support.change_calendarexception",
        "support.delete_calendarexception",
        "support.add_worktype",
        "support.change_worktype",
        "support.add_article",
        "support.change_article",
        "support.delete_article",
        "support.add_cannedreply",
        "support.change_cannedreply",
        "support.delete_cannedreply",
        "support.view_partnerassignment",
        "support.add_partnerassignment",
        "support.change_partnerassignment",
        "support.delete_partnerassignment",
        "support.view_inboundmessage",
        "support.view_onecformtoken",
        "support.change_onecformtoken",
    ],
}

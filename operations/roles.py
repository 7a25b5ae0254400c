"""What each staff role may do here (synced into the groups by subscribers.roles)."""

from subscribers.roles import StaffRole

_VIEW_ALL = [
    "operations.view_technicalwork",
    "operations.view_incident",
    "operations.view_compensationclaim",
    "operations.view_compensationproposal",
    "operations.view_proposalline",
    "operations.view_compensationcredit",
]

ROLE_PERMISSIONS = {
    # Engineers record the operator's downtime data (6.2, 6.3, 9.2) and see what it led to.
    StaffRole.OPERATOR_ENGINEER: [
        *_VIEW_ALL,
        "operations.add_technicalwork",
        "operations.change_technicalwork",
        "operations.add_incident",
        "operations.change_incident",
        "operations.view_statussubscription",
    ],
    # Accountants decide claims, credit proposals and download the monthly reports.
    StaffRole.ACCOUNTANT: [
        *_VIEW_ALL,
        "operations.decide_compensationclaim",
        "operations.add_compensationproposal",
        "operations.credit_compensationproposal",
        "operations.view_compensationreport",
        "operations.add_compensationreport",
        "operations.download_compensationreport",
    ],
    StaffRole.ADMINISTRATOR: [
        *_VIEW_ALL,
        "operations.add_technicalwork",
        "operations.change_technicalwork",
        "operations.add_incident",
        "operations.change_incident",
        "operations.decide_compensationclaim",
        "operations.add_compensationproposal",
        "operations.credit_compensationproposal",
        "operations.view_compensationreport",
        "operations.add_compensationreport",
        "operations.download_compensationreport",
        "operations.view_statussubscription",
        "operations.delete_statussubscription",
    ],
}

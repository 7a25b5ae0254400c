"""Staff work in the admin: every operations page opens, incidents are recorded through the
service, proposals and reports are requested, and each role sees what roles.py gives it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from operations.models import CompensationReport, Incident, IncidentLevel
from support.services import ticket_open
from tests.conftest import at

from .factories import IncidentFactory, WorkFactory

MODELS = [
    "technicalwork",
    "incident",
    "compensationclaim",
    "compensationproposal",
    "proposalline",
    "compensationcredit",
    "compensationreport",
    "statussubscription",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_operations_admin_page_opens(staff_client, staff_admin, model):
    IncidentFactory()
    WorkFactory()
    client = staff_client(staff_admin)
    assert client.get(reverse(f"admin:operations_{model}_changelist")).status_code == 200


def test_engineer_records_an_incident_linked_to_an_incident_ticket(
    staff_client, operator_engineer, subscriber, owner, travel
):
    travel(at(date(2026, 11, 20), 12))
    ticket = ticket_open(
        subscriber=subscriber,
        opened_by=owner,
        channel="web",
        category="incident_1",
        subject="Не открывается база",
        text="Ошибка соединения",
    )
    response = staff_client(operator_engineer).post(
        reverse("admin:operations_incident_add"),
        {
            "title": "Сбой кластера",
            "level": IncidentLevel.FULL,
            "fault": "operator",
            "components": ["cloud", "apps"],
            "affects_all": "on",
            "starts_at_0": "20.11.2026",
            "starts_at_1": "10:00",
            "ends_at_0": "20.11.2026",
            "ends_at_1": "11:30",
            "tickets": str(ticket.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert list(incident.tickets.all()) == [ticket]
    assert incident.ends_at - incident.starts_at == timedelta(hours=1, minutes=30)


def test_a_technical_ticket_cannot_be_linked_to_an_incident(subscriber, owner, travel):
    from django.core.exceptions import ValidationError

    from operations.services import incident_record

    travel(at(date(2026, 11, 20), 12))
    ticket = ticket_open(
        subscriber=subscriber,
        opened_by=owner,
        channel="web",
        category="technical",
        subject="Вопрос",
        text="Как настроить?",
    )
    with pytest.raises(ValidationError):
        incident_record(incident=IncidentFactory.build(), tickets=[ticket])
    assert not Incident.objects.exists()


def test_accountant_requests_a_report_and_engineer_may_not(
    staff_client, staff_accountant, operator_engineer, django_capture_on_commit_callbacks
):
    url = reverse("admin:operations_compensationreport_add")
    assert staff_client(operator_engineer).get(url).status_code == 403
    client = staff_client(staff_accountant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"month": "17.11.2026", "format": "pdf"})
    assert response.status_code == 302
    report = CompensationReport.objects.get()
    assert (report.month.day, report.format, report.status) == (1, "pdf", "ready")


def test_statement_page_query_count_does_not_grow_with_claims(
    client, owner, subscriber, django_assert_num_queries
):
    client.force_login(owner)
    client.get(reverse("operations:statement"))  # warm the session's terms flags
    with django_assert_num_queries(6):  # the session comes from the cache (issue 16.4)
        client.get(reverse("operations:statement"))
    from operations.models import CompensationCredit

    for month in range(1, 6):
        CompensationCredit.objects.create(
            subscriber=subscriber,
            month=f"2026-{month:02d}-01",
            source="proposal",
            downtime=timedelta(hours=2),
            hours=2,
            percent=2,
            monthly_fee=1000,
            amount=20,
            source_key=f"t:{month}",
        )
    with django_assert_num_queries(6):
        client.get(reverse("operations:statement"))

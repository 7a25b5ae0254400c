from django.urls import reverse

from subscribers.models import AuditEntry


def test_staff_read_the_audit_trail_but_cannot_edit_it(
    staff_client, operator_engineer, owner, subscriber
):
    from subscribers.services import invitation_create

    invitation_create(subscriber=subscriber, email="x@example.kz", role="user", invited_by=owner)
    entry = AuditEntry.objects.get(action="member.invite")
    staff = staff_client(operator_engineer)
    page = staff.get(reverse("admin:subscribers_auditentry_changelist")).content.decode()
    assert "member.invite" in page
    response = staff.post(
        reverse("admin:subscribers_auditentry_change", args=[entry.pk]), {"reason": "подделка"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""
    assert (
        staff.post(reverse("admin:subscribers_auditentry_delete", args=[entry.pk])).status_code
        == 403
    )


def test_admin_pages_are_russian(staff_client, staff_admin, subscriber):
    page = (
        staff_client(staff_admin)
        .get(reverse("admin:subscribers_subscriber_changelist"))
        .content.decode()
    )
    assert "Абоненты" in page
    page = (
        staff_client(staff_admin)
        .get(reverse("admin:subscribers_subscriber_change", args=[subscriber.pk]))
        .content.decode()
    )
    assert "Организационно-правовая форма" in page or "организационно-правовая форма" in page

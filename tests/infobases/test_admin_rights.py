"""Issue 18: publishing a release is an operator's change, not a viewer's."""

import datetime

from django.core import mail

from infobases.models import Release, ScheduledUpdate
from tests.infobases.factories import ReleaseFactory
from tests.security.test_admin_permissions import run_action


def test_a_consultant_with_view_rights_cannot_publish_a_release(
    staff_client, partner_consultant, operator_engineer, ready_infobase
):
    release = ReleaseFactory(
        solution=ready_infobase.solution,
        version="3.0.99.1",
        released_on=datetime.date(2026, 11, 20),
        published_at=None,
    )
    mail.outbox.clear()  # only what the action sends counts
    run_action(staff_client(partner_consultant), Release, "publish", [release.pk])
    release.refresh_from_db()
    assert release.published_at is None
    assert not ScheduledUpdate.objects.exists() and not mail.outbox
    # The operator's engineer holds the right and publishes.
    run_action(staff_client(operator_engineer), Release, "publish", [release.pk])
    release.refresh_from_db()
    assert release.published_at is not None and ScheduledUpdate.objects.count() == 1

"""Operations URLs for the tenancy walk (tests/test_tenancy.py). The status page lives in the
"operations_public" namespace: public by design, tested in test_status_page.py."""

from datetime import timedelta

from django.utils import timezone

from subscribers.models import MemberRole
from tests.factories import MembershipFactory


def _claim(other):
    from operations.services import claim_file

    owner = MembershipFactory(subscriber=other, role=MemberRole.OWNER).user
    claim = claim_file(
        subscriber=other,
        opened_by=owner,
        downtime_date=timezone.localdate(),
        claimed_downtime=timedelta(hours=2),
    )
    return {"pk": claim.pk}


OBJECT_URLS = {
    "operations:claim_detail": _claim,
}

PUBLIC_URLS: set[str] = set()

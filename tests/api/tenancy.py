"""The panel's API token pages for the URL walk (tests/test_tenancy.py). The API's own routes
(namespace "v1_api") are walked by tests/api/test_tenancy.py with API_OBJECTS below, which
reuses each app's registry: the API names the same objects as the panel."""

from api.services import api_token_create
from subscribers.models import MemberRole
from tests.billing.tenancy import OBJECT_URLS as BILLING
from tests.factories import MembershipFactory
from tests.infobases.tenancy import OBJECT_URLS as INFOBASES
from tests.operations.tenancy import OBJECT_URLS as OPERATIONS
from tests.subscribers.tenancy import OBJECT_URLS as SUBSCRIBERS
from tests.support.tenancy import OBJECT_URLS as SUPPORT


def _token(other):
    membership = MembershipFactory(subscriber=other, role=MemberRole.USER)
    return {"pk": api_token_create(membership=membership, name="Чужой", scope="write")[0].pk}


OBJECT_URLS = {"apitokens:revoke": _token}
PUBLIC_URLS: set[str] = set()

# Every /api/v1/ route with parameters: how to name another subscriber's object there.
API_OBJECTS = {
    "v1_api:member_detail": SUBSCRIBERS["subscribers:member_role"],
    "v1_api:invitation_detail": SUBSCRIBERS["subscribers:invitation_revoke"],
    "v1_api:infobase_detail": INFOBASES["infobases:detail"],
    "v1_api:sessions": INFOBASES["infobases:detail"],
    "v1_api:session_end": INFOBASES["infobases:session_end"],
    "v1_api:access_detail": INFOBASES["infobases:access_revoke"],
    "v1_api:backup_link": INFOBASES["infobases:backup_download"],
    "v1_api:backup_restore": INFOBASES["infobases:backup_restore"],
    "v1_api:backup_file": INFOBASES["infobases:backup_file"],
    "v1_api:ticket_detail": SUPPORT["support:ticket_detail"],
    "v1_api:ticket_reply": SUPPORT["support:ticket_reply"],
    "v1_api:ticket_close": SUPPORT["support:ticket_close"],
    "v1_api:ticket_rating": SUPPORT["support:ticket_rate"],
    "v1_api:attachment": SUPPORT["support:attachment"],
    "v1_api:invoice_detail": BILLING["billing:invoice_pdf"],
    "v1_api:invoice_pdf": BILLING["billing:invoice_pdf"],
    "v1_api:claim_detail": OPERATIONS["operations:claim_detail"],
}
# Routes anyone may call without signing in.
API_PUBLIC = {"v1_api:status"}

"""How to address another subscriber's objects in this app's URLs (see tests/test_tenancy.py).

Every app's tests/<app>/tenancy.py has OBJECT_URLS: {url name: function(other_subscriber) ->
kwargs of an object that belongs to other_subscriber}, and PUBLIC_URLS: url names that are
deliberately public or not tied to one subscriber's object.
"""

from subscribers.models import MemberRole
from tests.factories import InvitationFactory, MembershipFactory


def _member(other):
    return {"pk": MembershipFactory(subscriber=other, role=MemberRole.USER).pk}


def _invitation(other):
    return {"pk": InvitationFactory(subscriber=other).pk}


OBJECT_URLS = {
    "subscribers:member_role": _member,
    "subscribers:member_remove": _member,
    "subscribers:invitation_revoke": _invitation,
}

PUBLIC_URLS = {
    # Invitation links are bearer tokens: whoever holds one may see whom it invites.
    "subscribers:invitation_accept",
    # Published terms are public text; dismissing a banner touches only one's own record.
    "subscribers:terms_detail",
    "subscribers:terms_dismiss",
}

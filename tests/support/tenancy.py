"""Support URLs that address one subscriber's object (see tests/test_tenancy.py)."""

from django.core.files.base import ContentFile

from support.models import TicketAttachment
from support.services import onec_token_issue
from tests.support.factories import InfobaseFactory, open_ticket


def _ticket(other):
    return {"pk": open_ticket(other).pk}


def _attachment(other):
    ticket = open_ticket(other, attachments=[ContentFile(b"log", name="error.log")])
    return {"pk": TicketAttachment.objects.get(message__ticket=ticket).pk}


def _token(other):
    token, _raw = onec_token_issue(infobase=InfobaseFactory(subscriber=other), actor=None)
    return {"pk": token.pk}


OBJECT_URLS = {
    "support:ticket_detail": _ticket,
    "support:ticket_reply": _ticket,
    "support:ticket_close": _ticket,
    "support:ticket_rate": _ticket,
    "support:attachment": _attachment,
    "support:token_revoke": _token,
}

PUBLIC_URLS = {
    # Knowledge base articles are the operator's help texts, the same for every subscriber.
    "support:article",
}

"""The mail corpus (tests/support/corpus, README there) through both doors — the signed raw-MIME
webhook and the IMAP poller against a real Dovecot over verified TLS: no crash, no stalled poll,
each message's expected outcome, readable bodies, attachments kept with safe names."""

import collections
import json
import logging
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from onebuh.webhooks import signed_headers
from support.mail.clean import content_digest
from support.mail.imap import mail_poll
from support.mail.parse import parse_mail
from support.models import InboundMessage, Ticket, TicketAttachment, TicketMessage
from tests.factories import MembershipFactory, SubscriberFactory

from .dovecot import PASSWORD, dovecot_server

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
# Public fixtures first, then the crafted ones in name order (the thread starts with 00-…).
FILES = sorted(
    CORPUS.glob("*/*.eml"), key=lambda p: (p.parent.name == "crafted", p.parent.name, p.name)
)
Outcome = InboundMessage.Outcome


def _message_id(raw: bytes) -> str:
    try:
        return parse_mail(raw).message_id
    except Exception:
        return f"<{content_digest(raw)}@unparsable>"


@pytest.fixture(scope="module")
def imap_server():
    with dovecot_server() as server:
        yield server


@pytest.fixture
def corpus_world(settings, monkeypatch):
    """The corpus subscriber (crafted mail comes from its members) and one whose members are the
    public fixtures' senders (their mail is never authenticated: unverified tickets)."""
    # Remote DNS cannot run here: no DKIM key is found, so no signature verifies.
    monkeypatch.setattr("support.mail.auth.dns_txt", lambda name, timeout=5: None)
    corpus = SubscriberFactory(name="ТОО «Корпус»")
    MembershipFactory(subscriber=corpus, user__email="client@example.kz")
    MembershipFactory(subscriber=corpus, role="owner", user__email="owner@example.kz")
    fixtures = SubscriberFactory(name="ТОО «Отправители фикстур»")
    senders = set()
    for path in FILES:
        if path.parent.name != "crafted":
            try:
                senders.add(parse_mail(path.read_bytes()).sender_email)
            except Exception:
                continue
    for email in sorted(senders - {"", "client@example.kz", "owner@example.kz"}):
        MembershipFactory(subscriber=fixtures, user__email=email)
    return corpus


def _outcomes() -> dict[str, str]:
    rows = dict(InboundMessage.objects.values_list("external_id", "outcome"))
    return {
        str(path.relative_to(CORPUS)): rows.get(_message_id(path.read_bytes()), "missing")
        for path in FILES
    }


def _check_corpus_results():
    outcomes = _outcomes()
    assert outcomes == EXPECTED
    assert not InboundMessage.objects.filter(outcome=Outcome.QUARANTINED).exists()
    # Readable and storable: no NUL, no CSS or script text from HTML mail.
    bodies = list(TicketMessage.objects.values_list("body", flat=True))
    assert bodies and not [b for b in bodies if "\x00" in b or "{color" in b or "alert(" in b]
    # Attachments: safe base names, stored under the upload folder only.
    for attachment in TicketAttachment.objects.all():
        assert "/" not in attachment.name and "\\" not in attachment.name
        assert ".." not in attachment.file.name and attachment.file.name.startswith("support/")
    by_subject = {t.subject: t for t in Ticket.objects.prefetch_related("messages")}
    thread = by_subject["Ошибка при проведении документа"]
    replies = [m.body for m in thread.messages.all()]
    # The new part of each reply only; the quoted history stays in the original for staff.
    assert replies[1:] == [
        "Получилось.",
        "It works, thanks!",
        "Заработало, спасибо!",
        "Спасибо большое.",
        "Thanks, it works now.",
        "Спасибо, заработало.",
        "Проверил, всё в порядке.",
        "Всё работает.",
    ]
    originals = [m.original_text for m in thread.messages.all()[1:]]
    assert all("Обновите релиз" in o or "Please update" in o for o in originals)
    # Out-of-office replies in the thread did not move the ticket.
    assert thread.status == "new"
    html = TicketMessage.objects.get(ticket__subject="HTML").body
    assert "Здравствуйте, коллеги & друзья!" in html and "* проведение" in html
    names = set(TicketAttachment.objects.values_list("name", flat=True))
    assert {"x.pdf", "x.png", "акт.pdf", "scan0001.pdf", "Акт сверки.eml"} <= names
    assert by_subject["Срочно: доступ"].sender_check == "unverified"
    assert by_subject["Срочно: доступ"].opened_by is None
    # Unknown senders: one reply per address (the two lottery mails share one), none to the
    # DMARC-failing one; nothing to robots.
    unknown = [
        m.to[0]
        for m in mail.outbox
        if m.extra_headers.get("Auto-Submitted") == "auto-replied" and "ONEbuh #" not in m.subject
    ]
    assert unknown.count("winner@spam.test") == 1 and "security@bank.test" not in unknown
    assert len(unknown) == len(set(unknown))
    return outcomes


def test_corpus_through_the_webhook(client, corpus_world, django_capture_on_commit_callbacks):
    statuses = collections.Counter()
    for path in FILES:
        body = path.read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("support_webhooks:email"),
                body,
                content_type="message/rfc822",
                **signed_headers(body=body, secret="mail-secret"),
            )
        statuses[response.status_code] += 1
    # 201 when stored, 200 for a message seen before: never 4xx/5xx for what a message holds.
    assert set(statuses) <= {200, 201}
    outcomes = _check_corpus_results()
    logging.getLogger(__name__).info(
        "corpus: %s messages, outcomes %s", len(FILES), collections.Counter(outcomes.values())
    )


def test_corpus_through_the_imap_poller(
    settings, imap_server, corpus_world, django_capture_on_commit_callbacks
):
    user = "corpus-imap"
    imap_server.append(user, [path.read_bytes() for path in FILES])
    settings.ONEBUH_SUPPORT_IMAP_HOST = "localhost"
    settings.ONEBUH_SUPPORT_IMAP_PORT = imap_server.port
    settings.ONEBUH_SUPPORT_IMAP_USER = user
    settings.ONEBUH_SUPPORT_IMAP_PASSWORD = PASSWORD
    settings.ONEBUH_SUPPORT_IMAP_CA_FILE = imap_server.ca_file
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_poll(limit=1000)
    assert first["imported"] + first["duplicates"] == len(FILES)
    assert imap_server.unseen(user) == 0  # every message marked seen: nothing stalls
    _check_corpus_results()
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_poll(limit=1000) == {"imported": 0, "duplicates": 0, "quarantined": 0}


def test_the_poller_refuses_a_server_it_cannot_verify(settings, imap_server, db):
    import ssl

    settings.ONEBUH_SUPPORT_IMAP_HOST = "localhost"
    settings.ONEBUH_SUPPORT_IMAP_PORT = imap_server.port
    settings.ONEBUH_SUPPORT_IMAP_USER = "tls-check"
    settings.ONEBUH_SUPPORT_IMAP_PASSWORD = PASSWORD
    settings.ONEBUH_SUPPORT_IMAP_CA_FILE = ""  # system CAs only: the throwaway CA is not one
    imap_server.append("tls-check", [(CORPUS / "crafted" / "00-thread-start.eml").read_bytes()])
    with pytest.raises(ssl.SSLCertVerificationError):
        mail_poll()
    assert imap_server.unseen("tls-check") == 1 and not InboundMessage.objects.exists()


def test_turning_verification_off_is_explicit_and_logged(settings, imap_server, caplog):
    settings.ONEBUH_SUPPORT_IMAP_HOST = "localhost"
    settings.ONEBUH_SUPPORT_IMAP_PORT = imap_server.port
    settings.ONEBUH_SUPPORT_IMAP_USER = "tls-off"
    settings.ONEBUH_SUPPORT_IMAP_PASSWORD = PASSWORD
    settings.ONEBUH_SUPPORT_IMAP_CA_FILE = ""
    settings.ONEBUH_SUPPORT_IMAP_VERIFY_TLS = False
    with caplog.at_level(logging.WARNING, logger="support.mail.imap"):
        assert mail_poll()["imported"] == 0
    assert "NOT verified" in caplog.text

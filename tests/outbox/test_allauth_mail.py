"""allauth's own emails (verification, password reset) go through the outbox like every other
email: owed in the request, sent by the dispatcher, with a Message-ID fixed when owed."""

from django.core import mail
from django.urls import reverse

from outbox.dispatcher import outbox_dispatch
from outbox.models import OutboxMessage, OutboxState
from tests.factories import UserFactory


def test_a_password_reset_email_waits_in_the_outbox_until_dispatched(client, db, real_outbox):
    UserFactory(email="person@example.kz")
    response = client.post(reverse("account_reset_password"), {"email": "person@example.kz"})
    assert response.status_code == 302
    assert mail.outbox == []
    row = OutboxMessage.objects.get(kind="email")
    assert row.payload["to"] == ["person@example.kz"]
    assert row.message_id
    outbox_dispatch()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert "/accounts/password/reset/key/" in sent.body
    row.refresh_from_db()
    assert row.state == OutboxState.SENT


def test_a_sign_up_verification_email_is_owed_in_the_outbox(client, db, real_outbox):
    from subscribers.models import TermsVersion

    terms = TermsVersion.objects.exclude(published_at=None).latest("published_at")
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.kz",
            "password1": "Sl0zhnyi-parol!",
            "password2": "Sl0zhnyi-parol!",
            "terms_version": terms.pk,
            "accept_terms": "on",
        },
    )
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(kind="email", payload__to=["new@example.kz"]).count() == 1
    outbox_dispatch()
    assert [m.to for m in mail.outbox] == [["new@example.kz"]]

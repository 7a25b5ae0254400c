"""Issue 18: limits on what one account, token or address sends. Each finding is replayed with
the request that worked before; the counters are in Redis (the test suite's REDIS_URL), time
moves with time-machine. When Redis is down the limits fail open."""

import json
import logging

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from operations.models import StatusSubscription
from subscribers.models import Invitation
from support.models import Ticket
from support.services import onec_token_issue
from tests.factories import UserFactory
from tests.support.factories import InfobaseFactory

pytestmark = pytest.mark.django_db

RU_MESSAGE = "Слишком много"


def _refused(response):
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) > 0
    assert RU_MESSAGE in response.content.decode()


def test_sixty_invitations_stop_at_the_hourly_limit(
    client, owner, subscriber, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-11-24 10:00:00+05:00", tick=False)
    client.force_login(owner)
    url = reverse("subscribers:members")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(url, {"email": f"stranger{n}@example.com", "role": "user"})
            for n in range(60)
        ]
    assert [a.status_code for a in answers[:20]] == [302] * 20
    for answer in answers[20:]:
        _refused(answer)
    assert Invitation.objects.filter(subscriber=subscriber).count() == 20
    assert len(mail.outbox) == 20
    assert int(answers[20]["Retry-After"]) == 3600
    time_machine.move_to("2026-11-24 11:00:01+05:00", tick=False)
    assert client.post(url, {"email": "next-hour@example.com", "role": "user"}).status_code == 302


def test_status_subscriptions_are_limited_per_address_and_per_ip(client):
    url = reverse("operations_public:subscribe")
    assert client.get(reverse("operations_public:index")).status_code == 200
    answers = [client.post(url, {"email": f"victim{n}@example.com"}) for n in range(40)]
    assert [a.status_code for a in answers[:5]] == [302] * 5
    _refused(answers[5])
    assert StatusSubscription.objects.count() == 5
    # One address from many places: ten a day at most (a confirmation is re-sent once an hour).
    answers = [
        client.post(url, {"email": "target@example.com"}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(12)
    ]
    assert [a.status_code for a in answers] == [302] * 10 + [429] * 2


@pytest.fixture
def form_token(subscriber):
    return onec_token_issue(infobase=InfobaseFactory(subscriber=subscriber), actor=None)


def _post_1c(client, raw, **extra):
    return client.post(
        reverse("support_api:ticket_create"),
        json.dumps({"category": "technical", "subject": "Ошибка", "text": "Не формируется"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}",
        **extra,
    )


def test_one_1c_form_token_cannot_open_sixty_tickets_a_minute(client, form_token, subscriber):
    _token, raw = form_token
    answers = [_post_1c(client, raw) for _ in range(60)]
    assert [a.status_code for a in answers[:5]] == [201] * 5
    _refused(answers[5])
    assert Ticket.objects.filter(subscriber=subscriber).count() == 5


def test_wrong_1c_form_tokens_are_throttled_per_address(client, form_token):
    _token, raw = form_token
    for n in range(10):
        assert _post_1c(client, f"wrong-{n}").status_code == 401
    _refused(_post_1c(client, "wrong-again"))
    # The address waits even with the right token; another address is not affected.
    _refused(_post_1c(client, raw))
    assert _post_1c(client, raw, REMOTE_ADDR="10.9.9.9").status_code == 201


def test_wrong_api_tokens_are_throttled_per_address(client):
    for n in range(10):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer obk_wrong{n}")
        assert response.status_code == 401
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer obk_wrong")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert RU_MESSAGE in response.json()["error"]["message"]


def test_panel_tickets_are_limited_per_member(client, owner, subscriber):
    client.force_login(owner)
    url = reverse("support:ticket_create")
    assert client.get(url).status_code == 200
    data = {"category": "technical", "subject": "Не работает", "text": "Ошибка"}
    answers = [client.post(url, data) for _ in range(40)]
    assert [a.status_code for a in answers[:5]] == [302] * 5
    _refused(answers[5])
    assert Ticket.objects.filter(subscriber=subscriber).count() == 5


def _signup(client, email, **extra):
    from subscribers.models import TermsVersion

    terms = TermsVersion.objects.order_by("-published_at").first()
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Dlinnyi-parol-42",
            "password2": "Dlinnyi-parol-42",
            "terms_version": terms.pk,
            "accept_terms": "on",
        },
        **extra,
    )


def test_sign_ups_are_limited_per_address(client):
    assert client.get(reverse("account_signup")).status_code == 200
    answers = [_signup(client, f"new{n}@example.com") for n in range(11)]
    assert all(a.status_code == 302 for a in answers[:10])
    _refused(answers[10])


def test_sign_up_does_the_same_work_for_a_known_and_a_new_address(client, monkeypatch):
    """The timing came from hashing the new account's password only: now both hash once."""
    UserFactory(email="known@example.com")
    hashed = []
    original = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, password, salt: hashed.append(1) or original(self, password, salt),
    )
    known = _signup(client, "known@example.com")
    known_hashes, hashed[:] = len(hashed), []
    new = _signup(client, "brand-new@example.com")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert known_hashes == len(hashed) >= 1


def test_limits_fail_open_when_redis_is_down(owner, subscriber, settings, caplog):
    from onebuh.limits import limit_hit
    from subscribers.services import invitation_create

    # Nothing listens on this port (the rights helper's range): every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:16499/0",
        }
    }
    settings.ONEBUH_LIMITS = {**settings.ONEBUH_LIMITS, "invitation": "1/h"}
    with caplog.at_level(logging.WARNING, logger="onebuh.limits"):
        for n in range(3):
            invitation_create(
                subscriber=subscriber, email=f"p{n}@example.com", role="user", invited_by=owner
            )
        limit_hit("signup_ip", "127.0.0.1")
    assert Invitation.objects.filter(subscriber=subscriber).count() == 3
    assert "cache is unavailable" in caplog.text

"""The error shape, pagination and rate limits of /api/v1/."""

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from support.services import ticket_open

pytestmark = pytest.mark.django_db


def _shape(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["code"] == code
    assert any("а" <= ch <= "я" for ch in error["message"].lower()), error["message"]
    return error


def test_every_kind_of_error_has_one_shape_with_a_russian_message(owner_api, api_as, member):
    _shape(APIClient().get(reverse("v1_api:me")), 401, "not_authenticated")
    _shape(api_as(member).get(reverse("v1_api:ledger")), 403, "permission_denied")
    _shape(owner_api.get(reverse("v1_api:ticket_detail", args=[999999])), 404, "not_found")
    _shape(owner_api.put(reverse("v1_api:me"), {}, format="json"), 405, "method_not_allowed")
    _shape(
        owner_api.post(reverse("v1_api:tickets"), "a=b", content_type="text/plain"),
        415,
        "unsupported_media_type",
    )
    _shape(
        owner_api.post(reverse("v1_api:tickets"), "{oops", content_type="application/json"),
        400,
        "parse_error",
    )
    invalid = _shape(
        owner_api.post(reverse("v1_api:tickets"), {"category": "nope"}, format="json"),
        400,
        "invalid",
    )
    assert set(invalid["fields"]) == {"category", "subject", "text"}


def test_lists_are_paged(owner_api, owner, subscriber):
    for n in range(5):
        ticket_open(
            subscriber=subscriber,
            opened_by=owner,
            channel="web",
            category="technical",
            subject=f"Вопрос {n}",
            text="Текст",
        )
    first = owner_api.get(reverse("v1_api:tickets"), {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert "page=2" in first["next"] and first["previous"] is None
    last = owner_api.get(reverse("v1_api:tickets"), {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = {
        r["subject"]
        for page in (1, 2, 3)
        for r in owner_api.get(reverse("v1_api:tickets"), {"page_size": 2, "page": page}).json()[
            "results"
        ]
    }
    assert len(seen) == 5
    beyond = owner_api.get(reverse("v1_api:tickets"), {"page_size": 2, "page": 9})
    assert beyond.status_code == 404 and beyond.json()["error"]["code"] == "not_found"


@pytest.fixture
def small_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "3/min", "api_ip": "5/min"},
    }


def test_token_over_its_rate_gets_429_with_retry_after(small_rates, owner_api, api_as, member):
    with time_machine.travel("2026-11-02 10:00:00 +0500", tick=False) as clock:
        for _ in range(3):
            assert owner_api.get(reverse("v1_api:me")).status_code == 200
        refused = owner_api.get(reverse("v1_api:me"))
        error = _shape(refused, 429, "throttled")
        assert refused["Retry-After"] == "60" and error["retry_after"] == 60
        assert "Повторите через 60 секунд (после 10:01:00)" in error["message"]
        # Another member's token has its own allowance.
        assert api_as(member).get(reverse("v1_api:me")).status_code == 200
        clock.shift(61)
        assert owner_api.get(reverse("v1_api:me")).status_code == 200


def test_one_address_is_limited_whatever_the_tokens(small_rates, api_as, owner, member):
    with time_machine.travel("2026-11-02 10:00:00 +0500", tick=False):
        clients = [api_as(owner), api_as(member), APIClient()]
        codes = [clients[n % 3].get(reverse("v1_api:status")).status_code for n in range(6)]
    assert codes == [200] * 5 + [429]

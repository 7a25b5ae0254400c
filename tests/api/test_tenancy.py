"""Tenancy over every /api/v1/ route (the panel's walk skips "_api" namespaces): another
subscriber's ids answer 404 and change nothing, whatever the method; no credentials answer 401;
a plain user cannot manage access or billing."""

import pytest
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from subscribers.models import AuditEntry
from tests.api.tenancy import API_OBJECTS, API_PUBLIC
from tests.factories import SubscriberFactory
from tests.urlwalk import _walk

ROUTES = sorted(
    {
        r.name: r for r in _walk(get_resolver().url_patterns) if r.name.startswith("v1_api:")
    }.values(),
    key=lambda r: r.name,
)
WITH_OBJECTS = [r for r in ROUTES if r.kwargs]
WITHOUT_OBJECTS = [r for r in ROUTES if not r.kwargs]
METHODS = ["get", "post", "patch", "put", "delete"]


def _allowed(url) -> list[str]:
    """The methods the route's view implements (others answer 405 before any lookup)."""
    from django.urls import resolve

    view = resolve(url).func.view_class
    return [m for m in METHODS if hasattr(view, m)]


def test_every_api_route_with_parameters_is_described():
    undescribed = [r.name for r in WITH_OBJECTS if r.name not in API_OBJECTS]
    assert not undescribed, f"add these to tests/api/tenancy.py API_OBJECTS: {undescribed}"
    assert set(API_OBJECTS) <= {r.name for r in ROUTES}


@pytest.mark.parametrize("route", WITH_OBJECTS, ids=lambda r: r.name)
def test_other_subscribers_ids_answer_404(api_as, owner, other_subscriber, route):
    url = reverse(route.name, kwargs=API_OBJECTS[route.name](other_subscriber))
    client = api_as(owner)
    audit_before = AuditEntry.objects.filter(subscriber=other_subscriber).count()
    methods = _allowed(url)
    assert methods
    for method in methods:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
        assert response.json()["error"]["code"] == "not_found"
    assert AuditEntry.objects.filter(subscriber=other_subscriber).count() == audit_before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_without_credentials_every_route_answers_401(other_subscriber, route):
    kwargs = API_OBJECTS[route.name](other_subscriber) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs)
    for method in _allowed(url):
        response = getattr(APIClient(), method)(url, {}, format="json")
        if route.name in API_PUBLIC:
            assert response.status_code == 200
        else:
            assert response.status_code == 401, f"{method.upper()} {url}"
            assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("route", WITHOUT_OBJECTS, ids=lambda r: r.name)
def test_lists_show_only_own_subscriber(api_as, owner, subscriber, route):
    others = []
    for make in set(API_OBJECTS.values()):  # other subscribers with one object of each kind
        others.append(SubscriberFactory())
        make(others[-1])
    response = api_as(owner).get(reverse(route.name))
    assert response.status_code == 200
    for other in others:
        assert str(other).encode() not in response.content
    if "results" in response.json():
        assert response.json()["count"] == len(response.json()["results"])


MANAGER_ONLY = [
    ("post", "v1_api:access", {"infobase": 1, "member": 1, "role": "user"}),
    ("get", "v1_api:access", None),
    ("get", "v1_api:invitations", None),
    ("post", "v1_api:invitations", {"email": "x@example.kz", "role": "user"}),
    ("post", "v1_api:infobases", {"solution": "bk", "name": "Новая"}),
    ("post", "v1_api:backups", {"infobase": 1}),
    ("patch", "v1_api:subscriber", {"address": "г. Астана"}),
]
BILLING_ONLY = [
    ("get", "v1_api:invoices", None),
    ("get", "v1_api:ledger", None),
    ("get", "v1_api:balances", None),
    ("get", "v1_api:claims", None),
    ("post", "v1_api:claims", {"downtime_date": "2026-01-01", "hours": 1}),
]


@pytest.mark.parametrize(("method", "name", "body"), MANAGER_ONLY + BILLING_ONLY)
def test_plain_user_cannot_manage_access_or_billing(api_as, member, method, name, body):
    response = getattr(api_as(member), method)(reverse(name), body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(("method", "name", "body"), BILLING_ONLY)
def test_accountant_sees_billing(api_as, subscriber_accountant, method, name, body):
    response = getattr(api_as(subscriber_accountant), method)(reverse(name), body, format="json")
    assert response.status_code != 403


@pytest.mark.parametrize(("method", "name", "body"), MANAGER_ONLY)
def test_accountant_cannot_manage(api_as, subscriber_accountant, method, name, body):
    response = getattr(api_as(subscriber_accountant), method)(reverse(name), body, format="json")
    assert response.status_code == 403

"""CSRF everywhere in the panel: a POST without the token to any panel URL is refused with 403
before the view runs, and changes nothing. Machine endpoints (namespaces *_webhooks, *_api)
authenticate by signature or token and are not part of the panel walk."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from subscribers.models import AuditEntry, MemberRole, Membership
from tests.factories import MembershipFactory, SubscriberFactory
from tests.test_tenancy import OBJECT_URLS
from tests.urlwalk import panel_routes

ROUTES = panel_routes()
# Values for URL parameters no registry describes: CSRF is checked before the view looks them up.
PLACEHOLDERS = {"int": 1, "str": "x", "slug": "x", "path": "x", "uuid": uuid.UUID(int=1)}


def _object_kwargs(route, subscriber):
    """The owner's own object where the registry can make one (so a missing check would show as
    a change), else another subscriber's (the registry assumes a subscriber without an owner)."""
    try:
        with transaction.atomic():
            return OBJECT_URLS[route.name](subscriber)
    except IntegrityError:
        return OBJECT_URLS[route.name](SubscriberFactory())


def _url(route, subscriber):
    if not route.kwargs:
        return reverse(route.name)
    if route.name in OBJECT_URLS:
        return reverse(route.name, kwargs=_object_kwargs(route, subscriber))
    for value in PLACEHOLDERS.values():
        try:
            return reverse(route.name, kwargs=dict.fromkeys(route.kwargs, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {route.name}")


@pytest.fixture
def csrf_client(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def test_the_walk_covers_the_panel():
    names = {r.name for r in ROUTES}
    assert {"subscribers:member_remove", "infobases:upload", "support:ticket_create"} <= names
    assert not any(
        n.endswith(("_webhooks", "_api")) for n in (r.name.split(":")[0] for r in ROUTES)
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_post_without_the_csrf_token_is_refused(csrf_client, subscriber, route):
    url = _url(route, subscriber)
    audit_before = AuditEntry.objects.count()
    members_before = Membership.objects.count()
    response = csrf_client.post(url, {"name": "x", "role": "user", "text": "x"})
    assert response.status_code == 403, f"POST {url}"
    assert "CSRF" in response.content.decode(), f"POST {url}: refused, but not by the CSRF check"
    assert AuditEntry.objects.count() == audit_before
    assert Membership.objects.count() == members_before


def test_the_same_post_with_the_token_goes_through(csrf_client, subscriber):
    """The control: what the walk refuses is the missing token, not the request."""
    member = MembershipFactory(subscriber=subscriber, role=MemberRole.USER)
    url = reverse("subscribers:member_remove", args=[member.pk])
    assert csrf_client.post(url).status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()
    csrf_client.get(reverse("subscribers:members"))
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("name", ["account_login", "account_logout", "account_signup"])
def test_the_sign_in_pages_check_the_token_too(owner, name):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name), {"login": owner.email, "password": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()

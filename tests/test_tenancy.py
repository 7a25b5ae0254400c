"""Tenancy over every URL of the panel: a member of one subscriber asking for another
subscriber's object gets 404 (or 403), and nothing changes. New URLs are covered automatically:
a panel URL with parameters that no app's tests/<app>/tenancy.py describes fails this test."""

import importlib
import pkgutil

import pytest
from django.urls import reverse

import tests
from subscribers.models import AuditEntry
from tests.urlwalk import panel_routes


def _registries():
    object_urls, public_urls = {}, set()
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            registry = importlib.import_module(f"tests.{module.name}.tenancy")
        except ModuleNotFoundError:
            continue
        object_urls.update(getattr(registry, "OBJECT_URLS", {}))
        public_urls.update(getattr(registry, "PUBLIC_URLS", set()))
    return object_urls, public_urls


OBJECT_URLS, PUBLIC_URLS = _registries()
ROUTES = panel_routes()
ROUTES_WITH_OBJECTS = [r for r in ROUTES if r.kwargs and r.name not in PUBLIC_URLS]


def test_every_panel_url_with_parameters_is_described():
    undescribed = [r.name for r in ROUTES_WITH_OBJECTS if r.name not in OBJECT_URLS]
    assert not undescribed, f"add these to a tests/<app>/tenancy.py registry: {undescribed}"


def test_registry_names_exist():
    names = {r.name for r in ROUTES}
    assert set(OBJECT_URLS) <= names
    assert names >= PUBLIC_URLS


@pytest.mark.parametrize("route", ROUTES_WITH_OBJECTS, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_subscribers_objects_answer_404(client, owner, other_subscriber, route, method):
    kwargs = OBJECT_URLS[route.name](other_subscriber)
    url = reverse(route.name, kwargs=kwargs)
    audit_before = AuditEntry.objects.filter(subscriber=other_subscriber).count()
    client.force_login(owner)
    response = getattr(client, method)(url)
    assert response.status_code in (403, 404, 405), f"{method.upper()} {url}"
    if method == "get" and response.status_code == 405:
        return
    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(subscriber=other_subscriber).count() == audit_before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.kwargs], ids=lambda r: r.name)
def test_pages_without_parameters_show_only_own_subscriber(client, owner, other_subscriber, route):
    client.force_login(owner)
    response = client.get(reverse(route.name))
    assert response.status_code in (200, 302, 403, 404, 405)
    if response.status_code == 200:
        assert str(other_subscriber).encode() not in response.content

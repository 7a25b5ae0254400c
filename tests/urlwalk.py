"""Walk the URLconf: every named route, with its converters, for the tenancy tests."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Routes that are not the subscriber panel: their own authentication or public by design.
# Apps name such namespaces "<app>_webhooks" (signed machine callers), "<app>_public" (anyone) or
# "<app>_api" (token-authenticated machine callers); they have their own tests.
NOT_PANEL_PREFIXES = ("admin:", "account_", "mfa_", "socialaccount_", "usersessions_")
NOT_PANEL_NAMESPACES = {"admin"}
NOT_PANEL_NAMESPACE_SUFFIXES = ("_webhooks", "_public", "_api")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]


def _walk(patterns, namespace="", kwargs=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full_ns, kwargs + tuple(entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, kwargs + tuple(entry.pattern.converters))


def panel_routes() -> list[Route]:
    routes = {}
    for route in _walk(get_resolver().url_patterns):
        namespace = route.name.split(":", 1)[0] if ":" in route.name else ""
        if (
            route.name.startswith(NOT_PANEL_PREFIXES)
            or namespace in NOT_PANEL_NAMESPACES
            or namespace.endswith(NOT_PANEL_NAMESPACE_SUFFIXES)
        ):
            continue
        if ":" not in route.name:
            continue  # Only the apps' namespaced routes are the panel.
        routes[route.name] = route
    return sorted(routes.values(), key=lambda r: r.name)

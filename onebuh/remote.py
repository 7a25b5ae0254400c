"""Small facts about a request that several layers need (audit rows, rate limits)."""


def client_ip(request) -> str | None:
    """The client's address as the web server handed it over (REMOTE_ADDR; the proxy in front
    sets it), None outside a request."""
    return request.META.get("REMOTE_ADDR") if request is not None else None

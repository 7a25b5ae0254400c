"""Reads that need thought: the current membership and the terms version in force."""

from django.core.cache import cache

from .models import Membership, TermsVersion

CURRENT_SUBSCRIBER_SESSION_KEY = "onebuh_subscriber_id"
TERMS_CACHE_KEY = "subscribers:terms:current"


def membership_current(*, user, session) -> Membership | None:
    """The membership the person works under: the one chosen in the session, else the first."""
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("subscriber").filter(user=user)
    chosen = session.get(CURRENT_SUBSCRIBER_SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(subscriber_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by("created_at", "pk").first()


def terms_current() -> TermsVersion | None:
    """The latest published terms; cached, because every panel request asks."""
    terms = cache.get(TERMS_CACHE_KEY)
    if terms is None:
        terms = TermsVersion.objects.order_by("-published_at", "-pk").first() or False
        cache.set(TERMS_CACHE_KEY, terms, 300)
    return terms or None


def terms_forget_current() -> None:
    cache.delete(TERMS_CACHE_KEY)

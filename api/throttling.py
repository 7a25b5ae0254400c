"""Rate limits of /api/v1/, per token (or signed-in person) and per client IP address. The
counters live in the default cache (Redis), so every web process shares them."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _LiveRates(SimpleRateThrottle):
    def get_rate(self):
        # Read at call time (DRF reads them once at import), so a settings change applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_LiveRates):
    scope = "api_token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # Anonymous callers are counted by their address only.
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IpRateThrottle(_LiveRates):
    scope = "api_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

"""Authentication of /api/v1/: personal tokens (Authorization: Bearer obk_…) for integrations,
the panel's session (with CSRF) for the browser and the documentation page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from onebuh.limits import token_failure_record, token_failures_check

from .services import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        token_failures_check(request)
        token = api_token_authenticate(raw=raw.strip())
        if token is None:
            token_failure_record(request)
        if token is None or not token.membership.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API token is wrong or revoked."))
        return (token.membership.user, token)

    def authenticate_header(self, request):
        # A 401 (not 403) with WWW-Authenticate tells a client to present its token.
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("A personal API token created in the control panel (API tokens page).")
            ),
        }

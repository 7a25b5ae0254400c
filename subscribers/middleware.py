from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .selectors import memberships_with_current, terms_current
from .services import terms_record_use

TERMS_USED_SESSION_KEY = "onebuh_terms_used"
TERMS_BANNER_SESSION_KEY = "onebuh_terms_banner"
UNTRACKED_PREFIXES = ("/static/", "/favicon.ico", "/admin/jsi18n/")


class MembershipMiddleware:
    """Sets request.membership: the subscriber the signed-in person works for, or None; and
    request.memberships: all of theirs, for the layout's switcher (no query in the template)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership, request.memberships = None, []
        if request.user.is_authenticated:
            request.memberships, request.membership = memberships_with_current(
                user=request.user, session=request.session
            )
        return self.get_response(request)


class TermsMiddleware:
    """Using the service after a new version of the terms is published counts as accepting it.

    The first request of each person under each version is recorded once; the session remembers
    it so later requests cost no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.terms_banner = None
        user = request.user
        if user.is_authenticated and not request.path.startswith(UNTRACKED_PREFIXES):
            terms = terms_current()
            if terms is not None:
                if request.session.get(TERMS_USED_SESSION_KEY) != terms.pk:
                    acceptance = terms_record_use(user=user, terms=terms, path=request.path)
                    request.session[TERMS_USED_SESSION_KEY] = terms.pk
                    # A banner only for versions published after the person joined.
                    request.session[TERMS_BANNER_SESSION_KEY] = (
                        acceptance.banner_dismissed_at is None
                        and terms.published_at > user.date_joined
                    )
                if request.session.get(TERMS_BANNER_SESSION_KEY):
                    request.terms_banner = terms
        return self.get_response(request)


class StaffMfaMiddleware:
    """Staff reach the admin only after setting up a second factor (TOTP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ONEBUH_STAFF_MFA_REQUIRED
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                _("Staff must set up two-factor authentication before using the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from .audit_actions import AuditAction

INVITATION_SESSION_KEY = "onebuh_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    """allauth hooks: joining through an invitation, and where people land after signing in."""

    def get_login_redirect_url(self, request):
        if request.session.get(INVITATION_SESSION_KEY):
            return reverse(
                "subscribers:invitation_accept", args=[request.session[INVITATION_SESSION_KEY]]
            )
        if request.user.is_staff:
            # Staff work in the admin; the panel would send them to registration (they are
            # nobody's members).
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def login(self, request, user):
        """Called once every stage (password, second factor) has passed."""
        super().login(request, user)
        from .audit import audit_record, client_ip

        membership = user.memberships.select_related("subscriber").first()
        audit_record(
            action=AuditAction.LOGIN,
            subscriber=membership.subscriber if membership else None,
            actor=user,
            target=user,
            ip=client_ip(request),
        )

    def authentication_failed(self, request, **credentials):
        from .audit import audit_record, client_ip

        login = credentials.get("email") or credentials.get("username") or ""
        audit_record(
            action=AuditAction.LOGIN_FAILED, data={"login": str(login)[:254]}, ip=client_ip(request)
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        if token and commit:
            from .models import Invitation
            from .services import invitation_accept

            invitation = Invitation.objects.filter(token=token).first()
            if invitation is not None:
                try:
                    invitation_accept(invitation=invitation, user=user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
        return user

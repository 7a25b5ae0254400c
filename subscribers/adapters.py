from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

INVITATION_SESSION_KEY = "onebuh_invitation_token"


class AccountAdapter(DefaultAccountAdapter):
    """allauth hooks: joining through an invitation, and where people land after signing in."""

    def get_login_redirect_url(self, request):
        if request.session.get(INVITATION_SESSION_KEY):
            return reverse(
                "subscribers:invitation_accept", args=[request.session[INVITATION_SESSION_KEY]]
            )
        return super().get_login_redirect_url(request)

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

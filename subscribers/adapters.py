import secrets
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import make_msgid
from django.db import transaction
from django.urls import reverse

from onebuh.emails import message_id_domain
from outbox.email import outbox_email

from .audit import audit_record, client_ip
from .audit_actions import AuditAction
from .models import Invitation
from .services import invitation_accept, user_email_changed, user_password_changed

INVITATION_SESSION_KEY = "onebuh_invitation_token"
PASSWORD_NOTICES = {
    "account/email/password_changed": "change",
    "account/email/password_set": "set",
    "account/email/password_reset": "reset",
}


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

        membership = user.memberships.select_related("subscriber").first()
        audit_record(
            action=AuditAction.LOGIN,
            subscriber=membership.subscriber if membership else None,
            actor=user,
            target=user,
            ip=client_ip(request),
        )

    def authentication_failed(self, request, **credentials):
        login = credentials.get("email") or credentials.get("username") or ""
        audit_record(
            action=AuditAction.LOGIN_FAILED, data={"login": str(login)[:254]}, ip=client_ip(request)
        )

    @staticmethod
    def _site():
        """allauth's own emails name the site from settings, not from the request's host
        ("Вас приветствует ONEbuh!", not "…127.0.0.1:8811!")."""
        return SimpleNamespace(
            name=settings.ONEBUH_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """allauth calls this once a password change, set or reset, or a change of the primary
        address, is complete (whether or not its own notices are on): the services revoke
        what must end and notify through the project's one email path."""
        ip = client_ip(self.request)
        how = PASSWORD_NOTICES.get(template_prefix)
        if how is not None:
            user_password_changed(user=user, how=how, ip=ip)
        elif template_prefix == "account/email/email_changed" and context:
            user_email_changed(
                user=user, old_email=context["from_email"], new_email=context["to_email"], ip=ip
            )
        else:
            super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix, email, context):
        """allauth's own emails (address verification, password reset, "account exists") are
        owed in the outbox like every other email: a worker or SMTP outage delays them, never
        loses them, and a retry carries the same Message-ID (issue 10)."""
        context = {"email": email, **context, "current_site": self._site()}
        message = self.render_mail(template_prefix, email, context)
        message.extra_headers.setdefault("Message-ID", make_msgid(domain=message_id_domain()))
        message.extra_headers.setdefault("Auto-Submitted", "auto-generated")
        with transaction.atomic():
            outbox_email(message=message)

    def send_account_already_exists_mail(self, email):
        """Issue 18: sign-up answered in 17 ms for a known address and 255 ms for a new one
        (the new account's password is hashed). Hash once here too, with the same hasher, so
        both answers cost the same and the timing tells nothing."""
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        if token and commit:
            invitation = Invitation.objects.filter(token=token).first()
            if invitation is not None:
                try:
                    invitation_accept(invitation=invitation, user=user)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
        return user

"""allauth's sign-up form with the service terms: the person reads the current version and
ticks the box; the acceptance of that very version is recorded (issue 14)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .selectors import terms_current
from .services import terms_accept_at_signup


class SignupForm(AllauthSignupForm):
    terms_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the service terms"),
        error_messages={"required": _("Read the service terms and tick the box to accept them.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms_current()
        if self.terms is None:  # Nothing published: nothing to accept.
            del self.fields["accept_terms"]
            return
        self.fields["terms_version"].initial = self.terms.pk
        self.fields["accept_terms"].label = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">«{}» {}</a>',
            gettext("I have read and accept the service terms"),
            self.terms.get_absolute_url(),
            self.terms.title,
            gettext("of %(date)s") % {"date": self.terms.version_date.strftime("%d.%m.%Y")},
        )

    def clean(self):
        cleaned = super().clean()
        shown = cleaned.get("terms_version")
        if self.terms is not None and shown is not None and shown != self.terms.pk:
            self.data = self.data.copy()
            self.data["terms_version"] = self.terms.pk
            raise forms.ValidationError(
                _("New service terms were published while you signed up: read them and tick again.")
            )
        return cleaned

    def save(self, request):
        user = super().save(request)
        if user is not None and self.terms is not None:
            terms_accept_at_signup(user=user, terms=self.terms)
        return user

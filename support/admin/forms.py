"""Forms of the staff's admin views: reply or note, section 8 decision, a phone call."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from subscribers.models import Subscriber

from ..forms import attachments_field
from ..models import Article, Category, DecisionReason, Ticket


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Knowledge base articles"),
        queryset=Article.objects.filter(is_published=True),
        required=False,
        help_text=_("Links to them are added at the end (4.3)."),
    )
    internal = forms.BooleanField(
        label=_("Internal note"),
        required=False,
        help_text=_("Seen only by staff; it is not a reaction and stops no SLA clock."),
    )
    attachments = attachments_field()

    def compose(self, *, site_url: str) -> str:
        data = self.cleaned_data
        parts = []
        if data["text"].strip():
            parts.append(data["text"].strip())
        if data["articles"]:
            parts.append(
                "\n".join(f"{a.title}: {site_url}{a.get_absolute_url()}" for a in data["articles"])
            )
        return "\n\n".join(parts)

    def clean(self):
        data = super().clean()
        if not ((data.get("text") or "").strip() or data.get("articles")):
            raise forms.ValidationError(_("Write the text or choose an article."))
        return data


class DecisionForm(forms.Form):
    DEFER, REFUSE = "defer", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(DEFER, _("Defer (8.1)")), (REFUSE, _("Refuse (8.1–8.3)"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason (section 8)"), choices=DecisionReason.choices)
    explanation = forms.CharField(
        label=_("Explanation for the subscriber"), widget=forms.Textarea(attrs={"rows": 5})
    )


PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{8,20}$")


class PhoneCallForm(forms.Form):
    """4.2: staff register a call as a ticket.

    The subscriber is chosen with the admin's autocomplete (the subscriber admin's queryset, so a
    consultant would find only their firm's). The widget is given when the field is built: a
    widget swapped in later has no choices bound and the page could not render.
    """

    subscriber = forms.ModelChoiceField(
        label=_("Subscriber"),
        queryset=Subscriber.objects.all(),
        widget=AutocompleteSelect(Ticket._meta.get_field("subscriber"), admin.site),
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=255)
    caller_phone = forms.CharField(
        label=_("Caller's phone"), max_length=32, help_text=_("For example, +7 701 123 45 67.")
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    text = forms.CharField(label=_("What the caller asks"), widget=forms.Textarea)

    def __init__(self, *args, subscribers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subscribers is not None:
            self.fields["subscriber"].queryset = subscribers

    def clean_caller_phone(self):
        phone = self.cleaned_data["caller_phone"].strip()
        if not PHONE_RE.match(phone) or sum(ch.isdigit() for ch in phone) < 10:
            raise forms.ValidationError(
                _("Enter the phone number with its code, for example +7 701 123 45 67.")
            )
        return phone

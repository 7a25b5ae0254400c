from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Invitation, LegalForm, MemberRole, Subscriber
from .services import SUBSCRIBER_DATA_FIELDS
from .validators import normalize_phone

# 2.2 of the terms: what each legal form must give besides the responsible person's contacts.
REQUIRED_BY_LEGAL_FORM = {
    LegalForm.INDIVIDUAL: ("iin", "main_activity", "person_full_name", "address"),
    LegalForm.ENTREPRENEUR: ("name", "iin", "main_activity", "person_full_name", "address"),
    LegalForm.LEGAL_ENTITY: ("name", "bin", "main_activity", "person_full_name", "address"),
}
CONTACT_FIELDS = ("responsible_full_name", "responsible_email", "responsible_phone")


class SubscriberForm(forms.ModelForm):
    # Wider than the stored "+7XXXXXXXXXX": people type spaces, brackets and dashes.
    responsible_phone = forms.CharField(
        label=_("Responsible person's mobile"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "+7 701 123 45 67", "type": "tel"}),
    )

    class Meta:
        model = Subscriber
        fields = SUBSCRIBER_DATA_FIELDS
        widgets = {
            "legal_form": forms.RadioSelect,
            "iin": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12}),
            "bin": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12}),
        }
        labels = {
            "person_full_name": _("Full name (of the individual, entrepreneur or director)"),
            "address": _("Address (home, or registered for a legal entity)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "iin", "bin", "main_activity", "person_full_name", "address"):
            self.fields[name].required = False
        self.fields["legal_form"].choices = LegalForm.choices  # no empty radio button
        if self.instance.pk:
            self.fields["legal_form"].disabled = True

    def clean_responsible_phone(self):
        return normalize_phone(self.cleaned_data.get("responsible_phone", ""))

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        if legal_form not in REQUIRED_BY_LEGAL_FORM:
            return cleaned
        for name in REQUIRED_BY_LEGAL_FORM[legal_form]:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Required for this legal form."))
        # Numbers that do not belong to the chosen form are dropped, not stored.
        if legal_form == LegalForm.LEGAL_ENTITY:
            cleaned["iin"] = ""
            self.errors.pop("iin", None)
        else:
            cleaned["bin"] = ""
            self.errors.pop("bin", None)
        if legal_form == LegalForm.INDIVIDUAL:
            cleaned["name"] = ""
        return cleaned

    def _post_clean(self):
        # Keep the cleaned-up numbers on the instance before model validation runs.
        for name in ("iin", "bin", "name"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class InvitationForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (value, label) for value, label in MemberRole.choices if value != MemberRole.OWNER
        ],
        initial=MemberRole.USER,
    )

    class Meta:
        model = Invitation
        fields = ("email", "role")


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (value, label) for value, label in MemberRole.choices if value != MemberRole.OWNER
        ],
    )

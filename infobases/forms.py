from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import AccessRole, Solution


class InfobaseAddForm(forms.Form):
    solution = forms.ModelChoiceField(
        label=_("Solution"), queryset=Solution.objects.filter(is_published=True), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    with_demo_data = forms.TypedChoiceField(
        label=_("Content"),
        choices=[("0", _("Empty infobase")), ("1", _("With demo data"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class LockForm(forms.Form):
    starts = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty means now."),
    )
    ends = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty means until you clear the lock."),
    )
    message = forms.CharField(label=_("Message to users"), max_length=255, required=False)


class UploadStartForm(forms.Form):
    """What the resumable upload asks before the file goes (the file itself goes in parts)."""

    name = forms.CharField(label=_("Infobase name"), max_length=100)
    solution = forms.ModelChoiceField(
        label=_("Solution"),
        queryset=Solution.objects.filter(is_published=True),
        required=False,
        empty_label=_("— not sure —"),
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)
    dt_admin_login = forms.CharField(
        label=_("Administrator's login in the infobase"),
        max_length=255,
        required=False,
        help_text=_(
            "If the infobase has users, give the login and password of one with full rights: "
            "the service adds its own account through it. Leave empty if the base has no users."
        ),
    )
    dt_admin_password = forms.CharField(
        label=_("Administrator's password"),
        max_length=255,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["dt_admin_login"] = (cleaned.get("dt_admin_login") or "").strip()
        if cleaned.get("dt_admin_password") and not cleaned["dt_admin_login"]:
            self.add_error("dt_admin_login", _("Give the login of the administrator too."))
        return cleaned


class AccessForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    infobase = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=AccessRole.choices)


class RestoreForm(forms.Form):
    """Two buttons on the page: over the same infobase (confirmed by its id, after a question
    naming it) or into a new one (the name field is the only one shown)."""

    into = forms.ChoiceField(
        choices=[("same", _("the same infobase")), ("new", _("a new infobase"))],
        widget=forms.HiddenInput,
    )
    confirm = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name of the new infobase"), max_length=100, required=False)


class ReportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


class NumbersImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: tax_number, solution, email, number, assigned_on."),
    )


class PasswordSetForm(forms.Form):
    password1 = forms.CharField(
        label=_("New 1C password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("8 to 64 characters. The portal does not keep it."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        return cleaned


class BackupTargetForm(forms.Form):
    """The customer's own S3-compatible bucket. The keys are never shown back: left blank on
    an existing storage they stay as they are."""

    endpoint_url = forms.CharField(
        label=_("Storage address (endpoint)"),
        max_length=300,
        help_text=_("For example https://s3.ru-1.storage.selcloud.ru or https://s3.amazonaws.com"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    bucket_name = forms.CharField(
        label=_("Bucket"),
        max_length=63,
        min_length=3,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9.-]+[a-z0-9]$",
                _("A bucket name has small Latin letters, digits, dots and hyphens."),
            )
        ],
    )
    region = forms.CharField(label=_("Region"), max_length=50, required=False)
    prefix = forms.CharField(
        label=_("Folder (prefix)"),
        max_length=200,
        required=False,
        help_text=_("Copies are put under this folder of the bucket, e.g. onebuh/"),
    )
    access_key = forms.CharField(label=_("Access key"), max_length=128, required=False)
    secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=256,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    enabled = forms.BooleanField(label=_("Copy new backups here"), required=False, initial=True)

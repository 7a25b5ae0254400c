from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClaimForm(forms.Form):
    """9.1: the date and the total downtime of that day."""

    downtime_date = forms.DateField(
        label=_("Date of the downtime"), widget=forms.DateInput(attrs={"type": "date"})
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=24, initial=0)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=59, initial=0)
    description = forms.CharField(
        label=_("What did not work"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_downtime_date(self):
        value = self.cleaned_data["downtime_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the downtime cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        hours, minutes = cleaned.get("hours"), cleaned.get("minutes")
        if hours is None or minutes is None:
            return cleaned
        downtime = timedelta(hours=hours, minutes=minutes)
        if downtime <= timedelta(0):
            raise forms.ValidationError(_("Give the total downtime: more than zero minutes."))
        if downtime > timedelta(hours=24):
            raise forms.ValidationError(_("A day's total downtime cannot exceed 24 hours."))
        cleaned["claimed_downtime"] = downtime
        return cleaned


class StatusSubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"))

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Tariff


class TariffChoiceForm(forms.Form):
    tariff = forms.ModelChoiceField(
        label=_("Tariff"),
        queryset=Tariff.objects.filter(is_public=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the offered tariffs.")},
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CorrectionForm(forms.Form):
    account = forms.ChoiceField(
        label=_("Balance"), choices=[("money", _("Money")), ("bonus", _("Bonuses"))]
    )
    amount = forms.DecimalField(
        label=_("Amount, KZT"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Negative to take away, positive to add."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)

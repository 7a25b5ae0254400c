"""Forms of the subscriber's support panel."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .attachments import validate_attachments
from .models import PARTNER_CATEGORIES, Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        validate_attachments(files)
        return files


def attachments_field():
    return MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 5 files of up to 10 MB: screenshots, documents, logs, archives."),
    )


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=255)
    text = forms.CharField(label=_("Describe the question"), widget=forms.Textarea)
    infobase = forms.ModelChoiceField(
        label=_("Infobase"), queryset=None, required=False, empty_label=_("— not about one —")
    )
    attachments = attachments_field()

    def __init__(self, *args, infobases, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["infobase"].queryset = infobases
        self.quotas = quotas
        self.fields["subject"].widget.attrs.update(
            {"autocomplete": "off", "data-suggest": "articles"}
        )

    def clean_category(self):
        category = self.cleaned_data["category"]
        usage = self.quotas.get(category)
        if category in PARTNER_CATEGORIES and usage is not None and usage.exhausted:
            raise forms.ValidationError(
                _(
                    "The monthly quota of these requests is used up. Extend the tariff to get "
                    "more support (4.4)."
                )
            )
        return category


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = attachments_field()


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TokenForm(forms.Form):
    infobase = forms.ModelChoiceField(label=_("Infobase"), queryset=None)

    def __init__(self, *args, infobases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["infobase"].queryset = infobases

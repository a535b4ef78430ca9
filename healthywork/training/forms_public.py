"""The public registration form (no account): what a person types, checked; no IP address."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PublicRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), help_text=_("We send the confirmation, with your cancellation link, here.")
    )
    organization_name = forms.CharField(
        label=_("Organization"), max_length=250, required=False, help_text=_("Where you work or volunteer.")
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    accommodation = forms.CharField(
        label=_("Accommodation requests"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example interpretation, captions, accessible seating. Optional."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the program keeps these details to run this training and to contact me about it."
        ),
        error_messages={"required": _("Please agree, so that we may keep your registration.")},
    )
    # A field people never see; a bot that fills it is thanked and nothing is saved.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

"""Forms for administrations: the administration itself and adding invitations."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Cohort, Session, Team
from healthywork.evaluation import administrations
from healthywork.evaluation.models import Administration, ContextKind, Instrument, TimePoint
from healthywork.partners.models import Person

DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

#: The field each context kind needs (a label for the kinds that have no table of their own).
CONTEXT_FIELD = {
    ContextKind.COHORT: "cohort",
    ContextKind.SESSION: "session",
    ContextKind.TEAM: "team",
    ContextKind.TRAINING: "context_label",
    ContextKind.COMMUNITY: "context_label",
    ContextKind.OTHER: "context_label",
}


class AdministrationForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Respondents may switch between these."),
    )

    class Meta:
        model = Administration
        # `languages` is the declared field above (a list on the form, a string on the model).
        fields = [name for name in administrations.FIELDS if name != "languages"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "closes_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.order_by("title")
        self.fields["cohort"].queryset = Cohort.objects.visible_to(user)
        self.fields["session"].queryset = Session.objects.visible_to(user).select_related("cohort")
        self.fields["team"].queryset = Team.objects.visible_to(user)
        pre = Administration.objects.visible_to(user).filter(time_point=TimePoint.PRE)
        if self.instance.pk:
            pre = pre.exclude(pk=self.instance.pk)
        self.fields["pre"].queryset = pre.select_related("instrument")
        self.fields["languages"].initial = (self.instance.languages or "en es").split()
        if self.instance.pk and self.instance.responses.exists():
            # The answers were given to this instrument: it can no longer change.
            self.fields["instrument"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("context_kind")
        needed = CONTEXT_FIELD.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, _("Say which one for this context."))
        time_point = data.get("time_point")
        pre = data.get("pre")
        if pre is not None and time_point not in (TimePoint.POST, TimePoint.FOLLOW_UP):
            self.add_error(
                "pre", _("Only a post or follow-up administration has a matching pre administration.")
            )
        if pre is not None and data.get("instrument") and pre.instrument_id != data["instrument"].pk:
            self.add_error("pre", _("The matching administration uses another instrument."))
        return data

    def clean_languages(self) -> str:
        return " ".join(self.cleaned_data["languages"])


class InvitationForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People from the registry"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Only people with an email address are listed."),
    )
    team = forms.ModelChoiceField(
        label=_("Everyone on a team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("The team's people who have an email address."),
    )
    pasted = forms.CharField(
        label=_("Names and email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One person per line: name, email."),
    )
    language = forms.ChoiceField(
        label=_("Language for pasted addresses"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_("People from the registry get their preferred language."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.visible_to(user).exclude(email="").order_by("name")
        self.fields["team"].queryset = Team.objects.visible_to(user)

    def clean_pasted(self) -> list:
        rows, errors = administrations.parse_pasted(self.cleaned_data.get("pasted", ""))
        if errors:
            raise forms.ValidationError(errors)
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (data.get("people") or data.get("team") or data.get("pasted")):
            raise forms.ValidationError(_("Choose people, a team, or paste names and email addresses."))
        return data

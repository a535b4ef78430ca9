"""The answering forms of the partner survey: about your organization, and one form per partner."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from healthywork.network.models import Frequency, TieKind
from healthywork.network.respond import (
    CONTRIBUTIONS,
    LEVEL_DEFINITIONS,
    OUTCOMES,
    RATING_SCALE,
    SUCCESS_SCALE,
)
from healthywork.partners.models import Organization


def _range_text(low: int, high: int) -> str:
    return gettext("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high}


_range_message = lazy(_range_text, str)  # fields are built at import: translate when shown


class ScaleField(forms.TypedChoiceField):
    """A radio group on a numeric scale that names its range when a value falls outside it."""

    widget = forms.RadioSelect

    def __init__(self, *args, choices, **kwargs):
        low, high = choices[0][0], choices[-1][0]
        kwargs.setdefault("error_messages", {"invalid_choice": _range_message(low, high)})
        super().__init__(*args, choices=choices, coerce=int, empty_value=None, **kwargs)


class AboutForm(forms.Form):
    contributions = forms.MultipleChoiceField(
        label=_("What does your organization bring to the coalition?"),
        help_text=_("Tick all that apply."),
        choices=CONTRIBUTIONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    outcomes = forms.MultipleChoiceField(
        label=_("What has the coalition achieved so far?"),
        help_text=_("Tick all that apply."),
        choices=OUTCOMES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    success = ScaleField(
        label=_("How successful has the coalition been at reaching its goals?"), choices=SUCCESS_SCALE
    )
    comments = forms.CharField(
        label=_("Anything you want to add (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# format_lazy keeps the labels translatable (an f-string would fix them in English at import).
LEVEL_CHOICES = [
    (level, format_lazy("{} — {}: {}", level, label, definition))
    for level, label, definition in LEVEL_DEFINITIONS
]
TRUST_ITEMS = [
    ("trust_reliability", _("How reliable is this organization?")),
    ("trust_mission", _("How much does this organization support the coalition's mission?")),
    ("trust_openness", _("How open is this organization to discussion?")),
]
VALUE_ITEMS = [
    ("value_power", _("How much power and influence does this organization have?")),
    ("value_involvement", _("How involved is this organization in the coalition?")),
    ("value_resources", _("How much does this organization contribute in resources?")),
]


class RatingForm(forms.Form):
    """The answers about one partner. `partner` is the partner's public id, checked against the
    roster: a partner not on it, or the respondent's own organization, is a field error."""

    partner = forms.CharField(widget=forms.HiddenInput)
    interacts = forms.ChoiceField(
        label=_("Does your organization interact with this one?"), choices=YES_NO, widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=[(value, label) for value, label in Frequency.choices if value != Frequency.NEVER],
        widget=forms.RadioSelect,
        required=False,
    )
    level = ScaleField(label=_("Level of collaboration"), choices=LEVEL_CHOICES, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("What do you do together?"),
        help_text=_("Tick all that apply."),
        choices=TieKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, roster: dict[str, Organization], own: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        self.own = own
        for name, label in TRUST_ITEMS + VALUE_ITEMS:
            self.fields[name] = ScaleField(label=label, choices=RATING_SCALE, required=False)

    @property
    def trust_fields(self) -> list:
        return [self[name] for name, _label in TRUST_ITEMS]

    @property
    def value_fields(self) -> list:
        return [self[name] for name, _label in VALUE_ITEMS]

    def clean_partner(self) -> Organization:
        public_id = self.cleaned_data["partner"]
        if public_id == str(self.own.public_id):
            raise forms.ValidationError(_("An organization does not rate itself."))
        partner = self.roster.get(public_id)
        if partner is None:
            raise forms.ValidationError(_("This organization is not on the survey's roster."))
        return partner

    def clean_interacts(self) -> bool:
        return self.cleaned_data["interacts"] == "yes"

    def clean(self):
        data = super().clean()
        if data.get("interacts"):
            if not data.get("frequency"):
                self.add_error("frequency", _("Say how often, or answer “No” above."))
            if data.get("level") is None and "level" not in self.errors:
                self.add_error("level", _("Choose a level of collaboration from 0 to 5."))
        return data

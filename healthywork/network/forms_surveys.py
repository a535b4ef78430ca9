"""Forms of the partner survey's administration: the survey with its roster, and roster contacts."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from healthywork.network.models import PartnerSurvey, Respondent, Wave
from healthywork.partners.models import Organization, split_list


class SurveyForm(forms.ModelForm):
    """A survey of one wave and its roster: organizations ticked in the registry and/or names
    pasted one per line (matched by name or alias; a line that matches none is an error)."""

    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Links stop working at this time. Leave empty to close the survey by hand."),
    )
    roster = forms.ModelMultipleChoiceField(
        label=_("Roster: organizations from the registry"),
        queryset=Organization.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roster_names = forms.CharField(
        label=_("Or paste organization names, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Names or aliases as they are in the registry."),
    )

    class Meta:
        model = PartnerSurvey
        fields = ["wave", "title", "introduction", "closes_at"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["wave"].queryset = Wave.objects.visible_to(user)
        organizations = Organization.objects.visible_to(user).select_related("sector").order_by("name")
        self.fields["roster"].queryset = organizations
        self.fields["roster"].label_from_instance = lambda org: f"{org.name} ({org.sector.name})"
        if self.instance.pk and not self.is_bound:
            self.initial["roster"] = [
                str(public_id)
                for public_id in self.instance.respondents.values_list("organization__public_id", flat=True)
            ]

    def clean_roster_names(self) -> list[Organization]:
        found = []
        errors = []
        visible = Organization.objects.visible_to(self.user)
        lines = self.cleaned_data["roster_names"].splitlines()
        for number, line in enumerate(lines, start=1):
            names = split_list(line)
            for name in names:
                matches = list(visible.matching_name(name)[:2])
                if not matches:
                    errors.append(
                        _("Line %(line)s: no organization is called “%(name)s”.")
                        % {"line": number, "name": name}
                    )
                elif len(matches) > 1:
                    errors.append(
                        _("Line %(line)s: several organizations are called “%(name)s”; tick the right one.")
                        % {"line": number, "name": name}
                    )
                else:
                    found.append(matches[0])
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean(self):
        data = super().clean()
        roster = {
            org.pk: org for org in list(data.get("roster") or []) + list(data.get("roster_names") or [])
        }
        if "roster" not in self.errors and "roster_names" not in self.errors and len(roster) < 2:
            raise forms.ValidationError(_("A roster needs at least two organizations."))
        data["organizations"] = sorted(roster.values(), key=lambda org: org.name)
        return data


class ContactForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = Respondent
        fields = ["contact_name", "email", "language"]


ContactFormSet = forms.modelformset_factory(Respondent, form=ContactForm, extra=0, can_delete=False)


def contact_formset(survey: PartnerSurvey, data=None):
    return ContactFormSet(
        data,
        queryset=survey.respondents.select_related("organization").order_by("organization__name"),
        prefix="contacts",
    )

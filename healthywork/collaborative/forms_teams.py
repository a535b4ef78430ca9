from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import Condition
from healthywork.collaborative.forms_cohorts import facilitator_candidates
from healthywork.collaborative.models import EPRESDimension, MembershipRole, Team
from healthywork.partners.models import Organization, Person


class UserField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name()} ({obj.username})"


class TeamForm(forms.ModelForm):
    facilitator = UserField(label=_("Facilitator"), queryset=None, required=False)

    class Meta:
        model = Team
        fields = ["name", "focus", "facilitator", "assistance_providers"]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 4}),
            "assistance_providers": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "assistance_providers": _("Organizations that give the team technical assistance."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitator_candidates(self.instance.cohort)
        self.fields["assistance_providers"].queryset = Organization.objects.filter(
            merged_into__isnull=True
        ).select_related("sector")

    def clean_name(self) -> str:
        # The cohort is not a field of the form, so the model's unique check would skip it.
        name = self.cleaned_data["name"].strip()
        clash = Team.objects.filter(cohort=self.instance.cohort, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The cohort already has a team called %(name)s.") % {"name": name})
        return name


class MembershipForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.filter(merged_into__isnull=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class TeamPersonForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person in the registry"), queryset=None, required=False)
    user = UserField(label=_("Account"), queryset=None, required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)
    can_edit = forms.BooleanField(label=_("May edit the team's work"), required=False, initial=True)

    def __init__(self, *args, team: Team, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(viewer)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["organization"].queryset = Organization.objects.filter(team_memberships__team=team)
        self.fields["organization"].help_text = _("One of the team's organizations.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("user") and not self.errors:
            self.add_error("person", _("Choose a person in the registry, an account, or both."))
        return cleaned


class DefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("Our definition of precarious work"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    conditions = forms.ModelMultipleChoiceField(
        label=_("Healthy-work conditions it covers"),
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dimensions = forms.MultipleChoiceField(
        label=_("EPRES dimensions it covers"),
        choices=EPRESDimension.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The six dimensions of the Employment Precariousness Scale (Vives et al., 2010)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, team: Team) -> dict:
        return {
            "definition": team.definition,
            "conditions": list(team.definition_conditions.all()),
            "dimensions": list(team.definition_dimensions),
            "version": team.version,
        }

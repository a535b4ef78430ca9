"""Forms for milestones, progress reports (with a status for each open milestone) and PSE changes."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import Initiative
from healthywork.collaborative.models import Cohort, Team
from healthywork.implementation import changes
from healthywork.implementation import milestones as milestone_rules
from healthywork.implementation.models import (
    Change,
    ChangeKind,
    ChangeLevel,
    Milestone,
    MilestoneStatus,
    ProgressReport,
)
from healthywork.implementation.reports import Update
from healthywork.partners.forms import OrganizationChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.objective.position + 1}.{obj.position + 1} {obj}"


class MilestoneForm(forms.ModelForm):
    action_step = StepField(
        label=_("Action step"),
        queryset=None,
        required=False,
        help_text=_("A step of the team's own action plan."),
    )

    class Meta:
        model = Milestone
        fields = ["title", "description", "action_step", "due_date", "status", "completed_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "due_date": DATE,
            "completed_on": DATE,
        }
        help_texts = {"completed_on": _("Needed when the milestone is done.")}

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.fields["action_step"].queryset = milestone_rules.step_choices(team)


class ReportForm(forms.ModelForm):
    """The report's text and one status (with a note and a completion date) per milestone."""

    class Meta:
        model = ProgressReport
        fields = ["period_start", "period_end", "done", "challenges", "next_steps"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "done": forms.Textarea(attrs={"rows": 5}),
            "challenges": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, team: Team, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.milestones = list(milestones)
        given = {}
        if self.instance.pk:
            given = {update.milestone_id: update for update in self.instance.milestone_updates.all()}
        for milestone in self.milestones:
            prefix = f"m{milestone.pk}"
            previous = given.get(milestone.pk)
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=_("Status of “%(title)s” (due %(due)s)")
                % {"title": milestone.title, "due": milestone.due_date.isoformat()},
                choices=MilestoneStatus.choices,
                initial=previous.status if previous else milestone.status,
            )
            self.fields[f"{prefix}_completed_on"] = forms.DateField(
                label=_("Done on (“%(title)s”)") % {"title": milestone.title},
                required=False,
                widget=DATE,
                initial=milestone.completed_on,
                help_text=_("Needed when the status is Done."),
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note on “%(title)s”") % {"title": milestone.title},
                required=False,
                max_length=300,
                initial=previous.note if previous else "",
            )

    def milestone_rows(self):
        """(milestone, status field, date field, note field) for the template."""
        return [
            (m, self[f"m{m.pk}_status"], self[f"m{m.pk}_completed_on"], self[f"m{m.pk}_note"])
            for m in self.milestones
        ]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        for milestone in self.milestones:
            prefix = f"m{milestone.pk}"
            status, completed_on = cleaned.get(f"{prefix}_status"), cleaned.get(f"{prefix}_completed_on")
            if status == MilestoneStatus.DONE and not completed_on:
                self.add_error(
                    f"{prefix}_completed_on",
                    _("“%(title)s” is done: give the date it was done.") % {"title": milestone.title},
                )
            elif completed_on and status != MilestoneStatus.DONE:
                self.add_error(
                    f"{prefix}_status",
                    _("“%(title)s” has a completion date, so its status is Done.")
                    % {"title": milestone.title},
                )
            elif completed_on and completed_on > date.today():
                self.add_error(f"{prefix}_completed_on", _("The completion date is in the future."))
        return cleaned

    def updates(self) -> list[Update]:
        return [
            Update(
                milestone=milestone,
                status=self.cleaned_data[f"m{milestone.pk}_status"],
                note=self.cleaned_data.get(f"m{milestone.pk}_note", ""),
                completed_on=self.cleaned_data.get(f"m{milestone.pk}_completed_on"),
            )
            for milestone in self.milestones
        ]


def _organization_input() -> forms.TextInput:
    attrs = {"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}
    return forms.TextInput(attrs=attrs)


class InitiativeField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class ChangeForm(forms.ModelForm):
    organization = OrganizationChoiceField(
        label=_("Where it was adopted"),
        required=False,
        widget=_organization_input(),
        help_text=_("The organization that adopted it; type a name or an alias."),
    )
    initiative = InitiativeField(
        label=_("Catalog initiative"), queryset=Initiative.objects.order_by("title"), required=False
    )
    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=None, required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")

    class Meta:
        model = Change
        fields = changes.FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "date": DATE,
        }

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.fields["milestone"].queryset = Milestone.objects.filter(team=team)


class ChangeFilterForm(forms.Form):
    """The change list's filters (GET); an empty or invalid field keeps everything."""

    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ChangeKind.choices])
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All")), *ChangeLevel.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        teams = list(teams.select_related("cohort").order_by("cohort__name", "name"))
        # Cohorts are shared reading for signed-in people (their teams' work is not).
        cohorts = Cohort.objects.order_by("-start_date", "name").values_list("public_id", "name")
        self.fields["cohort"].choices = [("", _("All")), *((str(key), name) for key, name in cohorts)]
        self.fields["team"].choices = [("", _("All")), *((str(t.public_id), t.name) for t in teams)]

    def params(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

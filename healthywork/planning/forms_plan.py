"""Forms of the action plan: an objective, a step, the table's filters. Each write form carries
the plan's version as the page read it (a hidden `version`), for the optimistic-concurrency check."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Team
from healthywork.partners.models import Organization, Person
from healthywork.planning.models import ActionStep, Intervention, Objective, Outcome, StepStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def display_values(self) -> dict[str, tuple[str, str]]:
        """{field name: (label, value as typed)}, for the person's side of a conflict message."""
        shown: dict[str, tuple[str, str]] = {}
        data = getattr(self, "cleaned_data", {})
        for bound in self.visible_fields():
            value = data.get(bound.name, bound.value())
            choices = dict(_flat_choices(getattr(bound.field, "choices", [])))
            if isinstance(value, (Person, Organization)):
                value = str(value)
            elif choices and value not in (None, ""):
                value = choices.get(value, choices.get(str(getattr(value, "pk", value)), value))
            elif isinstance(value, date):
                value = value.isoformat()
            shown[bound.name] = (str(bound.label), "" if value is None else str(value))
        return shown

    def keep_version(self, version: int) -> None:
        """After a conflict, the re-shown form saves at the stored version if sent again."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


def _flat_choices(choices: Any) -> list[tuple[Any, Any]]:
    flat = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend((str(inner), inner_label) for inner, inner_label in label)
        else:
            flat.append((str(value), label))
    return flat


def _theory_outcomes(team: Team):
    return Outcome.objects.filter(theory__team=team).order_by("-is_goal", "id")


class ObjectiveForm(VersionedForm):
    class Meta:
        model = Objective
        fields = ["text", "outcome"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Objective (specific, measurable, achievable, relevant, time-bound)")}

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        outcomes = _theory_outcomes(team)
        self.fields["outcome"].queryset = outcomes
        self.fields["outcome"].empty_label = _("— not linked yet —")
        self.fields["outcome"].help_text = (
            _("An outcome of your theory of change.")
            if outcomes.exists()
            else _("Your theory of change has no outcomes yet: add them there, then link this objective.")
        )


class GroupedChoiceField(forms.ChoiceField):
    """A choice of registry rows, the team's own first (in an option group of their own)."""

    def __init__(self, *args, model=None, **kwargs):
        self.model = model
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in (None, ""):
            return None
        return self.model.objects.filter(pk=value).first()


def _group(rows, label: str) -> tuple[str, list[tuple[str, str]]]:
    return (label, [(str(row.pk), str(row)) for row in rows])


class StepForm(VersionedForm):
    who_person = GroupedChoiceField(label=_("Who (person)"), required=False, model=Person)
    who_organization = GroupedChoiceField(label=_("Who (organization)"), required=False, model=Organization)

    class Meta:
        model = ActionStep
        fields = [
            "what",
            "who_person",
            "who_organization",
            "start_date",
            "due_date",
            "status",
            "resources_available",
            "resources_needed",
            "barriers",
            "communication",
            "outcome",
            "intervention",
        ]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_INPUT,
            "due_date": DATE_INPUT,
            "resources_available": forms.Textarea(attrs={"rows": 2}),
            "resources_needed": forms.Textarea(attrs={"rows": 2}),
            "barriers": forms.Textarea(attrs={"rows": 2}),
            "communication": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "start_date": _("Leave empty for a one-day milestone."),
            "due_date": _("Dates outside the cohort's dates are allowed, with a warning."),
        }

    def __init__(self, *args, team: Team, user: Any, **kwargs):
        super().__init__(*args, **kwargs)
        team_organizations = Organization.objects.filter(team_memberships__team=team).order_by("name")
        other_organizations = (
            Organization.objects.visible_to(user).exclude(pk__in=team_organizations).order_by("name")
        )
        team_people = (
            Person.objects.filter(
                Q(team_roles__team=team)
                | Q(
                    pk__in=Person.objects.visible_to(user).filter(
                        affiliations__organization__in=team_organizations
                    )
                )
            )
            .distinct()
            .order_by("name")
        )
        other_people = Person.objects.visible_to(user).exclude(pk__in=team_people).order_by("name")
        people = [_group(team_people, _("People of the team's organizations"))]
        if self.instance.who_person_id and not (
            team_people.filter(pk=self.instance.who_person_id).exists()
            or other_people.filter(pk=self.instance.who_person_id).exists()
        ):
            people.append(_group([self.instance.who_person], _("Chosen before")))
        people.append(_group(other_people, _("Other people in the registry")))
        self.fields["who_person"].choices = [("", _("— nobody named —")), *people]
        self.fields["who_organization"].choices = [
            ("", _("— no organization —")),
            _group(team_organizations, _("The team's organizations")),
            _group(other_organizations, _("Other organizations in the registry")),
        ]
        if self.instance.pk:
            self.initial["who_person"] = str(self.instance.who_person_id or "")
            self.initial["who_organization"] = str(self.instance.who_organization_id or "")
        self.fields["outcome"].queryset = _theory_outcomes(team)
        self.fields["intervention"].queryset = Intervention.objects.filter(theory__team=team)
        self.fields["status"].choices = StepStatus.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error(
                "due_date",
                _("The by-when date (%(due)s) is before the start (%(start)s).")
                % {"due": due.isoformat(), "start": start.isoformat()},
            )
        return data


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class PlanFilterForm(forms.Form):
    """The table's filters; everything in the URL so a filtered view can be shared."""

    view = forms.ChoiceField(
        label=_("View"),
        choices=[("table", _("Table")), ("timeline", _("Timeline"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    who = forms.ChoiceField(label=_("Who"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    upcoming = forms.BooleanField(label=_("Due in the next 14 days"), required=False)

    def __init__(self, *args, who_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *StepStatus.choices]
        self.fields["who"].choices = [("", _("Anyone")), *who_choices]

    def params(self) -> dict[str, Any]:
        """The valid filters (an invalid value is ignored, as on the other list pages)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def view_name(self) -> str:
        value = self.data.get("view", "")
        return value if value in ("table", "timeline") else "table"

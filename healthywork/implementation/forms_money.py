"""Forms of the money area: grants, disbursements, the assistance log, its filters and import."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Cohort, Team
from healthywork.core.forms import BoundedFileField
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    AssistanceMode,
    Grant,
    can_edit_money,
)
from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Organization

EARLIEST = date(1990, 1, 1)
MAX_AMOUNT = Decimal("9999999999.99")


def latest_date() -> date:
    """Nothing in the money area is dated more than a year ahead."""
    return date.today() + timedelta(days=366)


def check_date(value: date | None) -> date | None:
    if value and not EARLIEST <= value <= latest_date():
        raise forms.ValidationError(
            _("%(value)s is not a plausible date: give one from 1990 to a year from today."),
            params={"value": value},
        )
    return value


SUGGEST_ATTRS = {"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}


class GrantForm(forms.ModelForm):
    """The funder is typed once: a registry organization's name or alias picks it; any other
    name is kept as typed (funder_name)."""

    funder = forms.CharField(
        label=_("Funder"),
        max_length=250,
        help_text=_("Type a name or an alias; suggestions from the registry appear as you type."),
        widget=forms.TextInput(attrs=SUGGEST_ATTRS),
    )

    class Meta:
        model = Grant
        fields = ["amount", "currency", "start_date", "end_date", "status", "purpose", "conditions"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "currency": forms.TextInput(attrs={"size": 3, "maxlength": 3}),
        }

    field_order = ["funder", "amount", "currency", "start_date", "end_date", "status", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["funder"].initial = self.instance.funder_label
        self.fields["amount"].min_value = Decimal("0")

    def clean_funder(self) -> str:
        return " ".join(self.cleaned_data["funder"].split())

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Give a three-letter currency code, such as USD."))
        return currency

    def clean_start_date(self) -> date:
        return check_date(self.cleaned_data["start_date"])

    def clean_end_date(self) -> date:
        return check_date(self.cleaned_data["end_date"])

    # The period's order and the cohort's one currency are the model's rules (Grant.clean), checked
    # when the form validates the instance.
    def _post_clean(self) -> None:
        name = self.cleaned_data.get("funder", "")
        matches = (
            list(Organization.objects.filter(merged_into__isnull=True).matching_name(name)[:2])
            if name
            else []
        )
        self.instance.funder = matches[0] if len(matches) == 1 else None
        self.instance.funder_name = "" if len(matches) == 1 else name
        super()._post_clean()

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["funder"] = self.instance.funder
        data["funder_name"] = self.instance.funder_name
        return data


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_AMOUNT
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm = forms.BooleanField(
        label=_("Yes, record it beyond the award"),
        required=False,
        help_text=_("Only needed when the amount goes past the remaining balance."),
    )

    def clean_date(self) -> date:
        return check_date(self.cleaned_data["date"])


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.cohort.name})"


def money_teams(user) -> list[Team]:
    """The visible teams the user may record money and assistance for."""
    teams = Team.objects.visible_to(user).select_related("cohort").order_by("cohort__name", "name")
    return [team for team in teams if can_edit_money(user, team)]


class AssistanceForm(forms.ModelForm):
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none())
    provider_organization = OrganizationChoiceField(
        label=_("Provider's organization"),
        required=False,
        help_text=_("Type a name or an alias; suggestions from the registry appear as you type."),
        widget=forms.TextInput(attrs=SUGGEST_ATTRS),
    )

    class Meta:
        model = AssistanceLog
        fields = [
            "team",
            "provider_name",
            "provider_organization",
            "date",
            "hours",
            "mode",
            "kind",
            "topic",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.25", "min": "0.25"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [team.pk for team in money_teams(user)]
        self.fields["team"].queryset = (
            Team.objects.filter(pk__in=allowed).select_related("cohort").order_by("cohort__name", "name")
        )

    def clean_date(self) -> date:
        value = check_date(self.cleaned_data["date"])
        if value and value > date.today():
            raise forms.ValidationError(_("Log assistance once it was given: the date is in the future."))
        return value

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours is not None and hours < Decimal("0.25"):
            raise forms.ValidationError(_("Log at least a quarter of an hour (0.25)."))
        return hours

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AssistanceFilterForm(forms.Form):
    """The log's filters (GET, so a filtered list is a link to share); empty keeps everything."""

    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    provider = forms.CharField(
        label=_("Provider"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    topic = forms.CharField(
        label=_("Topic"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *AssistanceKind.choices]
    )
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", _("All")), *AssistanceMode.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {
            str(team.public_id): team
            for team in Team.objects.visible_to(user)
            .select_related("cohort")
            .order_by("cohort__name", "name")
        }
        self.cohorts = {
            str(cohort.public_id): cohort for cohort in Cohort.objects.visible_to(user).order_by("name")
        }
        self.fields["cohort"].choices = [("", _("All"))] + [(key, c.name) for key, c in self.cohorts.items()]
        self.fields["team"].choices = [("", _("All"))] + [
            (key, f"{team.name} ({team.cohort.name})") for key, team in self.teams.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def params(self) -> dict[str, Any]:
        """Cleaned filters with cohort and team as objects; an invalid filter is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = dict(getattr(self, "cleaned_data", {}))
        data["cohort"] = self.cohorts.get(data.get("cohort") or "")
        data["team"] = self.teams.get(data.get("team") or "")
        return {key: value for key, value in data.items() if value not in (None, "")}


class AssistanceImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV or XLSX file"),
        help_text=_("One entry a row; the first row names the columns."),
    )

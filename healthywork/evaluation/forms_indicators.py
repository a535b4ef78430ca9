"""Forms of the indicators area: the list's filter, a typed measurement, a computed one, an import."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Team
from healthywork.evaluation.indicators import EARLIEST, MAX_ABS_VALUE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_date(value: date) -> date:
    if value < EARLIEST or value.year > date.today().year + 50:
        raise forms.ValidationError(_("%(value)s is not a plausible date."), params={"value": value})
    return value


class IndicatorFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, to_field_name="public_id",
        empty_label=_("All teams"),
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(user).select_related("cohort").order_by("name")


class MeasurementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    value = forms.FloatField(label=_("Value"), min_value=-MAX_ABS_VALUE, max_value=MAX_ABS_VALUE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_date(self):
        return _check_date(self.cleaned_data["date"])


class ChooseAdministrationForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"), queryset=None, to_field_name="public_id",
        help_text=_("The instrument's results to compute the value from (complete responses only)."),
    )  # fmt: skip

    def __init__(self, *args, administrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = administrations


class ComputeForm(forms.Form):
    what = forms.ChoiceField(label=_("Of"))
    statistic = forms.ChoiceField(
        label=_("Statistic"),
        choices=[
            ("mean", _("Mean")),
            ("percent_at_least", _("Percent of respondents at or above a threshold")),
        ],
    )
    threshold = forms.FloatField(
        label=_("Threshold"),
        required=False,
        help_text=_("Only for a percentage: the lowest value that counts."),
    )
    date = forms.DateField(label=_("Date of the measurement"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, help_text=_("Left empty, it says what was computed.")
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = targets or []

    def clean_date(self):
        return _check_date(self.cleaned_data["date"])

    def clean(self):
        data = super().clean()
        if data.get("statistic") == "percent_at_least" and data.get("threshold") is None:
            self.add_error("threshold", _("A percentage at or above a value needs that value."))
        return data


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("Columns: date (YYYY-MM-DD), value, note.")
    )

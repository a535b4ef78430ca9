"""The metrics page's filters and the choice of two waves to compare (GET forms: a result is a link)."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.network.forms_filters import NetworkFilterFields
from healthywork.network.models import Wave

GROUP_BY_CHOICES = [
    ("sector", gettext_lazy("Sector")),
    ("sector_family", gettext_lazy("Sector family")),
]
# Columns of the per-organization table, in the order shown; the value is what sorts.
SORT_COLUMNS = (
    "name",
    "group",
    "degree_in",
    "degree_out",
    "degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "ei",
    "community",
)


class MetricsFilterForm(NetworkFilterFields):
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUP_BY_CHOICES, required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"] or "-degree"
        if sort.lstrip("-") not in SORT_COLUMNS:
            raise forms.ValidationError(
                _("“%(value)s” is not a column to sort by. The columns are: %(columns)s.")
                % {"value": sort, "columns": ", ".join(SORT_COLUMNS)}
            )
        return sort

    def grouping(self) -> str:
        return self.cleaned_data.get("group_by") or "sector"


class CompareForm(forms.Form):
    """Two waves by public id: `from` (before) and `to` (after)."""

    from_wave = forms.ModelChoiceField(
        label=gettext_lazy("Before (from)"), queryset=Wave.objects.none(), to_field_name="public_id"
    )
    to_wave = forms.ModelChoiceField(
        label=gettext_lazy("After (to)"), queryset=Wave.objects.none(), to_field_name="public_id"
    )

    HTML_NAMES = {"from_wave": "from", "to_wave": "to"}  # "from" cannot be a Python attribute

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name in ("from_wave", "to_wave"):
            self.fields[name].queryset = Wave.objects.visible_to(user)
            self.fields[name].error_messages["invalid_choice"] = _(
                "There is no such wave. Choose one from the list."
            )

    def add_prefix(self, field_name: str) -> str:
        return self.HTML_NAMES.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        before, after = cleaned.get("from_wave"), cleaned.get("to_wave")
        if before and after and before.pk == after.pk:
            self.add_error("to_wave", _("Choose two different waves to compare."))
        return cleaned

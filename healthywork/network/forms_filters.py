"""The organization and tie filters the map and the metrics page share (GET forms)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.network.graph import NetworkFilter
from healthywork.network.models import Provenance, TieKind, Wave
from healthywork.partners.models import Family, Level, Sector


def _checkboxes(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class NetworkFilterFields(forms.Form):
    kind = _checkboxes(_("Kinds of tie"), TieKind.choices)
    family = _checkboxes(_("Sector families"), Family.choices)
    sector = _checkboxes(_("Sectors"), [])
    level = _checkboxes(_("Organization levels"), Level.choices)
    provenance = _checkboxes(_("Where ties come from"), Provenance.choices)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["sector"].choices = list(Sector.objects.values_list("slug", "name"))

    def network_filter(self, wave: Wave) -> NetworkFilter:
        data = self.cleaned_data
        return NetworkFilter(
            wave=wave,
            kinds=data["kind"],
            provenances=data["provenance"],
            sectors=data["sector"],
            families=data["family"],
            levels=data["level"],
        )

    def error_list(self) -> list[str]:
        """Each problem as '<field>: <message>', for the page and the JSON answer alike."""
        return [
            f"{self.fields[name].label or name}: {message}"
            for name, errors in self.errors.items()
            for message in errors
        ]

"""The map's filters: a GET form, so a filtered map is a link and works without JavaScript."""

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.network.forms_filters import NetworkFilterFields
from healthywork.network.graph import NetworkFilter
from healthywork.network.mapdata import SIZE_METRICS
from healthywork.network.models import CollaborationLevel, Wave


def size_choices() -> list[tuple[str, str]]:
    labels = {"degree": _("Degree"), "betweenness": _("Betweenness"), "eigenvector": _("Eigenvector")}
    return [(name, labels[name]) for name in SIZE_METRICS]


class MapFilterForm(NetworkFilterFields):
    field_order = ["wave", "size", "kind", "family", "sector", "level", "provenance", "min_level", "planned"]

    wave = forms.ModelChoiceField(
        label=_("Wave"),
        queryset=Wave.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=None,
    )
    size = forms.ChoiceField(label=_("Size of organizations by"), choices=size_choices, required=False)
    min_level = forms.TypedChoiceField(
        label=_("Lowest level of collaboration"),
        choices=[("", _("Any, including unknown"))]
        + [(value, f"{value} · {label}") for value, label in CollaborationLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Ties without a level are left out when a lowest level is chosen."),
    )
    planned = forms.BooleanField(label=_("Include planned introductions"), required=False)

    def __init__(self, data=None, *, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["wave"].queryset = Wave.objects.visible_to(user)

    def size_metric(self) -> str:
        chosen = self.cleaned_data.get("size") if self.is_valid() else ""
        return chosen or SIZE_METRICS[0]

    def size_label(self) -> str:
        return str(dict(size_choices())[self.size_metric()]).lower()

    def group_fields(self) -> list:
        """The checkbox groups, shown together under one disclosure."""
        return [self[name] for name in ("kind", "family", "sector", "level", "provenance")]

    def network_filter(self, wave: Wave) -> NetworkFilter:
        network_filter = super().network_filter(wave)
        network_filter.include_planned = self.cleaned_data["planned"]
        return network_filter

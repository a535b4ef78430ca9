from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.core.forms import BoundedFileField
from healthywork.network.models import CollaborationLevel, Provenance, Tie, TieKind, Wave
from healthywork.network.ties import ENTERABLE_PROVENANCES
from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Family, Sector


def _organization_input() -> forms.TextInput:
    attrs = {"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}
    return forms.TextInput(attrs=attrs)


class TieForm(forms.ModelForm):
    """A stored tie; its wave comes from the page. Derived provenances are not enterable."""

    source = OrganizationChoiceField(
        label=_("Source organization"),
        widget=_organization_input(),
        help_text=_("Type a name or an alias; suggestions appear as you type."),
    )
    target = OrganizationChoiceField(
        label=_("Target organization"),
        widget=_organization_input(),
        help_text=_("For an undirected tie the order does not matter."),
    )
    level = forms.TypedChoiceField(
        label=_("Level of collaboration"),
        choices=[
            ("", _("Not rated")),
            *[(value, f"{value} · {label}") for value, label in CollaborationLevel.choices],
        ],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Levels of Collaboration Scale, 0 to 5."),
    )
    provenance = forms.ChoiceField(
        label=_("Provenance"),
        choices=[(value, label) for value, label in Provenance.choices if value in ENTERABLE_PROVENANCES],
        initial=Provenance.MANUAL,
        help_text=_("Ties from surveys, initiatives and teams are derived from those records."),
    )

    class Meta:
        model = Tie
        fields = ["source", "target", "kind", "level", "is_directed", "provenance", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, wave: Wave, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.wave = wave
        if self.instance.pk and self.instance.provenance not in ENTERABLE_PROVENANCES:
            # A planned introduction keeps its provenance; it is shown, not chosen.
            self.fields["provenance"].choices = [
                (self.instance.provenance, self.instance.get_provenance_display())
            ]


class TieFilterForm(forms.Form):
    """The tie list's filters (GET); an empty field keeps everything."""

    q = forms.CharField(
        label=_("Organization"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *TieKind.choices])
    provenance = forms.ChoiceField(
        label=_("Provenance"), required=False, choices=[("", _("All")), *Provenance.choices]
    )
    level = forms.ChoiceField(
        label=_("Level of collaboration"),
        required=False,
        choices=[
            ("", _("All")),
            *[(str(value), f"{value} · {label}") for value, label in CollaborationLevel.choices],
        ],
    )
    sector = forms.ChoiceField(label=_("Sector (either end)"), required=False)
    family = forms.ChoiceField(
        label=_("Sector family (either end)"), required=False, choices=[("", _("All")), *Family.choices]
    )
    derived = forms.ChoiceField(
        label=_("Derived ties"),
        required=False,
        choices=[("1", _("Included")), ("0", _("Left out"))],
        help_text=_("Ties from initiatives, surveys and teams, which are not stored."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All")), *Sector.objects.values_list("slug", "name")]

    def params(self) -> dict[str, str]:
        """The valid filters, for `ties.tie_rows` (an invalid value is dropped)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class TieImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV, XLSX or JSON file"),
        help_text=_(
            "One tie a row (or a JSON list of objects, or a Kumu JSON file); the first row names the columns."
        ),
    )
    wave = forms.ModelChoiceField(
        label=_("Wave"),
        queryset=Wave.objects.all(),
        required=False,
        empty_label=_("Named on each row"),
        help_text=_("The wave of rows without a wave column or value, and of every Kumu connection."),
    )

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from healthywork.core.forms import BoundedFileField
from healthywork.partners.models import (
    Affiliation,
    Family,
    Level,
    Organization,
    Person,
    Population,
    Sector,
    split_list,
)


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    family = forms.ChoiceField(
        label=_("Sector family"), required=False, choices=[("", _("All families"))] + Family.choices
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels"))] + Level.choices
    )
    state = forms.CharField(label=_("State"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + list(
            Sector.objects.values_list("slug", "name")
        )

    def filter(self, queryset):
        from healthywork.core.search import text_search

        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["sector"]:
            queryset = queryset.filter(sector__slug=data["sector"])
        if data["family"]:
            queryset = queryset.filter(sector__family=data["family"])
        if data["level"]:
            queryset = queryset.filter(level=data["level"])
        if data["state"]:
            queryset = queryset.filter(state__iexact=data["state"].strip())
        is_filtered = any(data[name] for name in ("sector", "family", "level", "state"))
        return text_search(queryset, data["q"], is_filtered=is_filtered)


class PersonFilterForm(OrganizationFilterForm):
    """People by name or email, and by the organizations they are (or were) affiliated with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("Name or email")

    def filter(self, queryset):
        from healthywork.core.search import text_search

        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        organization_filters = {
            "affiliations__organization__sector__slug": data["sector"],
            "affiliations__organization__sector__family": data["family"],
            "affiliations__organization__level": data["level"],
            "affiliations__organization__state__iexact": data["state"].strip(),
        }
        chosen = {key: value for key, value in organization_filters.items() if value}
        if chosen:
            queryset = queryset.filter(pk__in=queryset.model.objects.filter(**chosen).values("pk"))
        return text_search(queryset, data["q"])


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    allow_duplicate = forms.BooleanField(
        label=_("Yes, this is a different organization with the same name"), required=False
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "aliases",
            "sector",
            "subsector",
            "level",
            "city",
            "county",
            "state",
            "website",
            "description",
            "populations",
            "languages",
        ]
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "populations": forms.CheckboxSelectMultiple,
        }

    def clean_aliases(self) -> str:
        return "\n".join(split_list(self.cleaned_data["aliases"]))

    def clean_languages(self) -> str:
        return "; ".join(split_list(self.cleaned_data["languages"]))

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and not cleaned.get("allow_duplicate"):
            others = Organization.objects.filter(merged_into__isnull=True).matching_name(name)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            other = others.first()
            if other is not None:
                self.add_error(
                    "name",
                    format_html(
                        _(
                            'An organization with this name or alias already exists: <a href="{}">{}</a>. '
                            "Edit that one, merge the two, or tick the box below if they are different."
                        ),
                        other.get_absolute_url(),
                        other.name,
                    ),
                )
        return cleaned


class MergeForm(forms.Form):
    other = forms.CharField(
        label=_("The duplicate organization (name or alias)"),
        widget=forms.TextInput(attrs={"list": "organization-suggestions", "autocomplete": "off"}),
    )

    def __init__(self, *args, survivor: Organization, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.survivor = survivor
        self.user = user

    def clean_other(self) -> Organization:
        value = self.cleaned_data["other"].strip()
        candidates = Organization.objects.visible_to(self.user).exclude(pk=self.survivor.pk)
        match = candidates.filter(public_id=value).first() if _looks_like_uuid(value) else None
        match = match or candidates.matching_name(value).first()
        if match is None:
            raise forms.ValidationError(
                _("No other organization is called “%(name)s”."), params={"name": value}
            )
        return match


def _looks_like_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class ImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV or XLSX file"),
        help_text=_("One organization a row; the first row names the columns."),
    )


class OrganizationChoiceField(forms.CharField):
    """An organization typed by name or alias (with suggestions as you type)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"list": "organization-suggestions", "autocomplete": "off"}),
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return value.name
        if isinstance(value, int):
            organization = Organization.objects.filter(pk=value).first()
            return organization.name if organization else value
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        matches = list(Organization.objects.filter(merged_into__isnull=True).matching_name(value)[:2])
        if not matches:
            raise forms.ValidationError(_("No organization is called “%(name)s”."), params={"name": value})
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several organizations are called “%(name)s”; merge the duplicates first."),
                params={"name": value},
            )
        return matches[0]


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "email",
            "phone",
            "preferred_language",
            "may_be_contacted",
            "may_be_named",
            "consent_recorded_on",
            "notes",
        ]
        widgets = {
            "consent_recorded_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class AffiliationForm(forms.ModelForm):
    organization = OrganizationChoiceField(label=_("Organization"))

    class Meta:
        model = Affiliation
        fields = ["organization", "title", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "slug", "family", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PopulationForm(forms.ModelForm):
    class Meta:
        model = Population
        fields = ["name", "slug", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

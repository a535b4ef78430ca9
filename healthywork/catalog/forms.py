from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from healthywork.catalog import facets
from healthywork.catalog.models import (
    ActionType,
    Condition,
    EvidenceRating,
    Initiative,
    InitiativePartner,
    PSEClass,
    Status,
    Tag,
    TWHLevel,
)
from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Level

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class CatalogSearchForm(forms.Form):
    """The text query and the sort of the catalog page; the facets are checkboxes beside it."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Title, summary, place and organization names."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _ordering) in facets.SORTS.items()],
    )


def split_tags(text: str) -> list[str]:
    """Tag names typed separated by commas, each once (whatever its case), in the typed order."""
    names: dict[str, str] = {}
    for name in text.split(","):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _organization_input() -> forms.TextInput:
    attrs = {"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}
    return forms.TextInput(attrs=attrs)


class InitiativeForm(forms.ModelForm):
    lead_organization = OrganizationChoiceField(
        widget=_organization_input(),
        label=_("Lead organization"),
        help_text=_("Type a name or an alias; suggestions appear as you type."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas; a new tag is created."),
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "lead_organization",
            "action_type",
            "pse_class",
            "twh_level",
            "level",
            "geography",
            "status",
            "start_date",
            "end_date",
            "populations",
            "conditions",
            "evidence_rating",
            "links",
            "tags",
            "source",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "populations": forms.CheckboxSelectMultiple,
            "conditions": forms.CheckboxSelectMultiple,
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())

    def clean_tags(self) -> list[str]:
        names = split_tags(self.cleaned_data["tags"])
        too_long = [name for name in names if len(name) > TAG_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _("A tag has at most %(limit)s characters: %(name)s"),
                params={"limit": TAG_MAX_LENGTH, "name": too_long[0]},
            )
        return names

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address (http:// or https://)."), params={"link": line}
                ) from None
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class PartnerForm(forms.Form):
    organization = OrganizationChoiceField(
        label=_("Organization"), required=False, widget=_organization_input()
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=InitiativePartner.Role.choices, initial=InitiativePartner.Role.PARTNER
    )


PartnerFormSet = forms.formset_factory(PartnerForm, extra=3, can_delete=True)


def partner_formset(data: QueryDict | None, initiative: Initiative | None = None):
    """The partners formset, filled from the initiative's partners when not bound."""
    initial = []
    if initiative is not None and initiative.pk:
        initial = [
            {"organization": partner.organization, "role": partner.role}
            for partner in initiative.partners.select_related("organization")
        ]
    return PartnerFormSet(data, initial=initial, prefix="partners")


def partners_from(formset) -> list[tuple[Any, str]]:
    """(organization, role) of each filled row that is not marked for deletion."""
    return [
        (form.cleaned_data["organization"], form.cleaned_data["role"])
        for form in formset.forms
        if form.cleaned_data.get("organization") and not form.cleaned_data.get("DELETE")
    ]


# The classes a bulk change may set, and whether "none" is a valid value for them.
BULK_CLASSES: list[tuple[str, Any, Any, bool]] = [
    ("action_type", _("Action type"), None, False),
    ("pse_class", _("PSE class"), PSEClass, False),
    ("twh_level", _("Total Worker Health level"), TWHLevel, True),
    ("level", _("Level"), Level, False),
    ("status", _("Status"), Status, False),
    ("evidence_rating", _("Evidence rating"), EvidenceRating, True),
]


class BulkChangeForm(forms.Form):
    """One class set to one value on the ticked initiatives, or on every one the filters keep.

    The class and the value are one choice ("status:completed"), grouped by class, so the form
    needs no script to offer the values of the chosen class."""

    selected = forms.ModelMultipleChoiceField(
        label=_("Initiatives"),
        queryset=Initiative.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    is_all_matching = forms.BooleanField(
        label=_("Change every initiative that matches the filters, on every page"), required=False
    )
    change = forms.ChoiceField(label=_("Set"))
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["selected"].queryset = Initiative.objects.visible_to(user)
        self.fields["change"].choices = [("", _("Choose a class and a value"))] + [
            (label, _bulk_values(field, enum, allows_none))
            for field, label, enum, allows_none in BULK_CLASSES
        ]

    def clean_change(self) -> tuple[str, Any]:
        field, _colon, value = self.cleaned_data["change"].partition(":")
        if field == "action_type":
            return field, ActionType.objects.get(slug=value)
        return field, value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("is_all_matching") and not cleaned.get("selected"):
            self.add_error("selected", _("Tick at least one initiative, or choose every matching one."))
        return cleaned

    def filter_params(self) -> QueryDict:
        """The catalog's query string the form came from, parsed (and so safe to redirect to)."""
        return QueryDict(self.cleaned_data.get("filters") or self.data.get("filters", ""))

    def initiatives(self) -> QuerySet:
        if self.cleaned_data["is_all_matching"]:
            return facets.apply_filters(Initiative.objects.visible_to(self.user), self.filter_params())
        return self.cleaned_data["selected"]


def _bulk_values(field: str, enum: Any, allows_none: bool) -> list[tuple[str, str]]:
    if enum is None:
        values = [(f"{field}:{slug}", name) for slug, name in ActionType.objects.values_list("slug", "name")]
    else:
        values = [(f"{field}:{value}", label) for value, label in enum.choices]
    if allows_none:
        values.append((f"{field}:", _("(none)")))
    return values


class TermForm(forms.ModelForm):
    """An action type or a healthy-work condition: its name, short name, description, position."""

    class Meta:
        model = ActionType
        fields = ["name", "slug", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ActionTypeForm(TermForm):
    class Meta(TermForm.Meta):
        model = ActionType


class ConditionForm(TermForm):
    class Meta(TermForm.Meta):
        model = Condition

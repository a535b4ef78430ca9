"""Forms of the analysis pages: the filters in their URLs and the quote-to-initiative forms."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import ActionType, Initiative
from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Family, Level, Sector
from healthywork.scan.models import Code, Coding, Project
from healthywork.scan.retrieval import SegmentFilter

BLANK = [("", _("Any"))]


class CodeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return obj.name


class CoderField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name()


class OrganizationFiltersMixin(forms.Form):
    """Sector family, level and coder filters shared by the retrieval page and the matrix."""

    family = forms.ChoiceField(label=_("Sector family"), choices=BLANK + list(Family.choices), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=BLANK + list(Level.choices), required=False)
    coder = CoderField(
        label=_("Coder"),
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        required=False,
        empty_label=_("Any"),
    )
    consensus = forms.BooleanField(label=_("Consensus codings only"), required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        # Everyone who has coded in the project: one indexed lookup per user, not a scan of codings.
        coded = Coding.objects.filter(coder=OuterRef("pk"), document__project=project)
        self.fields["coder"].queryset = get_user_model().objects.filter(Exists(coded)).order_by("username")

    def organization_filter(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "family": data.get("family") or "",
            "level": data.get("level") or "",
            "coder": data.get("coder"),
            "is_consensus_only": bool(data.get("consensus")),
        }


class SegmentFilterForm(OrganizationFiltersMixin):
    """The retrieval page's filters; every field lives in the URL."""

    code = CodeField(label=_("Code"), queryset=Code.objects.none(), to_field_name="public_id", required=False)
    children = forms.BooleanField(label=_("Include sub-codes"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    q = forms.CharField(
        label=_("Words in the quote"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    overlapping = CodeField(
        label=_("Overlapping a segment of"),
        queryset=Code.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("Any code"),
    )
    same_coder = forms.BooleanField(label=_("Overlap by the same coder only"), required=False)

    field_order = ["code", "children", "q", "sector", "family", "level", "coder", "consensus"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        codes = Code.objects.filter(project=project).order_by("position", "name")
        self.fields["code"].queryset = codes
        self.fields["code"].empty_label = _("Every code")
        self.fields["overlapping"].queryset = codes

    def has_selection(self) -> bool:
        """Whether anything narrows the list (an unfiltered project can hold 200,000 segments)."""
        return any(
            self.cleaned_data.get(name) for name in self.fields if name not in ("children", "same_coder")
        )

    def to_filter(self) -> SegmentFilter:
        data = self.cleaned_data
        return SegmentFilter(
            code=data.get("code"),
            include_children=bool(data.get("children")),
            sector=data.get("sector"),
            text=(data.get("q") or "").strip(),
            overlapping_code=data.get("overlapping"),
            is_same_coder=bool(data.get("same_coder")),
            **self.organization_filter(),
        )


class MatrixForm(OrganizationFiltersMixin):
    by = forms.ChoiceField(
        label=_("Columns"),
        choices=[("sector", _("Sectors")), ("family", _("Sector families"))],
        required=False,
    )
    measure = forms.ChoiceField(
        label=_("Count"),
        choices=[("organizations", _("Organizations")), ("segments", _("Segments"))],
        required=False,
    )
    codes = forms.ChoiceField(
        label=_("Rows"),
        choices=[("top", _("Top-level codes (with their sub-codes)")), ("all", _("Every code"))],
        required=False,
    )

    field_order = ["by", "measure", "codes", "family", "level", "coder", "consensus"]

    def to_filter(self) -> SegmentFilter:
        return SegmentFilter(**self.organization_filter())


class CooccurrenceForm(forms.Form):
    coders = forms.ChoiceField(
        label=_("Overlaps counted"),
        choices=[("same", _("Within one coder's coding")), ("any", _("Between any coders"))],
        required=False,
    )


class QuoteInitiativeForm(forms.ModelForm):
    """A new initiative from a quote: the catalog's required fields, prefilled from the quote."""

    lead_organization = OrganizationChoiceField(label=_("Lead organization"))

    class Meta:
        model = Initiative
        fields = ["title", "summary", "lead_organization", "action_type", "pse_class", "level", "status"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_type"].queryset = ActionType.objects.all()
        self.fields["title"].help_text = _("Name the initiative the quote speaks of.")


class LinkForm(forms.Form):
    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), to_field_name="public_id"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = Initiative.objects.visible_to(user)
        self.fields["initiative"].error_messages["invalid_choice"] = _(
            "That initiative does not exist (any more); search again."
        )

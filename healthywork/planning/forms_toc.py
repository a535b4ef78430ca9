"""Forms of the theory of change. Choices come from the theory's plain data (`toc.TheoryData`),
so a page with every form costs no query per form; each form carries the version of the theory
it was read at (optimistic concurrency) and gives `model_values()` for the service."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.collaborative.models import Team
from healthywork.partners.models import Organization
from healthywork.planning import toc

NONE_CHOICE = ("", "—")


class FastSelect(forms.Select):
    """A select that writes its options directly. Django renders each option through a template,
    which takes seconds for the thousands of options the forms of a 300-outcome theory hold."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        parts = [f"<select{flatatt(final)}>"]
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(key)}">')
                parts.extend(_option(inner_key, inner_label, chosen) for inner_key, inner_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(key, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped)


def _option(key: Any, label: Any, chosen: set[str]) -> str:
    value = "" if key is None else str(key)
    selected = " selected" if value in chosen else ""
    return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, theory_data: toc.TheoryData, **kwargs: Any) -> None:
        self.theory_data = theory_data
        self.options: dict[str, Any] = {"theory_data": theory_data, **kwargs}
        super().__init__(*args, **kwargs)

    def rebound(self, version: int) -> "VersionedForm":
        """The same submission at the version now stored, so that saving again goes through."""
        post = self.data.copy()
        post[self.add_prefix("version")] = str(version)
        form = type(self)(post, **self.options)
        form.is_valid()
        return form

    def outcome_choices(self) -> list[tuple[str, str]]:
        return [(o.public_id, o.title) for o in self.theory_data.outcomes]

    def link_choices(self) -> list[tuple[str, str]]:
        return [(k.public_id, self.theory_data.link_title(k.id)) for k in self.theory_data.links]

    def outcome_pk(self, public_id: str) -> int | None:
        outcome = self.theory_data.outcome_by_public_id.get(public_id) if public_id else None
        return outcome.id if outcome else None

    def link_pk(self, public_id: str) -> int | None:
        link = self.theory_data.link_by_public_id.get(public_id) if public_id else None
        return link.id if link else None

    def display_values(self, values: dict[str, Any] | None = None) -> list[tuple[str, str]]:
        """(label, readable value) of each visible field, for the two sides of a conflict."""
        values = self.data if values is None else values
        shown = []
        for name, form_field in self.fields.items():
            if isinstance(form_field.widget, forms.HiddenInput):
                continue
            value = values.get(name, "")
            if isinstance(form_field, forms.BooleanField):
                text = _("yes") if value in (True, "on", "true", "True", "1") else _("no")
            elif isinstance(form_field, forms.ChoiceField):
                text = dict((str(k), str(v)) for k, v in _flat(form_field.choices)).get(str(value or ""), "—")
            else:
                text = str(value or "") or "—"
            shown.append((str(form_field.label), text))
        return shown


def _flat(choices: Any) -> list[tuple[Any, Any]]:
    flat = []
    for key, value in choices:
        if isinstance(value, (list, tuple)):
            flat.extend(value)
        else:
            flat.append((key, value))
    return flat


def organization_choices(team: Team) -> list[Any]:
    """The team's own organizations first, then the rest of the registry (two queries)."""
    own = dict(team.memberships.values_list("organization_id", "organization__name"))
    others = (
        Organization.objects.filter(merged_into__isnull=True).exclude(pk__in=own).values_list("id", "name")
    )
    return [
        NONE_CHOICE,
        (_("This team's organizations"), sorted(own.items(), key=lambda item: item[1].casefold())),
        (_("Other organizations"), list(others)),
    ]


class NarrativeForm(VersionedForm):
    goal = forms.CharField(label=gettext_lazy("Long-term goal"), max_length=300)
    goal_description = forms.CharField(
        label=gettext_lazy("What the goal means"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    narrative = forms.CharField(
        label=gettext_lazy("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The story of how change happens, in plain words (paragraphs apart)."),
    )

    def model_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("goal", "goal_description", "narrative")}


class OutcomeForm(VersionedForm):
    title = forms.CharField(label=gettext_lazy("Outcome"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_below_ceiling = forms.BooleanField(
        label=gettext_lazy("Below the ceiling of accountability"),
        required=False,
        initial=True,
        help_text=gettext_lazy("The team takes responsibility for reaching this outcome."),
    )

    def model_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("title", "description", "is_below_ceiling")}


class LinkForm(VersionedForm):
    precondition = forms.ChoiceField(label=gettext_lazy("Precondition"), widget=FastSelect)
    outcome = forms.ChoiceField(label=gettext_lazy("Leads to"), widget=FastSelect)
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why the precondition is needed for the outcome."),
    )

    def __init__(self, *args: Any, link_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.link_id = self.options["link_id"] = link_id
        choices = [NONE_CHOICE, *self.outcome_choices()]
        self.fields["precondition"].choices = choices
        self.fields["outcome"].choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        source = self.outcome_pk(cleaned.get("precondition", ""))
        target = self.outcome_pk(cleaned.get("outcome", ""))
        if source is None or target is None:
            return cleaned
        data = self.theory_data
        if source == target:
            self.add_error("outcome", _("An outcome cannot lead to itself: choose another one."))
            return cleaned
        others = [link for link in data.links if link.id != self.link_id]
        if any(link.precondition_id == source and link.outcome_id == target for link in others):
            self.add_error("outcome", _("This link is in the theory already."))
            return cleaned
        cycle = toc.find_cycle([(link.precondition_id, link.outcome_id) for link in others], (source, target))
        if cycle:
            names = toc.ARROW.join(data.outcome_title(node) for node in cycle)
            self.add_error("outcome", _("This link would close a cycle: %(cycle)s") % {"cycle": names})
        return cleaned

    def model_values(self) -> dict[str, Any]:
        return {
            "precondition_id": self.outcome_pk(self.cleaned_data["precondition"]),
            "outcome_id": self.outcome_pk(self.cleaned_data["outcome"]),
            "rationale": self.cleaned_data["rationale"],
        }


class _PlacedForm(VersionedForm):
    """A part that sits on an outcome or on a link (interventions, assumptions)."""

    outcome = forms.ChoiceField(label=gettext_lazy("On the outcome"), required=False, widget=FastSelect)
    link = forms.ChoiceField(label=gettext_lazy("Or on the link"), required=False, widget=FastSelect)
    needs_place = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [NONE_CHOICE, *self.outcome_choices()]
        self.fields["link"].choices = [NONE_CHOICE, *self.link_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_outcome, has_link = bool(cleaned.get("outcome")), bool(cleaned.get("link"))
        if has_outcome and has_link:
            self.add_error("link", _("Choose an outcome or a link, not both."))
        elif self.needs_place and not (has_outcome or has_link):
            self.add_error("outcome", _("Choose the outcome or the link this works on."))
        return cleaned

    def place_values(self) -> dict[str, Any]:
        return {
            "outcome_id": self.outcome_pk(self.cleaned_data.get("outcome", "")),
            "link_id": self.link_pk(self.cleaned_data.get("link", "")),
        }


class InterventionForm(_PlacedForm):
    title = forms.CharField(label=gettext_lazy("Intervention"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_organization = forms.TypedChoiceField(
        label=gettext_lazy("Responsible organization"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
    )
    field_order = ["title", "description", "outcome", "link", "responsible_organization"]

    def __init__(self, *args: Any, organizations: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options["organizations"] = organizations
        self.fields["responsible_organization"].choices = organizations or [NONE_CHOICE]

    def model_values(self) -> dict[str, Any]:
        return {
            "title": self.cleaned_data["title"],
            "description": self.cleaned_data["description"],
            "responsible_organization_id": self.cleaned_data["responsible_organization"],
            **self.place_values(),
        }


class AssumptionForm(_PlacedForm):
    text = forms.CharField(label=gettext_lazy("Assumption"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_place = False
    field_order = ["text", "outcome", "link"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].help_text = _("Leave both empty for an assumption about the whole theory.")

    def model_values(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"], **self.place_values()}


class IndicatorForm(VersionedForm):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), widget=FastSelect)
    what = forms.CharField(label=gettext_lazy("What is measured"), max_length=300)
    population = forms.CharField(label=gettext_lazy("Population"), max_length=300, required=False)
    target = forms.CharField(label=gettext_lazy("Target"), max_length=100, required=False)
    threshold = forms.CharField(label=gettext_lazy("Threshold"), max_length=100, required=False)
    by_when = forms.DateField(
        label=gettext_lazy("By when"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    data_source = forms.CharField(label=gettext_lazy("Data source"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [NONE_CHOICE, *self.outcome_choices()]

    def model_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields if name not in ("version", "outcome")}
        return values | {"outcome_id": self.outcome_pk(self.cleaned_data["outcome"])}


FORMS: dict[str, type[VersionedForm]] = {
    "outcome": OutcomeForm,
    "link": LinkForm,
    "intervention": InterventionForm,
    "assumption": AssumptionForm,
    "indicator": IndicatorForm,
}


def initial_for(kind: str, item: Any, data: toc.TheoryData) -> dict[str, Any]:
    """The form values of a stored item (to edit it, or to show it beside a conflicting edit)."""

    def outcome_public(outcome_id: int | None) -> str:
        outcome = data.outcome_by_id.get(outcome_id) if outcome_id else None
        return outcome.public_id if outcome else ""

    def link_public(link_id: int | None) -> str:
        link = data.link_by_id.get(link_id) if link_id else None
        return link.public_id if link else ""

    if kind == "outcome":
        return {
            "title": item.title,
            "description": item.description,
            "is_below_ceiling": item.is_below_ceiling,
        }
    if kind == "link":
        return {
            "precondition": outcome_public(item.precondition_id),
            "outcome": outcome_public(item.outcome_id),
            "rationale": item.rationale,
        }
    if kind == "intervention":
        return {
            "title": item.title,
            "description": item.description,
            "outcome": outcome_public(item.outcome_id),
            "link": link_public(item.link_id),
            "responsible_organization": item.responsible_organization_id or "",
        }
    if kind == "assumption":
        return {
            "text": item.text,
            "outcome": outcome_public(item.outcome_id),
            "link": link_public(item.link_id),
        }
    return {
        "outcome": outcome_public(item.outcome_id),
        **{
            name: getattr(item, name) for name in ("what", "population", "target", "threshold", "data_source")
        },
        "by_when": item.by_when.isoformat() if item.by_when else "",
    }

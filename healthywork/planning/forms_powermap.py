"""Forms of the power map: the issue, an actor, an actor's place on the grid, a relationship. Each
write form carries the map's version as the page read it (a hidden `version`), for the
optimistic-concurrency check."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Organization
from healthywork.planning.models import Actor, ActorLink, ActorLinkKind, PowerMap
from healthywork.planning.powermap import FIELD_LABELS, LINK_KIND_LABEL, LinkItem


class SignedDecimalField(forms.DecimalField):
    """A decimal that also takes the typographic minus (−) people paste from documents."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u2212", "-").replace(",", ".")
        return super().to_python(value)


def power_field() -> forms.DecimalField:
    return SignedDecimalField(
        label=FIELD_LABELS["power"],
        min_value=Decimal(0),
        max_value=Decimal(10),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "10"}),
        error_messages={
            "min_value": _("Power must be between 0 and 10."),
            "max_value": _("Power must be between 0 and 10."),
            "required": _("Give the power, a number from 0 to 10."),
            "invalid": _("Power must be a number from 0 to 10."),
            "max_decimal_places": _("Power takes at most one decimal (for example 7.5)."),
        },
    )


def stance_field() -> forms.DecimalField:
    return SignedDecimalField(
        label=FIELD_LABELS["stance"],
        min_value=Decimal(-5),
        max_value=Decimal(5),
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "-5", "max": "5"}),
        error_messages={
            "min_value": _("Stance must be between −5 and +5."),
            "max_value": _("Stance must be between −5 and +5."),
            "required": _("Give the stance, a number from −5 to +5."),
            "invalid": _("Stance must be a number from −5 to +5."),
            "max_decimal_places": _("Stance takes at most one decimal (for example −2.5)."),
        },
    )


class VersionedMixin:
    """The hidden version, the person's side of a conflict, and keeping the stored version."""

    def display_values(self) -> dict[str, str]:
        shown: dict[str, str] = {}
        data = getattr(self, "cleaned_data", {})
        for bound in self.visible_fields():
            value = data.get(bound.name, bound.value())
            choices = {str(key): label for key, label in getattr(bound.field, "choices", [])}
            if isinstance(value, (Organization, Actor)):
                value = str(value)
            elif isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, Decimal):
                value = f"{value:.1f}"
            elif choices and value not in (None, ""):
                value = choices.get(str(value), value)
            shown[str(bound.label)] = "" if value is None else str(value)
        return shown

    def keep_version(self, version: int) -> None:
        """After a conflict, the re-shown form saves at the stored version if sent again."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


class IssueForm(VersionedMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PowerMap
        fields = ["issue"]
        widgets = {"issue": forms.Textarea(attrs={"rows": 3})}
        labels = {"issue": FIELD_LABELS["issue"]}
        help_texts = {"issue": _("For example: the county board adopts a fair-workweek ordinance.")}


class ActorForm(VersionedMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    power = power_field()
    stance = stance_field()
    organization = OrganizationChoiceField(
        label=FIELD_LABELS["organization"],
        required=False,
        help_text=_("Type a name or an alias; suggestions appear as you type."),
        widget=forms.TextInput(
            attrs={"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}
        ),
    )

    class Meta:
        model = Actor
        fields = ["name", "kind", "organization", "power", "stance", "is_target", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        labels = {name: FIELD_LABELS[name] for name in ("name", "kind", "is_target", "notes")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("name") or "").strip() and data.get("organization"):
            data["name"] = data["organization"].name
            self.errors.pop("name", None)
        return data


class PlaceForm(VersionedMixin, forms.Form):
    """An actor's place on the grid: what a drag sends, and what the list's two inputs send."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    power = power_field()
    stance = stance_field()


class LinkForm(VersionedMixin, forms.Form):
    """A relationship between two actors of the map. The actor choices come from the page's data
    (no query of their own); `links` are the map's relationships, for the duplicate check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source = forms.ChoiceField(label=FIELD_LABELS["source"])
    kind = forms.ChoiceField(label=LINK_KIND_LABEL, choices=ActorLinkKind.choices)
    target = forms.ChoiceField(label=FIELD_LABELS["target"])
    strength = forms.TypedChoiceField(
        label=FIELD_LABELS["strength"],
        coerce=int,
        initial=2,
        choices=[(1, _("1 · weak")), (2, _("2 · moderate")), (3, _("3 · strong"))],
    )

    def __init__(self, *args, actors: list, links: list[LinkItem], link_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actors = {actor.public_id: actor for actor in actors}
        self.links = links
        self.link_id = link_id
        choices = [("", _("— choose an actor —"))] + [(actor.public_id, actor.name) for actor in actors]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        source, target = self.actors.get(data.get("source")), self.actors.get(data.get("target"))
        if source is None or target is None:
            return data
        if source.id == target.id:
            self.add_error(
                "target", _("An actor cannot have a relationship with itself: choose another actor.")
            )
            return data
        kind = data.get("kind")
        for link in self.links:
            if (link.source_id, link.target_id, link.kind) == (
                source.id,
                target.id,
                kind,
            ) and link.id != self.link_id:
                self.add_error(
                    "target",
                    _("This relationship already exists: %(source)s — %(kind)s — %(target)s.")
                    % {
                        "source": source.name,
                        "kind": dict(ActorLinkKind.choices)[kind],
                        "target": target.name,
                    },
                )
        return data

    def link_values(self) -> dict[str, Any]:
        """The cleaned values as model values (actors by primary key, loaded once)."""
        data = self.cleaned_data
        ids = {self.actors[data["source"]].id, self.actors[data["target"]].id}
        by_id = Actor.objects.in_bulk(ids)
        return {
            "source": by_id[self.actors[data["source"]].id],
            "target": by_id[self.actors[data["target"]].id],
            "kind": data["kind"],
            "strength": data["strength"],
        }

    @staticmethod
    def initial_for(link: ActorLink, actors_by_id: dict[int, Any]) -> dict[str, Any]:
        return {
            "source": actors_by_id[link.source_id].public_id,
            "target": actors_by_id[link.target_id].public_id,
            "kind": link.kind,
            "strength": link.strength,
        }


class ConfirmForm(forms.Form):
    """A delete's confirmation: only the version the page was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

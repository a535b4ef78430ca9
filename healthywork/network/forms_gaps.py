"""Forms of the gap finder: which families to pair, and a planned introduction."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.network.gaps import ANY_FAMILY, DEFAULT_FAMILIES
from healthywork.network.models import Wave
from healthywork.partners.models import Family, Organization


def _family_choices() -> list[tuple[str, Any]]:
    return [*Family.choices, (ANY_FAMILY, gettext_lazy("Any other family"))]


class GapsForm(forms.Form):
    first = forms.ChoiceField(label=gettext_lazy("Organizations of"), choices=_family_choices)
    second = forms.ChoiceField(label=gettext_lazy("paired with"), choices=_family_choices)

    def __init__(self, data=None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = data.copy()
            data.setdefault("first", DEFAULT_FAMILIES[0])
            data.setdefault("second", DEFAULT_FAMILIES[1])
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("first"), cleaned.get("second")
        if first and first == second and first != ANY_FAMILY:
            self.add_error(
                "second", _("Choose a family other than the first one: the finder pairs different sectors.")
            )
        return cleaned


class IntroductionPlanForm(forms.Form):
    """The wave and the two organizations by public id, and the reason for the introduction."""

    wave = forms.UUIDField(label=gettext_lazy("wave"))
    source = forms.UUIDField(label=gettext_lazy("first organization"))
    target = forms.UUIDField(label=gettext_lazy("second organization"))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=2000, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_wave(self) -> Wave:
        wave = Wave.objects.visible_to(self.user).filter(public_id=self.cleaned_data["wave"]).first()
        if wave is None:
            raise forms.ValidationError(_("There is no such wave."))
        return wave

    def _organization(self, name: str) -> Organization:
        public_id = self.cleaned_data[name]
        organization = Organization.objects.visible_to(self.user).filter(public_id=public_id).first()
        if organization is None:
            raise forms.ValidationError(
                _("No organization in the registry has the id %(public_id)s.") % {"public_id": public_id}
            )
        return organization

    def clean_source(self) -> Organization:
        return self._organization("source")

    def clean_target(self) -> Organization:
        return self._organization("target")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source and target and source.pk == target.pk:
            self.add_error("target", _("An organization cannot be introduced to itself."))
        return cleaned

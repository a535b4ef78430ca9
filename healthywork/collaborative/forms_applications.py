from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.applications import NewOrganization
from healthywork.collaborative.models import Application
from healthywork.partners.models import Organization, Sector

MAX_PARTNERS = 40


class ApplicationForm(forms.ModelForm):
    """The public application form. `website` is a trap for bots: people never see it."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Application
        fields = [
            "lead_organization_name",
            "partner_organizations",
            "contact_name",
            "contact_email",
            "contact_phone",
            "other_contacts",
            "proposed_focus",
            "why_now",
        ]
        widgets = {
            "partner_organizations": forms.Textarea(attrs={"rows": 5}),
            "other_contacts": forms.Textarea(attrs={"rows": 3}),
            "proposed_focus": forms.Textarea(attrs={"rows": 5}),
            "why_now": forms.Textarea(attrs={"rows": 5}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        help_texts = {
            "lead_organization_name": _("The organization that leads the team and receives the support."),
            "partner_organizations": _("One organization per line."),
            "other_contacts": _("Names, organizations and emails of other people on the team."),
            "proposed_focus": _("The issue of precarious work your team wants to act on."),
            "why_now": _("What makes this the right moment for your team."),
        }

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_partner_organizations(self) -> str:
        lines = [
            line.strip() for line in self.cleaned_data["partner_organizations"].splitlines() if line.strip()
        ]
        if not lines:
            raise forms.ValidationError(_("Name at least one partner organization, one per line."))
        if len(lines) > MAX_PARTNERS:
            raise forms.ValidationError(
                _("Name at most %(count)s partner organizations.") % {"count": MAX_PARTNERS}
            )
        return "\n".join(lines)


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["score", "review_notes"]
        widgets = {
            "score": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "review_notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"score": _("From 0 to 100.")}


NEW = "new"
SKIP = "skip"


class AcceptForm(forms.Form):
    """For the lead and each partner name: pick a registry match, add a new organization in a
    chosen sector, or (partners only) leave it off the team."""

    def __init__(self, *args, application: Application, matches: dict[str, list[Organization]], **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.entries: list[tuple[str, str, bool]] = []  # (prefix, typed name, is_lead)
        names = [(application.lead_organization_name, True)]
        names += [(name, False) for name in application.partner_names]
        for index, (name, is_lead) in enumerate(names):
            prefix = "lead" if is_lead else f"partner{index}"
            found = matches.get(name, [])
            choices = [(str(organization.public_id), _label(organization)) for organization in found]
            choices.append((NEW, _("Add a new organization to the registry")))
            if not is_lead:
                choices.append((SKIP, _("Leave it off the team")))
            exact = [
                o
                for o in found
                if o.name_key == name.strip().casefold() or f"\n{name.strip().casefold()}\n" in o.alias_keys
            ]
            self.fields[f"{prefix}_choice"] = forms.ChoiceField(
                label=name,
                choices=choices,
                widget=forms.RadioSelect,
                initial=str(exact[0].public_id) if exact else NEW,
            )
            self.fields[f"{prefix}_name"] = forms.CharField(
                label=_("Name of the new organization"), max_length=200, required=False, initial=name
            )
            self.fields[f"{prefix}_sector"] = forms.ModelChoiceField(
                label=_("Sector of the new organization"), queryset=Sector.objects.all(), required=False
            )
            self.entries.append((prefix, name, is_lead))
        self._matches = {str(o.public_id): o for found in matches.values() for o in found}

    def groups(self) -> list[tuple[str, bool, list]]:
        """(typed name, is lead, [choice, name, sector bound fields]) for the template."""
        return [
            (name, is_lead, [self[f"{prefix}_{part}"] for part in ("choice", "name", "sector")])
            for prefix, name, is_lead in self.entries
        ]

    def _choice(self, prefix: str):
        choice = self.cleaned_data.get(f"{prefix}_choice")
        if choice == SKIP or choice is None:
            return None
        if choice != NEW:
            return self._matches[choice]
        name = (self.cleaned_data.get(f"{prefix}_name") or "").strip()
        sector = self.cleaned_data.get(f"{prefix}_sector")
        if not name:
            self.add_error(f"{prefix}_name", _("Type the name of the new organization."))
        if sector is None:
            self.add_error(
                f"{prefix}_sector",
                _("Choose a sector for the new organization %(name)s.") % {"name": name or "—"},
            )
        return NewOrganization(name, sector) if name and sector else None

    def clean(self):
        cleaned = super().clean()
        chosen = [(prefix, is_lead, self._choice(prefix)) for prefix, _name, is_lead in self.entries]
        cleaned["lead"] = next(choice for _prefix, is_lead, choice in chosen if is_lead)
        cleaned["partners"] = [choice for _prefix, is_lead, choice in chosen if not is_lead and choice]
        return cleaned


def _label(organization: Organization) -> str:
    place = ", ".join(part for part in (organization.city, organization.state) if part)
    label = f"{organization.name} — {organization.sector}"
    return f"{label} ({place})" if place else label

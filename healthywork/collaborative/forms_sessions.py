from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative import sessions
from healthywork.collaborative.forms_cohorts import UserChoiceField, facilitator_candidates
from healthywork.collaborative.models import Deliverable, Session, Team
from healthywork.core.forms import FileOrLinkForm, upload_limit_mb

DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SessionForm(forms.ModelForm):
    facilitators = UserChoiceField(
        label=_("Facilitators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The video-call address, if the session meets online."),
    )

    class Meta:
        model = Session
        fields = ["number", "title", "starts_at", "ends_at", "place", "link", "objectives", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "ends_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "place": _("Where the session meets in person, if it does."),
            "agenda": _("One item per line."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.instance.cohort
        self.fields["facilitators"].queryset = facilitator_candidates(cohort)
        if self.instance.pk:
            self.initial["facilitators"] = list(self.instance.facilitators.values_list("pk", flat=True))
        else:
            # model_to_dict gave the new session's number as None: propose the next one.
            if self.initial.get("number") is None:
                self.initial["number"] = sessions.next_number(cohort)

    def clean_number(self) -> int:
        # The cohort is not a field of the form, so the model's unique check would skip it.
        number = self.cleaned_data["number"]
        clash = Session.objects.filter(cohort=self.instance.cohort, number=number).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("The cohort already has a session number %(number)s.") % {"number": number}
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The session ends before it starts."))
        return cleaned

    @property
    def date_warnings(self) -> list[str]:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return sessions.date_warnings(
                self.instance.cohort, self.instance.starts_at, self.instance.ends_at
            )
        data = self.cleaned_data
        return sessions.date_warnings(self.instance.cohort, data.get("starts_at"), data.get("ends_at"))


class MaterialForm(FileOrLinkForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Slides, handouts, worksheets: at most %(limit)s MB.") % {
            "limit": upload_limit_mb()
        }


class WalkInForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Someone in the registry"),
        queryset=None,
        required=False,
        help_text=_("People of the teams' organizations who are not on a team's list."),
    )
    name = forms.CharField(label=_("Or a new person: name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("If someone in the registry has this email, they are the one signed in."),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("No team (a guest)")
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = sessions.walk_in_candidates(session)
        self.fields["team"].queryset = Team.objects.filter(cohort=session.cohort_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("person") and (cleaned.get("name") or cleaned.get("email")):
            self.add_error("name", _("Choose someone in the registry or type a new person, not both."))
        elif not cleaned.get("person") and not cleaned.get("name", "").strip():
            self.add_error("name", _("Type the person's name, or choose someone in the registry."))
        return cleaned


class DeliverableForm(forms.ModelForm):
    """Everything about a deliverable: for the cohort's managers."""

    class Meta:
        model = Deliverable
        fields = ["title", "due_date", "status", "note"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class DeliverableStatusForm(forms.ModelForm):
    """What a team's editors change about their deliverable."""

    class Meta:
        model = Deliverable
        fields = ["status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

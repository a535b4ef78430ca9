from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthywork.accounts.roles import Role
from healthywork.collaborative.models import Cohort


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name()


def facilitator_candidates(cohort: Cohort | None = None):
    """Program staff and facilitators, plus whoever already facilitates the cohort."""
    users = get_user_model().objects.filter(is_active=True)
    chosen = Q(role__in=[Role.ADMINISTRATOR, Role.FACILITATOR])
    if cohort is not None and cohort.pk:
        chosen |= Q(facilitated_cohorts=cohort)
    return users.filter(chosen).distinct().order_by("first_name", "last_name", "username")


class CohortForm(forms.ModelForm):
    facilitators = UserChoiceField(
        label=_("Facilitators"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "description",
            "start_date",
            "end_date",
            "status",
            "applications_close",
            "shares_work",
            "facilitators",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "applications_close": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "applications_close": _("The last day the public application form takes answers."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_candidates(self.instance)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        closes = cleaned.get("applications_close")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        if closes and end and closes > end:
            self.add_error("applications_close", _("Applications cannot close after the cohort ends."))
        return cleaned


class ShareWorkForm(forms.Form):
    shares_work = forms.BooleanField(label=_("Teams see each other's work"), required=False)

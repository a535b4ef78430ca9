import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from healthywork.partners.forms import OrganizationChoiceField
from healthywork.partners.models import Person, Sector
from healthywork.scan.forms_projects import UserChoiceField
from healthywork.scan.models import Interview, InterviewGuide, InterviewStatus, Project, Question, Topic

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def project_people(project: Project) -> QuerySet:
    """Who may interview for the project: its members and the administrators."""
    from healthywork.accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(Q(scan_memberships__project=project) | Q(role=Role.ADMINISTRATOR))
        .filter(is_active=True)
        .distinct()
        .order_by("username")
    )


class GuideForm(forms.ModelForm):
    class Meta:
        model = InterviewGuide
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        version = self.instance.version if self.instance.pk else 1
        others = self.project.guides.filter(title=title, version=version).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Version %(version)s of a guide called “%(title)s” exists already."),
                params={"title": title, "version": version},
            )
        return title


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "probes"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "probes": forms.Textarea(attrs={"rows": 3})}


class InterviewForm(forms.ModelForm):
    organization = OrganizationChoiceField(
        label=_("Organization"),
        widget=forms.TextInput(
            attrs={"list": "organization-suggestions", "autocomplete": "off", "class": "organization-input"}
        ),
        help_text=_("Type a name or an alias of an organization of the registry."),
    )
    interviewer = UserChoiceField(label=_("Interviewer"), queryset=None, required=False)
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Interview
        fields = [
            "organization",
            "interviewees",
            "interviewee_note",
            "interviewer",
            "scheduled_at",
            "duration_minutes",
            "mode",
            "guide",
            "status",
            "consent_recorded",
            "consent_date",
            "notes",
        ]
        widgets = {
            "interviewees": forms.CheckboxSelectMultiple,
            "consent_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, project: Project, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["interviewer"].queryset = project_people(project)
        self.fields["guide"].queryset = project.guides.all()
        people = Person.objects.visible_to(user)
        organization = self.instance.organization if self.instance.organization_id else None
        if not self.is_bound and organization is not None:
            # The organization's people first; anyone already chosen stays offered.
            chosen = self.instance.interviewees.values("pk")
            people = people.filter(Q(affiliations__organization=organization) | Q(pk__in=chosen)).distinct()
            self.fields["interviewees"].help_text = _(
                "People of the registry affiliated with %(organization)s. Others go in “other interviewees”."
            ) % {"organization": organization.name}
        else:
            self.fields["interviewees"].widget = forms.SelectMultiple(attrs={"size": 8})
            self.fields["interviewees"].help_text = _(
                "People of the registry; after saving, the list narrows to the organization's people."
            )
        self.fields["interviewees"].queryset = people.order_by("name")

    def _post_clean(self) -> None:
        self.instance.project = self.project
        super()._post_clean()


class InterviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + InterviewStatus.choices
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    interviewer = forms.ChoiceField(label=_("Interviewer"), required=False)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2017-06"}),
        help_text=_("Year and month, like 2017-06."),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + list(
            Sector.objects.values_list("slug", "name")
        )
        self.fields["interviewer"].choices = [("", _("Anyone"))] + [
            (str(person.pk), person.display_name()) for person in project_people(project)
        ]

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give a month as year-month, like 2017-06."))
        return int(match.group(1)), int(match.group(2))

    def filter(self, interviews: QuerySet) -> QuerySet:
        if not self.is_valid():
            return interviews.none()
        data = self.cleaned_data
        if data["status"]:
            interviews = interviews.filter(status=data["status"])
        if data["sector"]:
            interviews = interviews.filter(organization__sector__slug=data["sector"])
        if data["interviewer"]:
            interviews = interviews.filter(interviewer_id=data["interviewer"])
        if data["month"]:
            year, month = data["month"]
            interviews = interviews.filter(scheduled_at__year=year, scheduled_at__month=month)
        return interviews

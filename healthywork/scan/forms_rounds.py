"""Forms of the coding rounds: open or change a round, and decide a unit in reconciliation."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from healthywork.scan.models import Document, Project, ProjectMember, Round, RoundUnit


class MemberChoiceField(forms.ModelMultipleChoiceField):
    """The project's members, each labelled with their role (the service refuses readers by name)."""

    def __init__(self, *args: Any, roles: dict[int, str] | None = None, **kwargs: Any) -> None:
        self.roles = roles or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, user) -> str:
        role = self.roles.get(user.pk)
        return f"{user.display_name()} ({role})" if role else user.display_name()


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Round._meta.get_field("name").max_length)
    instructions = forms.CharField(
        label=_("Instructions for the coders"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    unit = forms.ChoiceField(
        label=_("Unit of agreement"),
        choices=RoundUnit.choices,
        initial=RoundUnit.SENTENCE,
        help_text=_(
            "Agreement is counted per sentence or per paragraph: did each coder apply the code there?"
        ),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one document.")},
    )
    coders = MemberChoiceField(
        label=_("Coders"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Two or more members of the project with the role coder or lead researcher."),
        error_messages={"required": _("Choose at least two coders: agreement needs two or more.")},
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = ProjectMember.objects.filter(project=project).select_related("user")
        self.fields["documents"].queryset = Document.objects.filter(project=project).only(
            "pk", "title", "public_id", "project_id"
        )
        self.fields["coders"].queryset = (
            get_user_model().objects.filter(scan_memberships__project=project).order_by("username")
        )
        self.fields["coders"].roles = {member.user_id: member.get_role_display() for member in members}


class DecisionForm(forms.Form):
    """One reconciliation decision, posted from the disagreements list."""

    code = forms.UUIDField(widget=forms.HiddenInput)
    document = forms.UUIDField(widget=forms.HiddenInput)
    unit_start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    unit_end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("apply", _("Apply consensus")), ("reject", _("Reject"))])

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from healthywork.core.forms import BoundedFileField
from healthywork.scan.models import Project, ProjectRole, Pseudonym


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "description", "keep_originals"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.display_name()
        return name if name == obj.username else f"{name} ({obj.username})"


class MemberForm(forms.Form):
    user = UserChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=ProjectRole.choices, initial=ProjectRole.CODER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class PseudonymForm(forms.ModelForm):
    class Meta:
        model = Pseudonym
        fields = ["name", "pseudonym"]
        help_texts = {
            "name": _("A name as it is written in the transcripts, for example “Maria Lopez”."),
            "pseudonym": _("What replaces it, for example “Participant 3” or “[worker center]”."),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = self.project.pseudonyms.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("%(name)s already has a pseudonym."), params={"name": name})
        return name

    def clean_pseudonym(self) -> str:
        return " ".join(self.cleaned_data["pseudonym"].split())

    def save(self, commit: bool = True) -> Pseudonym:
        self.instance.project = self.project
        return super().save(commit)


class PseudonymImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV or XLSX file"),
        help_text=_("Two columns, named on the first row: name,pseudonym."),
    )

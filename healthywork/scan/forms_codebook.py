"""What a person types on the codebook pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from healthywork.core.forms import BoundedFileField
from healthywork.scan.codebook import descendant_ids, tree_order
from healthywork.scan.models import Code, Coding, colour_validator

TOP_LEVEL = ""


def code_choices(codes, paths: dict[int, str]) -> list[tuple[str, str]]:
    return [(str(code.public_id), paths[code.pk]) for code in tree_order(codes)]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field_name, messages in error.message_dict.items():
        form.add_error(field_name if field_name in form.fields else None, messages)


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ChoiceField(label=_("Parent code"), required=False)
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    when_to_use = forms.CharField(
        label=_("When to use"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    when_not_to_use = forms.CharField(
        label=_("When not to use"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    example = forms.CharField(label=_("Example"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    colour = forms.CharField(
        label=_("Colour"),
        max_length=7,
        initial="#1f77b4",
        validators=[colour_validator],
        help_text=_("# followed by six hexadecimal digits, like #1f77b4."),
        widget=forms.TextInput(attrs={"pattern": "#[0-9A-Fa-f]{6}", "size": 8, "autocomplete": "off"}),
    )

    def __init__(self, *args, project, paths: dict[int, str], with_parent: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if with_parent:
            self.fields["parent"].choices = [
                (TOP_LEVEL, _("(top level)")),
                *code_choices(project.codes.all(), paths),
            ]
        else:
            del self.fields["parent"]

    def clean_parent(self) -> Code | None:
        value = self.cleaned_data.get("parent")
        return self.project.codes.get(public_id=value) if value else None

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ">" in name:
            raise ValidationError(_("A name cannot contain “>”, which separates the levels of a path."))
        return name

    def clean_colour(self) -> str:
        return self.cleaned_data["colour"].lower()


class MoveForm(forms.Form):
    parent = forms.ChoiceField(label=_("New parent code"), required=False)
    position = forms.IntegerField(
        label=_("Position among its new siblings"),
        min_value=1,
        required=False,
        help_text=_("1 puts it first; leave empty to put it last."),
    )

    def __init__(self, *args, code: Code, paths: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.code = code
        excluded = descendant_ids(code) | {code.pk}
        targets = [other for other in code.project.codes.all() if other.pk not in excluded]
        self.fields["parent"].choices = [(TOP_LEVEL, _("(top level)")), *code_choices(targets, paths)]
        if not self.is_bound:
            self.initial["parent"] = str(code.parent.public_id) if code.parent_id else TOP_LEVEL

    def clean_parent(self) -> Code | None:
        value = self.cleaned_data.get("parent")
        return self.code.project.codes.get(public_id=value) if value else None


class MergeForm(forms.Form):
    target = forms.ChoiceField(label=_("Merge into"))

    def __init__(self, *args, code: Code, paths: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.code = code
        excluded = descendant_ids(code) | {code.pk}
        targets = [other for other in code.project.codes.all() if other.pk not in excluded]
        self.fields["target"].choices = [("", _("Choose a code…")), *code_choices(targets, paths)]

    def clean_target(self) -> Code:
        return self.code.project.codes.get(public_id=self.cleaned_data["target"])


class CodingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, coding: Coding) -> str:
        return f"{coding.document.title} · {coding.coder.get_username()} · “{coding.snippet[:160]}”"


class SplitForm(forms.Form):
    new_name = forms.CharField(label=_("Name of the new code"), max_length=200)
    codings = CodingChoiceField(
        label=_("Segments to move to the new code"),
        queryset=Coding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args, codings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codings"].queryset = codings


class DeleteForm(forms.Form):
    confirm_codings = forms.BooleanField(required=False)

    def __init__(self, *args, codings_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.codings_count = codings_count
        if codings_count:
            self.fields["confirm_codings"].required = True
            self.fields["confirm_codings"].label = _(
                "Yes, also delete the %(count)s coded segments of this code."
            ) % {"count": codings_count}
            self.fields["confirm_codings"].error_messages["required"] = _(
                "Tick the box to confirm that the coded segments are deleted too."
            )
        else:
            del self.fields["confirm_codings"]


class ImportForm(forms.Form):
    file = BoundedFileField(
        label=_("CSV or XLSX file"),
        help_text=_("One code a row; the first row names the columns."),
    )

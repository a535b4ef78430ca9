from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.core.forms import BoundedFileField
from healthywork.scan.extract import SUPPORTED_EXTENSIONS, ExtractionError, extract_text, normalise
from healthywork.scan.models import Document, Interview, Project


class InterviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Interview) -> str:
        return str(obj)


class DocumentForm(forms.ModelForm):
    """A document's title, interview and language (its text comes from the upload)."""

    interview = InterviewChoiceField(
        label=_("Interview"), queryset=Interview.objects.none(), required=False, to_field_name="public_id"
    )

    class Meta:
        model = Document
        fields = ["title", "interview", "language"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["interview"].queryset = project.interviews.select_related("organization")


class DocumentUploadForm(DocumentForm):
    file = BoundedFileField(
        label=_("File"),
        required=False,
        help_text=_("A .txt, .md, .docx, .odt or .pdf file. Text files must be UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )
    pasted_text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    class Meta(DocumentForm.Meta):
        fields = ["file", "pasted_text", "title", "interview", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the file's name.")
        self.extracted_text = ""
        self.file_content: bytes | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        upload.seek(0)
        content = upload.read()
        try:
            self.extracted_text = extract_text(content, upload.name)
        except ExtractionError as error:
            raise forms.ValidationError(str(error)) from None
        self.file_content = content
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), normalise(cleaned.get("pasted_text") or "")
        if upload and pasted.strip():
            self.add_error("pasted_text", _("Upload a file or paste text, not both."))
        elif not upload and not pasted.strip() and not self.has_error("file"):
            self.add_error("file", _("Upload a file or paste the text of the document."))
        elif pasted.strip():
            self.extracted_text = pasted.strip("\n")
            if not cleaned.get("title"):
                self.add_error("title", _("Give pasted text a title."))
        if upload and not cleaned.get("title"):
            cleaned["title"] = PurePath(upload.name).stem[:250] or upload.name[:250]
        return cleaned

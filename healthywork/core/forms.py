"""Form pieces every app shares: a file upload bounded by HEALTHYWORK_MAX_UPLOAD_BYTES, and a
material given as a file or a link."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MEBIBYTE = 1048576


def upload_limit_mb() -> float:
    """The upload limit as help texts and messages show it (MB, one decimal)."""
    return round(settings.HEALTHYWORK_MAX_UPLOAD_BYTES / MEBIBYTE, 1)


def check_upload_size(upload: UploadedFile | None) -> UploadedFile | None:
    """Refuse an uploaded file larger than HEALTHYWORK_MAX_UPLOAD_BYTES, before anything reads it."""
    limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
    if upload and upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": round(upload.size / MEBIBYTE, 1), "limit": round(limit / MEBIBYTE, 1)},
        )
    return upload


class BoundedFileField(forms.FileField):
    """A file field that refuses a file larger than HEALTHYWORK_MAX_UPLOAD_BYTES."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        return check_upload_size(super().clean(data, initial))


class FileOrLinkForm(forms.Form):
    """A material: a bounded file or a link (one of the two), with a title that defaults to the
    file's name or the link."""

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Leave empty to use the file's name."),
    )
    file = BoundedFileField(label=gettext_lazy("File"), required=False)
    url = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload, url = cleaned.get("file"), cleaned.get("url")
        if self.errors:
            return cleaned
        if not upload and not url:
            self.add_error("file", _("Upload a file or give a link."))
        elif upload and url:
            self.add_error("url", _("Give a file or a link, not both: add them one at a time."))
        elif not cleaned.get("title"):
            cleaned["title"] = upload.name if upload else url
        return cleaned

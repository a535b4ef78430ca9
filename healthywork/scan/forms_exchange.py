"""The upload form of the REFI-QDA imports."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.core.forms import BoundedFileField, upload_limit_mb

PROJECT_SUFFIXES = (".qdpx", ".qde", ".qdc")
CODEBOOK_SUFFIXES = (".qdc", ".qdpx", ".qde")


class RefiUploadForm(forms.Form):
    file = BoundedFileField(label=gettext_lazy("REFI-QDA file"))

    def __init__(self, *args, suffixes: tuple[str, ...] = PROJECT_SUFFIXES, **kwargs):
        super().__init__(*args, **kwargs)
        self.suffixes = suffixes
        self.fields["file"].help_text = _("A %(kinds)s file, at most %(limit)s MB.") % {
            "kinds": ", ".join(suffixes),
            "limit": upload_limit_mb(),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(suffixes)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.suffixes):
            raise forms.ValidationError(
                _("“%(name)s” is not a %(kinds)s file."),
                params={"name": upload.name, "kinds": ", ".join(self.suffixes)},
            )
        return upload

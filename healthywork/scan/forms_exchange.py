"""The upload form of the REFI-QDA imports."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROJECT_SUFFIXES = (".qdpx", ".qde", ".qdc")
CODEBOOK_SUFFIXES = (".qdc", ".qdpx", ".qde")


class RefiUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("REFI-QDA file"))

    def __init__(self, *args, suffixes: tuple[str, ...] = PROJECT_SUFFIXES, **kwargs):
        super().__init__(*args, **kwargs)
        self.suffixes = suffixes
        self.fields["file"].help_text = _("A %(kinds)s file, at most %(limit)s MB.") % {
            "kinds": ", ".join(suffixes),
            "limit": round(settings.HEALTHYWORK_MAX_UPLOAD_BYTES / 1048576, 1),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(suffixes)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                params={"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            )
        if not upload.name.lower().endswith(self.suffixes):
            raise forms.ValidationError(
                _("“%(name)s” is not a %(kinds)s file."),
                params={"name": upload.name, "kinds": ", ".join(self.suffixes)},
            )
        return upload

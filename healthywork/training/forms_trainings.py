"""Staff forms: a training, a material (link or bounded upload of a common document type), and a
registration added by hand."""

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthywork.accounts.roles import Role
from healthywork.core.forms import FileOrLinkForm, upload_limit_mb
from healthywork.training.models import Modality, Training, TrainingStatus

DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MATERIAL_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "rtf",
    "txt",
    "md",
    "ppt",
    "pptx",
    "odp",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "png",
    "jpg",
    "jpeg",
)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name()


def facilitator_candidates(training: Training | None = None):
    """Program staff and facilitators, plus whoever already facilitates the training."""
    chosen = Q(role__in=[Role.ADMINISTRATOR, Role.FACILITATOR])
    if training is not None and training.pk:
        chosen |= Q(trainings_led=training)
    users = get_user_model().objects.filter(is_active=True).filter(chosen).distinct()
    return users.order_by("first_name", "last_name", "username")


class TrainingForm(forms.ModelForm):
    facilitators = UserChoiceField(
        label=_("Facilitators (users)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They manage this training's registrations and attendance."),
    )
    link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Shown to registered people only (their page, e-mails and calendar file)."),
    )

    class Meta:
        model = Training
        fields = [
            "title",
            "slug",
            "description",
            "series",
            "topics",
            "modality",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "capacity",
            "facilitators",
            "facilitator_names",
            "language",
            "registration_closes_at",
            "status",
            "completion_rule",
            "completion_minutes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "ends_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "registration_closes_at": forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT),
            "description": forms.Textarea(attrs={"rows": 6}),
            "completion_rule": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _("The public page's address, for example work-and-health-2019. Empty: from the title."),
            "facilitator_names": _("As shown to the public, for example guest speakers without an account."),
            "starts_at": _("A self-paced training may have no date."),
            "registration_closes_at": _("Empty: open until the training starts."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["facilitators"].queryset = facilitator_candidates(self.instance)
        if self.instance.pk:
            self.initial["facilitators"] = list(self.instance.facilitators.values_list("pk", flat=True))

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or ""
        if slug and Training.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Another training already has the address “%(slug)s”."), params={"slug": slug}
            )
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        closes, starts = cleaned.get("registration_closes_at"), cleaned.get("starts_at")
        if closes and starts and closes > starts:
            self.add_error("registration_closes_at", _("Registration closes after the training starts."))
        if (
            cleaned.get("modality") == Modality.ONLINE
            and not cleaned.get("link")
            and (cleaned.get("status") == TrainingStatus.PUBLISHED)
        ):
            self.add_error("link", _("A published online training needs its link."))
        return cleaned


class MaterialForm(FileOrLinkForm):
    is_public = forms.BooleanField(
        label=_("Public"), required=False, help_text=_("Off: registered people only.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(limit)s MB.") % {
            "types": ", ".join(MATERIAL_EXTENSIONS),
            "limit": upload_limit_mb(),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if extension not in MATERIAL_EXTENSIONS:
            raise forms.ValidationError(
                _("A .%(extension)s file is not accepted. Accepted: %(types)s."),
                params={"extension": extension or "?", "types": ", ".join(MATERIAL_EXTENSIONS)},
            )
        return upload


class ManualRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organization_name = forms.CharField(label=_("Organization"), max_length=250, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES, initial="en")
    accommodation = forms.CharField(
        label=_("Accommodation requests"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    send_email = forms.BooleanField(label=_("Send the confirmation e-mail"), required=False, initial=True)

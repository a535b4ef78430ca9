"""Forms of the attendance, completion and evaluation pages of a training."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from healthywork.evaluation.models import Administration, ContextKind, Instrument
from healthywork.training.records import DEFAULT_INSTRUMENTS, SLOTS, CompletionRule

SLOT_CHOICES = [("pre", _("Pre survey")), ("post", _("Post survey")), ("feedback", _("Feedback form"))]


class ParticipantsFileForm(forms.Form):
    file = forms.FileField(
        label=_("Participants file (CSV or XLSX)"),
        help_text=_("A Zoom, Teams or Meet participants report: e-mail, name, duration and join time."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.HEALTHYWORK_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class CompletionRuleForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Completion rule"),
        choices=[("all_days", _("Present on every day")), ("minutes", _("A minimum of minutes in all"))],
        initial="all_days",
    )
    min_minutes = forms.IntegerField(
        label=_("Minimum minutes"), min_value=1, max_value=100000, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("rule") == "minutes" and not data.get("min_minutes"):
            self.add_error("min_minutes", _("Give the minimum of minutes."))
        return data

    def completion_rule(self) -> CompletionRule:
        data = self.cleaned_data
        return CompletionRule(min_minutes=data["min_minutes"] if data["rule"] == "minutes" else None)


class AttachForm(forms.Form):
    slot = forms.ChoiceField(label=_("Use"), choices=SLOT_CHOICES)
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Administration.objects.none(),
        required=False,
        empty_label=_("(none: detach)"),
    )

    def __init__(self, *args, user=None, training=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = (
            Administration.objects.visible_to(user) if user is not None else Administration.objects.none()
        )
        attached = [getattr(training, f"{slot}_administration_id") for slot in SLOTS if training is not None]
        self.fields["administration"].queryset = (
            Administration.objects.filter(
                Q(pk__in=visible.values("pk"), context_kind=ContextKind.TRAINING)
                | Q(pk__in=[pk for pk in attached if pk])
            )
            .select_related("instrument")
            .order_by("-opens_at")
        )


class CreateAdministrationForm(forms.Form):
    slot = forms.ChoiceField(label=_("Use"), choices=SLOT_CHOICES)
    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.order_by("title"),
        required=False,
        empty_label=_("(the default for this use)"),
    )

    def clean(self):
        data = super().clean()
        if data.get("slot") and not data.get("instrument"):
            default = Instrument.objects.filter(name=DEFAULT_INSTRUMENTS[data["slot"]]).first()
            if default is None:
                self.add_error(
                    "instrument",
                    _("The instrument “%(name)s” is not installed: choose one.")
                    % {"name": DEFAULT_INSTRUMENTS[data["slot"]]},
                )
            data["instrument"] = default
        return data

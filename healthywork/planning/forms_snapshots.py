"""Forms of the snapshots and comments pages: take snapshots (a cohort's teams or one team), choose
two snapshots to compare, write a comment."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.collaborative.models import Cohort, Session, Team
from healthywork.planning import comments
from healthywork.planning.models import ArtifactKind, Snapshot


class TeamSnapshotForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example “Before session 3”. Left empty, the date is used."),
    )


class CohortSnapshotForm(TeamSnapshotForm):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=gettext_lazy("No session"),
        to_field_name="public_id",
        help_text=gettext_lazy("The session these snapshots close, if any."),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = cohort.sessions.order_by("number")
        self.fields["label"].help_text = _(
            "Left empty, the session’s title is used (or the date, with no session)."
        )


class DiffForm(forms.Form):
    """Two snapshots of the same artifact of one team: `a` (older) and `b` (newer)."""

    a = forms.UUIDField(label=gettext_lazy("From snapshot"))
    b = forms.UUIDField(label=gettext_lazy("To snapshot"))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team

    def clean(self):
        data = super().clean()
        found = {}
        for name in ("a", "b"):
            if data.get(name) is None:
                continue
            found[name] = Snapshot.objects.filter(team=self.team, public_id=data[name]).first()
            if found[name] is None:
                self.add_error(name, _("This team has no snapshot with that id."))
        if len(found) == 2 and all(found.values()):
            if found["a"].kind != found["b"].kind:
                self.add_error(
                    "b",
                    _("Choose two snapshots of the same artifact (a power map with a power map, and so on)."),
                )
            else:
                older, newer = sorted(found.values(), key=lambda snapshot: (snapshot.taken_at, snapshot.pk))
                data["older"], data["newer"] = older, newer
        return data


class CommentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("On"), choices=ArtifactKind.choices)
    about = forms.CharField(label=gettext_lazy("About (optional)"), required=False, max_length=64)
    text = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        # A list to choose from; any other value posted is refused in clean_about with a clear message.
        self.fields["about"].widget = forms.Select(choices=comments.about_choices(team))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the comment."))
        return text

    def clean_about(self) -> str:
        about = self.cleaned_data.get("about", "").strip()
        if about and not comments.is_item_of(self.team, about):
            raise forms.ValidationError(_("No actor, outcome or step of this team has that id."))
        return about

"""Evaluation: instruments as data, administrations, responses, and measurements of indicators.

An `Instrument` holds `Dimension`s and `Item`s (text in English and Spanish, a kind, a range or
choices, reverse scoring) and its scoring rules (`total_method`, `bands`). An `Administration`
gives an instrument in a context (a cohort, a session, a team, a training, a community) at a time
point (pre, post, follow-up), through personal `Invitation` links or an anonymous public link,
until a closing time. A `Response` holds one `Answer` per item answered; anonymous responses keep
no IP address, no person and no invitation. `Measurement`s put values on the indicators of the
teams' theories of change, typed in or computed from an administration's results.

Who sees what: instruments are readable by every signed-in user (they are forms, not data);
administrations and their responses by evaluators and administrators (`evaluation.view_all`), by
the administration's owner, and by the facilitators and members of the team or cohort it is about
(`Administration.objects.visible_to`). Measurements follow their indicator's team.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Cohort, Session, Team
from healthywork.partners.models import Organization, Person
from healthywork.planning.models import Indicator


def _token() -> str:
    return secrets.token_urlsafe(24)


# --- Instruments -----------------------------------------------------------------------------


class InstrumentKind(models.TextChoices):
    REACTION = "reaction", _("Reaction (Kirkpatrick level 1)")
    KNOWLEDGE = "knowledge", _("Knowledge and self-efficacy (pre/post)")
    COLLABORATION = "collaboration", _("Levels of collaboration")
    EPRES = "epres", _("Employment precariousness (EPRES-style)")
    INTERVIEW = "interview", _("Interview guide")
    CUSTOM = "custom", _("Other")


class TotalMethod(models.TextChoices):
    NONE = "none", _("No total score")
    MEAN_OF_DIMENSIONS = "mean_of_dimensions", _("Mean of the dimension scores")
    MEAN_OF_ITEMS = "mean_of_items", _("Mean of the scored items")
    SUM_OF_ITEMS = "sum_of_items", _("Sum of the scored items")


class Instrument(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(
        _("short name"),
        max_length=80,
        unique=True,
        help_text=_("Used on the command line: healthywork score FILE --instrument NAME."),
    )
    title = models.CharField(_("title"), max_length=250)
    title_es = models.CharField(_("title in Spanish"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=InstrumentKind.choices, default=InstrumentKind.CUSTOM
    )
    total_method = models.CharField(
        _("total score"), max_length=30, choices=TotalMethod.choices, default=TotalMethod.NONE
    )
    bands = models.JSONField(
        _("score bands"),
        default=list,
        blank=True,
        help_text=_('Bands of the total score: [{"low": 0, "high": 0.61, "label": "..."}, ...].'),
    )
    source = models.TextField(_("source and licence of the wording"), blank=True)
    is_shipped = models.BooleanField(_("shipped with healthywork"), default=False, editable=False)
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Locked once responses exist: items can no longer change.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:instrument-detail", args=[self.public_id])

    def localized_title(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        return self.title_es if language.startswith("es") and self.title_es else self.title


class Dimension(models.Model):
    class Method(models.TextChoices):
        MEAN = "mean", _("Mean of its items")
        SUM = "sum", _("Sum of its items")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    label_es = models.CharField(_("label in Spanish"), max_length=200, blank=True)
    method = models.CharField(_("score"), max_length=10, choices=Method.choices, default=Method.MEAN)
    min_items = models.PositiveSmallIntegerField(
        _("fewest answered items for a score"),
        default=1,
        help_text=_("With fewer answered items the respondent gets no score on this dimension."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="dimension_code_once")]

    def __str__(self) -> str:
        return self.label

    def localized_label(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        return self.label_es if language.startswith("es") and self.label_es else self.label


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Likert scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")
    MATRIX = "matrix", _("Matrix row")
    NOTE = "note", _("Note (no answer)")


#: Kinds whose answer is one number (stored in Answer.number); these can be scored.
NUMERIC_KINDS = {ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.NUMBER, ItemKind.MATRIX}


class Item(models.Model):
    """One question. Likert, single-choice and matrix items take one of `choices` (each
    `{"value": number, "label": str, "label_es": str}`); number items a value in [min, max];
    multiple-choice items a set of choice values (stored as text, space-separated, XLSForm style).
    Matrix rows sharing a `group` show as one grid with the first row's choices."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(
        _("code"), max_length=60, help_text=_("The column name in files: letters, digits and underscores.")
    )
    text = models.TextField(_("text"))
    text_es = models.TextField(_("text in Spanish"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.FloatField(_("lowest value"), null=True, blank=True)
    max_value = models.FloatField(_("highest value"), null=True, blank=True)
    reverse_scored = models.BooleanField(_("reverse scored"), default=False)
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    required = models.BooleanField(_("required"), default=False)
    group = models.CharField(_("matrix group"), max_length=60, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="item_code_once")]

    def __str__(self) -> str:
        return self.code

    def localized_text(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        return self.text_es if language.startswith("es") and self.text_es else self.text

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def choice_values(self) -> list[float]:
        return [float(choice["value"]) for choice in self.choices]

    def bounds(self) -> tuple[float | None, float | None]:
        """The lowest and highest value an answer may take (from choices, else min/max)."""
        if self.choices and self.kind != ItemKind.NUMBER:
            values = self.choice_values()
            return min(values), max(values)
        return self.min_value, self.max_value

    def clean(self) -> None:
        errors = {}
        if self.kind in {ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.MATRIX}:
            if not self.choices:
                errors["choices"] = _("This kind of item needs its choices.")
            else:
                try:
                    values = [float(choice["value"]) for choice in self.choices]
                    [str(choice["label"]) for choice in self.choices]
                except (KeyError, TypeError, ValueError):
                    errors["choices"] = _("Each choice needs a numeric value and a label.")
                else:
                    if len(set(values)) != len(values):
                        errors["choices"] = _("Two choices have the same value.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The highest value is below the lowest.")
        if self.reverse_scored and self.kind not in NUMERIC_KINDS:
            errors["reverse_scored"] = _("Only numeric items can be reverse scored.")
        if errors:
            raise ValidationError(errors)


# --- Administrations -------------------------------------------------------------------------


class TimePoint(models.TextChoices):
    ONCE = "once", _("Once")
    PRE = "pre", _("Pre")
    POST = "post", _("Post")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ContextKind(models.TextChoices):
    COHORT = "cohort", _("A cohort")
    SESSION = "session", _("A session")
    TEAM = "team", _("A team")
    TRAINING = "training", _("A training")
    COMMUNITY = "community", _("A community")
    OTHER = "other", _("Other")


class AdministrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AdministrationQuerySet":
        """The one rule for administrations (and, through them, responses)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("evaluation.view_all"):
            return self
        teams = Team.objects.visible_to(user)
        return self.filter(
            Q(created_by=user)
            | Q(team__in=teams)
            | Q(cohort__facilitators=user)
            | Q(session__cohort__facilitators=user)
        ).distinct()


class Administration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="administrations", verbose_name=_("instrument")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(
        _("description"), blank=True, help_text=_("For the staff: how and why it was given.")
    )
    introduction = models.TextField(
        _("introduction for respondents"),
        blank=True,
        help_text=_("Shown above the questions: purpose, time needed, how answers are used, consent."),
    )
    introduction_es = models.TextField(_("introduction in Spanish"), blank=True)
    context_kind = models.CharField(_("context"), max_length=20, choices=ContextKind.choices)
    context_label = models.CharField(
        _("context name"), max_length=250, blank=True, help_text=_("For a training, a community or other.")
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    time_point = models.CharField(
        _("time point"), max_length=20, choices=TimePoint.choices, default=TimePoint.ONCE
    )
    pre = models.ForeignKey(
        "self",
        verbose_name=_("matching pre administration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ons",
        help_text=_("For a post or follow-up: the earlier administration whose respondents are matched."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    public_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    public_link_open = models.BooleanField(
        _("anonymous public link"),
        default=False,
        help_text=_("Anyone with the link may answer; answers keep no identity and no IP address."),
    )
    ask_match_code = models.BooleanField(
        _("ask anonymous respondents for a matching code"),
        default=False,
        help_text=_("A code they make up (for example initials and birth month) to pair pre and post."),
    )
    languages = models.CharField(_("languages"), max_length=20, default="en es")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("administration")
        verbose_name_plural = _("administrations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:administration-detail", args=[self.public_id])

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time is not after the opening time.")
        if self.pre_id and self.instrument_id and self.pre.instrument_id != self.instrument_id:
            errors["pre"] = _("The matching administration uses another instrument.")
        if self.pre_id and self.pre_id == self.pk:
            errors["pre"] = _("An administration cannot match itself.")
        if errors:
            raise ValidationError(errors)

    def localized_introduction(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        return (
            self.introduction_es if language.startswith("es") and self.introduction_es else self.introduction
        )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def can_manage(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return user.can("evaluation.manage") or self.created_by_id == user.pk

    def may_identify(self, user) -> bool:
        """Who may see which respondent gave which answers (names, keys): its managers and evaluators;
        other readers (a team's members, facilitators) see the answers without identities."""
        return self.can_manage(user) or (
            getattr(user, "is_authenticated", False) and user.can("evaluation.view_all")
        )


class Invitation(models.Model):
    """A personal link: one respondent, one response."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(_("language"), max_length=10, default="en")
    token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "person"],
                condition=Q(person__isnull=False),
                name="one_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email or str(self.person or "")


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class Response(models.Model):
    """One respondent's answers. `resume_token` lets the respondent continue a saved response;
    `submission_key` (unique) makes a repeated submission of the same form a no-op."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    respondent_key = models.CharField(
        _("respondent"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Pairs a respondent's answers across time points: a person, an import id or a code."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    resume_token = models.CharField(max_length=40, unique=True, default=_token, editable=False)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when staff typed or imported the response (data entry).",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["administration", "status"], name="response_admin_status")]

    def __str__(self) -> str:
        return f"{self.administration}: {self.respondent_key or self.pk}"


class Answer(models.Model):
    """One item's answer: numeric kinds in `number`, text and multiple choice in `text`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code}={self.number if self.number is not None else self.text}"


# --- Indicators ------------------------------------------------------------------------------


class MeasurementSource(models.TextChoices):
    TYPED = "typed", _("Typed in")
    COMPUTED = "computed", _("Computed from an instrument")


class MeasurementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeasurementQuerySet":
        return self.filter(indicator__outcome__theory__team__in=Team.objects.visible_to(user))


class Measurement(models.Model):
    """A value of a theory-of-change indicator at a date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.FloatField(_("value"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=MeasurementSource.choices, default=MeasurementSource.TYPED
    )
    administration = models.ForeignKey(
        Administration, null=True, blank=True, on_delete=models.SET_NULL, related_name="measurements"
    )
    computed_from = models.CharField(
        _("computed from"),
        max_length=100,
        blank=True,
        help_text=_('What was computed, e.g. "dimension:knowledge:mean" or "item:q3:percent_at_least:4".'),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.date})"

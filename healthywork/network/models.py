"""The intersectoral network: waves, ties between organizations, and the roster-bounded partner
survey (PARTNER-style) whose answers are ties too.

Ties come from four places. Stored `Tie` rows are entered by hand, imported, or planned as
introductions. Ties implied by the catalog (co-partners on an initiative) and by survey answers
are derived when a graph is built (`network.graph`), never copied, so they always agree with the
records they come from and say where they come from.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.partners.models import Organization


class WaveQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WaveQuerySet":
        """The network is shared reading for every signed-in person (survey answers are not)."""
        return self if getattr(user, "is_authenticated", False) else self.none()


class Wave(models.Model):
    """A period the network is observed in, e.g. the 2017 baseline and 2019 after the collaborative."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="wave_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:wave-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class TieKind(models.TextChoices):
    INFORMATION = "information", _("Information sharing")
    REFERRALS = "referrals", _("Referrals")
    JOINT_PROGRAMS = "joint_programs", _("Joint programs")
    FUNDING = "funding", _("Funding")
    SHARED_RESOURCES = "shared_resources", _("Shared resources")
    POLICY_COALITION = "policy_coalition", _("Policy coalition")
    DATA_SHARING = "data_sharing", _("Data sharing")
    TEAM_MEMBERSHIP = "team_membership", _("Team membership")


class Provenance(models.TextChoices):
    SURVEY = "survey", _("Survey answer")
    INITIATIVE = "initiative", _("Initiative co-partnership")
    TEAM = "team", _("Team membership")
    INTERVIEW = "interview", _("Interview mention")
    MANUAL = "manual", _("Entered by hand")
    INTRODUCTION = "introduction", _("Planned introduction")


class TieStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("tie status", "Active")
    PLANNED = "planned", pgettext_lazy("tie status", "Planned introduction")


class CollaborationLevel(models.IntegerChoices):
    """Levels of Collaboration Scale (Frey et al., 2006, American Journal of Evaluation 27:383)."""

    NONE = 0, _("No interaction")
    NETWORKING = 1, _("Networking")
    COOPERATION = 2, _("Cooperation")
    COORDINATION = 3, _("Coordination")
    COALITION = 4, _("Coalition")
    COLLABORATION = 5, _("Collaboration")


class TieQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TieQuerySet":
        return self if getattr(user, "is_authenticated", False) else self.none()

    def active(self) -> "TieQuerySet":
        return self.filter(status=TieStatus.ACTIVE)


class Tie(models.Model):
    """A stored tie between two organizations in a wave (entered, imported, or a planned
    introduction). Undirected ties are stored once, in the order they were given."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, verbose_name=_("wave"), on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey(
        Organization, verbose_name=_("source"), on_delete=models.CASCADE, related_name="ties_out"
    )
    target = models.ForeignKey(
        Organization, verbose_name=_("target"), on_delete=models.CASCADE, related_name="ties_in"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TieKind.choices, default=TieKind.INFORMATION)
    level = models.PositiveSmallIntegerField(
        _("level of collaboration"),
        choices=CollaborationLevel.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    is_directed = models.BooleanField(_("directed"), default=False)
    provenance = models.CharField(
        _("provenance"), max_length=20, choices=Provenance.choices, default=Provenance.MANUAL
    )
    status = models.CharField(_("status"), max_length=20, choices=TieStatus.choices, default=TieStatus.ACTIVE)
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why this introduction was suggested (gap finder).")
    )
    made_at = models.DateTimeField(_("introduction made"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TieQuerySet.as_manager()

    class Meta:
        ordering = ["wave", "source__name", "target__name", "kind"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        indexes = [
            models.Index(fields=["wave", "kind"]),
            models.Index(fields=["wave", "source"]),
            models.Index(fields=["wave", "target"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="tie_not_to_itself"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=0, level__lte=5), name="tie_level_0_to_5"
            ),
            models.UniqueConstraint(fields=["wave", "source", "target", "kind"], name="tie_once_per_kind"),
        ]

    def __str__(self) -> str:
        arrow = "→" if self.is_directed else "—"
        return f"{self.source} {arrow} {self.target} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("network:tie-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError({"target": _("An organization cannot have a tie with itself.")})
        if self.level is not None and not 0 <= self.level <= 5:
            raise ValidationError({"level": _("The level of collaboration runs from 0 to 5.")})
        if self.wave_id and self.source_id and self.target_id and self.kind:
            twins = Tie.objects.filter(wave_id=self.wave_id, kind=self.kind).exclude(pk=self.pk)
            same = Q(source_id=self.source_id, target_id=self.target_id)
            if not self.is_directed:
                same |= Q(source_id=self.target_id, target_id=self.source_id, is_directed=False)
            if twins.filter(same).exists():
                raise ValidationError({"target": _("This tie of this kind already exists in this wave.")})


# --- The partner survey ----------------------------------------------------------------------


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SurveyQuerySet":
        """Individual answers are research data: the people who run the network see surveys."""
        if getattr(user, "is_authenticated", False) and user.can("network.manage"):
            return self
        return self.none()


class PartnerSurvey(models.Model):
    """A roster-bounded survey of one wave: each organization on the roster answers about itself
    and about every other member (as in PARTNER)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, verbose_name=_("wave"), on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("partner survey")
        verbose_name_plural = _("partner surveys")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:survey-detail", args=[self.public_id])

    @property
    def is_accepting(self) -> bool:
        """Answers are taken while the survey is open and before its closing time."""
        if self.status != SurveyStatus.OPEN:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Respondent(models.Model):
    """An organization on a survey's roster and its private link (only the token's hash is kept)."""

    survey = models.ForeignKey(PartnerSurvey, on_delete=models.CASCADE, related_name="respondents")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="survey_roles"
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # About itself (PARTNER's organizational questions).
    contributions = models.JSONField(_("contributions"), default=list, blank=True)
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    success = models.PositiveSmallIntegerField(
        _("success of the coalition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["survey", "organization__name"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(fields=["survey", "organization"], name="survey_respondent_once"),
            models.CheckConstraint(
                condition=Q(success__isnull=True) | Q(success__gte=1, success__lte=5),
                name="survey_success_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.survey})"

    def issue_token(self) -> str:
        """A new unguessable link token; the old one stops working. Returns the token to send."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    YEARLY = "yearly", _("Once a year or less")
    QUARTERLY = "quarterly", _("About quarterly")
    MONTHLY = "monthly", _("About monthly")
    WEEKLY = "weekly", _("Weekly or more")


def rating_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class PartnerRating(models.Model):
    """One respondent's answers about one other member of the roster."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="ratings")
    partner = models.ForeignKey(
        Organization, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="survey_ratings"
    )
    interacts = models.BooleanField(_("we interact"), default=False)
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level of collaboration"),
        choices=CollaborationLevel.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    kinds = models.JSONField(_("kinds of tie"), default=list, blank=True)
    trust_reliability = rating_field(_("reliability"))
    trust_mission = rating_field(_("support of the mission"))
    trust_openness = rating_field(_("openness to discussion"))
    value_power = rating_field(_("power and influence"))
    value_involvement = rating_field(_("level of involvement"))
    value_resources = rating_field(_("resource contribution"))
    updated_at = models.DateTimeField(auto_now=True)

    TRUST_FIELDS = ("trust_reliability", "trust_mission", "trust_openness")
    VALUE_FIELDS = ("value_power", "value_involvement", "value_resources")

    class Meta:
        ordering = ["respondent", "partner__name"]
        verbose_name = _("partner rating")
        verbose_name_plural = _("partner ratings")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "partner"], name="survey_rating_once"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=0, level__lte=5), name="survey_level_0_to_5"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 4}),
                    name=f"survey_{name}_1_to_4",
                )
                for name in ("trust_reliability", "trust_mission", "trust_openness")
                + ("value_power", "value_involvement", "value_resources")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.respondent.organization} → {self.partner}"

    def clean(self) -> None:
        if self.partner_id and self.respondent_id and self.partner_id == self.respondent.organization_id:
            raise ValidationError({"partner": _("An organization does not rate itself.")})

"""The three tools of the collaborative, one set per team: the power map, the theory of change and
the action plan; snapshots of them taken at the end of sessions; and comments on them.

Each artifact (`PowerMap`, `TheoryOfChange`, `ActionPlan`) carries a `version` that every change
to it or to its parts increases (`Artifact.bump`), so two members editing at once do not lose each
other's work: a form sends the version it was read at, and a write at an older version is refused
with both versions shown (optimistic concurrency). Team scoping goes through
`Team.objects.visible_to(user)` in one queryset method per artifact.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.collaborative.models import Session, Team, TeamWorkQuerySet
from healthywork.partners.models import Organization, Person


class Artifact(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="%(class)s")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        abstract = True

    def bump(self, by) -> int:
        """Increase the version in the database (atomic UPDATE) and return the new one."""
        type(self).objects.filter(pk=self.pk).update(
            version=F("version") + 1, updated_by=by if getattr(by, "is_authenticated", False) else None
        )
        self.refresh_from_db(fields=["version", "updated_by", "updated_at"])
        return self.version


# --- Power map --------------------------------------------------------------------------------


class PowerMap(Artifact):
    issue = models.TextField(_("issue or decision to change"), blank=True)

    class Meta:
        verbose_name = _("power map")
        verbose_name_plural = _("power maps")

    def __str__(self) -> str:
        return _("Power map of %(team)s") % {"team": self.team}

    def get_absolute_url(self) -> str:
        return reverse("planning:powermap", args=[self.team.public_id])


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")
    INSTITUTION = "institution", _("Institution")
    DECISION_MAKER = "decision_maker", _("Decision-maker")


class Actor(models.Model):
    """Someone placed on the grid: power or influence 0–10 by stance −5 (strongly opposed) to +5."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    power_map = models.ForeignKey(PowerMap, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorKind.choices, default=ActorKind.ORGANIZATION
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="power_map_actors",
    )
    power = models.DecimalField(
        _("power or influence (0–10)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    stance = models.DecimalField(
        _("stance (−5 to +5)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(-5), MaxValueValidator(5)],
    )
    is_target = models.BooleanField(_("target (decision-maker to move)"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["power_map", "-power", "name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(condition=Q(power__gte=0, power__lte=10), name="actor_power_0_to_10"),
            models.CheckConstraint(
                condition=Q(stance__gte=-5, stance__lte=5), name="actor_stance_minus5_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActorLinkKind(models.TextChoices):
    INFLUENCES = "influences", _("Influences")
    ALLIED = "allied", _("Allied with")
    OPPOSES = "opposes", _("Opposes")
    MEMBER_OF = "member_of", _("Member of")


class ActorLink(models.Model):
    power_map = models.ForeignKey(PowerMap, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(
        Actor, verbose_name=_("from"), on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(Actor, verbose_name=_("to"), on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorLinkKind.choices, default=ActorLinkKind.INFLUENCES
    )
    strength = models.PositiveSmallIntegerField(
        _("strength (1–3)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["power_map", "id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="actor_link_not_to_itself"),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3), name="actor_link_strength_1_to_3"
            ),
            models.UniqueConstraint(fields=["source", "target", "kind"], name="actor_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


# --- Theory of change -------------------------------------------------------------------------


class TheoryOfChange(Artifact):
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta:
        verbose_name = _("theory of change")
        verbose_name_plural = _("theories of change")

    def __str__(self) -> str:
        return _("Theory of change of %(team)s") % {"team": self.team}

    def get_absolute_url(self) -> str:
        return reverse("planning:toc", args=[self.team.public_id])

    @property
    def goal(self) -> "Outcome | None":
        return self.outcomes.filter(is_goal=True).first()


class Outcome(models.Model):
    """A precondition of the long-term goal (the goal itself is the outcome with `is_goal`).
    Outcomes below the ceiling of accountability are the ones the team answers for."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theory = models.ForeignKey(TheoryOfChange, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("outcome"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_goal = models.BooleanField(_("long-term goal"), default=False)
    is_below_ceiling = models.BooleanField(
        _("below the ceiling of accountability"),
        default=True,
        help_text=_("The team takes responsibility for reaching this outcome."),
    )

    class Meta:
        ordering = ["theory", "-is_goal", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["theory"], condition=Q(is_goal=True), name="one_goal_per_theory")
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeLink(models.Model):
    """`precondition` leads to `outcome` (links run backwards from the goal)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theory = models.ForeignKey(TheoryOfChange, on_delete=models.CASCADE, related_name="links")
    precondition = models.ForeignKey(
        Outcome, verbose_name=_("precondition"), on_delete=models.CASCADE, related_name="links_out"
    )
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("leads to"), on_delete=models.CASCADE, related_name="links_in"
    )
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        ordering = ["theory", "id"]
        verbose_name = _("outcome link")
        verbose_name_plural = _("outcome links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(precondition=F("outcome")), name="outcome_link_not_to_itself"
            ),
            models.UniqueConstraint(fields=["precondition", "outcome"], name="outcome_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.precondition} → {self.outcome}"


class Intervention(models.Model):
    """What the team does to bring about an outcome (or to make a link hold)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theory = models.ForeignKey(TheoryOfChange, on_delete=models.CASCADE, related_name="interventions")
    title = models.CharField(_("intervention"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="interventions"
    )
    link = models.ForeignKey(
        OutcomeLink, null=True, blank=True, on_delete=models.CASCADE, related_name="interventions"
    )
    responsible_organization = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interventions",
    )

    class Meta:
        ordering = ["theory", "id"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.outcome_id is None) == (self.link_id is None):
            raise ValidationError(_("An intervention sits on one outcome or on one link."))


class Assumption(models.Model):
    theory = models.ForeignKey(TheoryOfChange, on_delete=models.CASCADE, related_name="assumptions")
    text = models.TextField(_("assumption"))
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="assumptions"
    )
    link = models.ForeignKey(
        OutcomeLink, null=True, blank=True, on_delete=models.CASCADE, related_name="assumptions"
    )

    class Meta:
        ordering = ["theory", "id"]
        verbose_name = _("assumption")
        verbose_name_plural = _("assumptions")

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    """How progress on an outcome is known: what, for whom, target, threshold, by when, from where."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    what = models.CharField(_("what is measured"), max_length=300)
    population = models.CharField(_("population"), max_length=300, blank=True)
    target = models.CharField(_("target"), max_length=100, blank=True)
    threshold = models.CharField(_("threshold"), max_length=100, blank=True)
    by_when = models.DateField(_("by when"), null=True, blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)

    class Meta:
        ordering = ["outcome", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.what


# --- Action plan ------------------------------------------------------------------------------


class ActionPlan(Artifact):
    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return _("Action plan of %(team)s") % {"team": self.team}

    def get_absolute_url(self) -> str:
        return reverse("planning:plan", args=[self.team.public_id])


class Objective(models.Model):
    """A SMART objective, linked to the theory-of-change outcome it serves."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField(_("objective"))
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("outcome it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text[:80]


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("step status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("step status", "In progress")
    DONE = "done", pgettext_lazy("step status", "Done")
    BLOCKED = "blocked", _("Blocked")


class ActionStep(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="steps")
    what = models.TextField(_("what"))
    who_person = models.ForeignKey(
        Person,
        verbose_name=_("who (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_steps",
    )
    who_organization = models.ForeignKey(
        Organization,
        verbose_name=_("who (organization)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_steps",
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    resources_available = models.TextField(_("resources available"), blank=True)
    resources_needed = models.TextField(_("resources needed"), blank=True)
    barriers = models.TextField(_("potential barriers or resistance"), blank=True)
    communication = models.TextField(_("communication (who is informed)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("outcome it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention it serves"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["objective", "position", "id"]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="step_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def has_who(self) -> bool:
        return self.who_person_id is not None or self.who_organization_id is not None


# --- Snapshots and comments -------------------------------------------------------------------


class ArtifactKind(models.TextChoices):
    POWER_MAP = "power_map", _("Power map")
    THEORY_OF_CHANGE = "theory_of_change", _("Theory of change")
    ACTION_PLAN = "action_plan", _("Action plan")
    DEFINITION = "definition", _("Definition of precarious work")


class Snapshot(models.Model):
    """A read-only copy of one team artifact at a moment (usually the end of a session)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="snapshots")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots"
    )
    kind = models.CharField(_("artifact"), max_length=30, choices=ArtifactKind.choices)
    label = models.CharField(_("label"), max_length=200)
    version = models.PositiveIntegerField(_("artifact version"), default=1)
    data = models.JSONField(_("content"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(auto_now_add=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["team", "kind", "taken_at", "id"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        indexes = [models.Index(fields=["team", "kind", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


class Comment(models.Model):
    """A remark on a team's artifact, by a facilitator or a member."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("artifact"), max_length=30, choices=ArtifactKind.choices)
    about = models.CharField(
        _("about"),
        max_length=64,
        blank=True,
        help_text=_("The public id of the outcome, actor or step, if any."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planning_comments"
    )
    text = models.TextField(_("comment"))
    is_resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["team", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]

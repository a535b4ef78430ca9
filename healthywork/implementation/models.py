"""Implementation: what teams do with funding and support after the sessions.

Grants (with disbursements and the remaining balance), the technical-assistance log, milestones
(linked to action steps of the team's plan), periodic progress reports, and the policy, systems
and environmental (PSE) changes achieved. Every row belongs to one team; team scoping goes through
`Team.objects.visible_to(user)` in one queryset method per model (`visible_to`). Who may write:
`can_edit_money(user)` (grants, disbursements, assistance: administrators and the cohort's
facilitators) and `Team.can_edit(user)` (milestones, reports, changes: also the team's members).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from healthywork.catalog.models import Initiative
from healthywork.collaborative.models import Team, TeamWorkQuerySet
from healthywork.partners.models import Organization
from healthywork.planning.models import ActionStep


def can_edit_money(user, team: Team) -> bool:
    """Grants, disbursements and the assistance log: administrators and the cohort's facilitators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.can("implementation.manage") or team.cohort.is_facilitator(user)


# --- Grants ----------------------------------------------------------------------------------


class GrantStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Grant(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="grants", verbose_name=_("team"))
    funder = models.ForeignKey(
        Organization,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants_given",
    )
    funder_name = models.CharField(_("funder (if not in the registry)"), max_length=250, blank=True)
    amount = models.DecimalField(
        _("amount awarded"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    start_date = models.DateField(_("period start"))
    end_date = models.DateField(_("period end"))
    purpose = models.TextField(_("purpose"))
    conditions = models.TextField(_("conditions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.AWARDED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="grant_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder_label}: {self.amount} {self.currency}"

    def get_absolute_url(self) -> str:
        return reverse("implementation:grant-detail", args=[self.public_id])

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder_id else self.funder_name

    def clean(self) -> None:
        errors = {}
        if not self.funder_id and not self.funder_name.strip():
            errors["funder"] = _("Choose a funder from the registry or type its name.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The period ends before it starts.")
        other = self.other_currency()
        if other:
            errors["currency"] = _(
                "The other grants of this cohort are in %(currency)s. The team and cohort pages add "
                "amounts up, so one cohort's grants share one currency."
            ) % {"currency": other}
        if errors:
            raise ValidationError(errors)

    def other_currency(self) -> str | None:
        """The currency of the cohort's other grants when it is not this grant's, else None."""
        if not self.team_id or not self.currency:
            return None
        return (
            Grant.objects.filter(team__cohort_id=self.team.cohort_id)
            .exclude(pk=self.pk)
            .exclude(currency=self.currency.upper())
            .values_list("currency", flat=True)
            .first()
        )

    def disbursed(self) -> Decimal:
        return self.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def balance(self) -> Decimal:
        return self.amount - self.disbursed()


class Disbursement(models.Model):
    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    over_award_confirmed = models.BooleanField(
        _("confirmed beyond the award"),
        default=False,
        help_text=_("Set when someone confirmed paying more than the grant's remaining balance."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self) -> str:
        return f"{self.date}: {self.amount}"


# --- Technical assistance --------------------------------------------------------------------


class AssistanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email or written")


class AssistanceKind(models.TextChoices):
    CONTENT = "content", _("Content expert")
    FACILITATION = "facilitation", _("Facilitation")


class AssistanceLog(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assistance_logs", verbose_name=_("team")
    )
    provider_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provider (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_given",
    )
    provider_name = models.CharField(_("provider"), max_length=200)
    provider_organization = models.ForeignKey(
        Organization,
        verbose_name=_("provider's organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_given",
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    mode = models.CharField(_("mode"), max_length=20, choices=AssistanceMode.choices)
    topic = models.CharField(_("topic"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AssistanceKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("technical assistance")
        verbose_name_plural = _("technical assistance")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="assistance_hours_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.provider_name}: {self.topic}"


# --- Milestones and progress reports ---------------------------------------------------------


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Milestone(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("team")
    )
    title = models.CharField(_("milestone"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due"))
    action_step = models.ForeignKey(
        ActionStep,
        verbose_name=_("action step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.status == MilestoneStatus.DONE and not self.completed_on:
            errors["completed_on"] = _("Give the date the milestone was done.")
        if self.completed_on and self.status != MilestoneStatus.DONE:
            errors["status"] = _("A milestone with a completion date is done.")
        if self.action_step_id and self.team_id and self.action_step.objective.plan.team_id != self.team_id:
            errors["action_step"] = _("The action step belongs to another team's plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def on_time(self) -> bool | None:
        """Done by its due date (True), done late (False), not done yet (None)."""
        if self.status != MilestoneStatus.DONE or not self.completed_on:
            return None
        return self.completed_on <= self.due_date


class ProgressReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("team")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    done = models.TextField(_("what was done"))
    challenges = models.TextField(_("challenges"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period_start}–{self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("implementation:report-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class MilestoneUpdate(models.Model):
    """A milestone's status as a progress report gave it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestone_updates")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=MilestoneStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["milestone__due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "milestone"], name="one_update_per_milestone_per_report"
            )
        ]

    # --- PSE changes -----------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.milestone}: {self.get_status_display()}"


class ChangeKind(models.TextChoices):
    POLICY = "policy", _("Policy adopted")
    SYSTEM = "system", _("System changed")
    ENVIRONMENT = "environment", _("Environment changed")


class ChangeLevel(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    STATE = "state", _("State")
    NATIONAL = "national", _("National")


class Change(models.Model):
    """A policy, systems or environmental change a team achieved."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="changes", verbose_name=_("team"))
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    title = models.CharField(_("change"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ChangeLevel.choices)
    date = models.DateField(_("date achieved"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("where it was adopted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes_adopted",
    )
    evidence = models.TextField(_("evidence"), help_text=_("What shows the change happened."))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    workers_reached = models.PositiveIntegerField(_("workers reached"), null=True, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("catalog initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamWorkQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("PSE change")
        verbose_name_plural = _("PSE changes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("implementation:change-detail", args=[self.public_id])

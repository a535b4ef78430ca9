"""The collaborative: cohorts, applications, teams of organizations with their people, sessions
with attendance and materials, deliverables, and each team's definition of precarious work.

Visibility is one rule, in `TeamQuerySet.visible_to`: program staff (ability
"collaborative.view_all": administrators, evaluators) see every team; a facilitator sees the teams
of the cohorts they facilitate; a team member sees their own team, and the other teams of a cohort
only when the cohort shares its work. A team another person may not see answers 404.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.catalog.models import Condition
from healthywork.partners.models import Organization, Person


class CohortStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    APPLICATIONS = "applications", _("Taking applications")
    ACTIVE = "active", pgettext_lazy("cohort status", "Active")
    COMPLETED = "completed", pgettext_lazy("cohort status", "Completed")


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CohortQuerySet":
        """Cohorts are shared reading for signed-in people (their teams' work is not)."""
        return self if getattr(user, "is_authenticated", False) else self.none()


def _application_token() -> str:
    return secrets.token_urlsafe(16)


class Cohort(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=20, choices=CohortStatus.choices, default=CohortStatus.PLANNING
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_cohorts",
    )
    shares_work = models.BooleanField(
        _("teams see each other's work"),
        default=False,
        help_text=_("When on, members of every team of the cohort can read the other teams' artifacts."),
    )
    application_token = models.CharField(
        max_length=40, unique=True, default=_application_token, editable=False
    )
    applications_close = models.DateField(_("applications close"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaborative:cohort-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    def is_facilitator(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and self.facilitators.filter(pk=user.pk).exists()

    def can_manage(self, user) -> bool:
        """Sessions, teams, reviews, snapshots: administrators and the cohort's facilitators."""
        if not getattr(user, "is_authenticated", False):
            return False
        return user.can("collaborative.manage") or self.is_facilitator(user)


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Application(models.Model):
    """An application sent through the cohort's public link (no account needed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    lead_organization_name = models.CharField(_("lead organization"), max_length=250)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization in the registry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    partner_organizations = models.TextField(_("partner organizations"), help_text=_("One per line."))
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    other_contacts = models.TextField(_("other contacts"), blank=True)
    proposed_focus = models.TextField(_("proposed focus"))
    why_now = models.TextField(_("why now"))
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    score = models.PositiveSmallIntegerField(
        _("review score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    review_notes = models.TextField(_("review notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.lead_organization_name} ({self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("collaborative:application-detail", args=[self.public_id])

    @property
    def partner_names(self) -> list[str]:
        return [line.strip() for line in self.partner_organizations.splitlines() if line.strip()]


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TeamQuerySet":
        """The one rule for team-scoped work (see the module docstring)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("collaborative.view_all"):
            return self
        own = Q(people__user=user)
        facilitated = Q(cohort__facilitators=user)
        shared = Q(cohort__shares_work=True, cohort__teams__people__user=user)
        return self.filter(own | facilitated | shared).distinct()


def composition_warnings(families: set[str]) -> list[str]:
    """The rule a team's sector families should meet: health joined with labor or community."""
    warnings = []
    if "health" not in families:
        warnings.append(_("This team has no health-sector organization."))
    if not families & {"labor", "community"}:
        warnings.append(_("This team has no labor or community organization."))
    return warnings


class TeamWorkQuerySet(models.QuerySet):
    """For every model of a team's work (a `team` foreign key): the rows of the teams the user may
    see, by the one rule of `TeamQuerySet.visible_to`."""

    def visible_to(self, user) -> "TeamWorkQuerySet":
        return self.filter(team__in=Team.objects.visible_to(user))


class EPRESDimension(models.TextChoices):
    """The six dimensions of the Employment Precariousness Scale (Vives et al., 2010)."""

    TEMPORARINESS = "temporariness", _("Temporariness")
    DISEMPOWERMENT = "disempowerment", _("Disempowerment")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    WAGES = "wages", _("Wages")
    RIGHTS = "rights", _("Rights")
    EXERCISE_OF_RIGHTS = "exercise_of_rights", _("Exercise of rights")


class Team(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=250)
    focus = models.TextField(_("focus"), blank=True)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="team"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_teams",
    )
    assistance_providers = models.ManyToManyField(
        Organization,
        verbose_name=_("technical-assistance providers"),
        blank=True,
        related_name="assisted_teams",
    )
    # Defining precarious work.
    definition = models.TextField(_("our definition of precarious work"), blank=True)
    definition_conditions = models.ManyToManyField(
        Condition,
        verbose_name=_("healthy-work conditions it covers"),
        blank=True,
        related_name="team_definitions",
    )
    definition_dimensions = models.JSONField(_("EPRES dimensions it covers"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="team_name_once_per_cohort")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaborative:team-detail", args=[self.public_id])

    def is_member(self, user) -> bool:
        return getattr(user, "is_authenticated", False) and self.people.filter(user=user).exists()

    def can_edit(self, user) -> bool:
        """The team's own artifacts: its members who may edit, its cohort's facilitators, administrators."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.can("collaborative.manage") or self.cohort.is_facilitator(user):
            return True
        return self.people.filter(user=user, can_edit=True).exists()

    def can_comment(self, user) -> bool:
        """Facilitators comment on every team's work; members on their own."""
        return self.can_edit(user) or self.is_member(user)

    def composition_warnings(self) -> list[str]:
        """A team should join health with labor or community organizations."""
        return composition_warnings(
            set(self.memberships.values_list("organization__sector__family", flat=True))
        )


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead organization")
    MEMBER = "member", _("Member organization")


class Membership(models.Model):
    """An organization on a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        ordering = ["team", "role", "organization__name"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "organization"], name="team_membership_once")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class TeamPerson(models.Model):
    """A person on a team: a registry person, and the account they sign in with (if any)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_roles",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    can_edit = models.BooleanField(_("may edit the team's work"), default=True)

    class Meta:
        ordering = ["team", "id"]
        verbose_name = _("team person")
        verbose_name_plural = _("team people")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_user_once"),
            models.UniqueConstraint(fields=["team", "person"], name="team_person_once"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(user__isnull=False), name="team_person_is_someone"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.user)


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SessionQuerySet":
        return self.filter(cohort__in=Cohort.objects.visible_to(user))


class Session(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=250, blank=True)
    link = models.URLField(_("online link"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_sessions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="session_number_once")]

    def __str__(self) -> str:
        return _("Session %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("collaborative:session-detail", args=[self.public_id])


def material_upload_path(material: "Material", filename: str) -> str:
    return f"collaborative/materials/{material.session.public_id}/{filename}"


class Material(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to=material_upload_path, blank=True)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="attendance"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    is_present = models.BooleanField(_("present"), default=True)
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"


class DeliverableStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", pgettext_lazy("deliverable status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("deliverable status", "Accepted")


class Deliverable(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="deliverables")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=250)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.NOT_STARTED
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session__number", "team__name", "title"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        indexes = [models.Index(fields=["team", "session"])]

    def __str__(self) -> str:
        return self.title

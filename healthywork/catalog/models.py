import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.core.search import search_document
from healthywork.partners.models import Level, Organization, Population


class PSEClass(models.TextChoices):
    POLICY = "policy", _("Policy")
    SYSTEMS = "systems", _("Systems")
    ENVIRONMENT = "environment", _("Environment")
    INDIVIDUAL = "individual", _("Individual or programmatic")


class TWHLevel(models.TextChoices):
    """The NIOSH Total Worker Health hierarchy of controls, most to least protective."""

    ELIMINATE = "eliminate", _("Eliminate")
    SUBSTITUTE = "substitute", _("Substitute")
    REDESIGN = "redesign", _("Redesign")
    EDUCATE = "educate", _("Educate")
    ENCOURAGE = "encourage", _("Encourage")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", pgettext_lazy("initiative status", "Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", pgettext_lazy("initiative status", "Ended")


class EvidenceRating(models.TextChoices):
    """What Works for Health (County Health Rankings & Roadmaps) evidence ratings."""

    SCIENTIFICALLY_SUPPORTED = "scientifically_supported", _("Scientifically supported")
    SOME_EVIDENCE = "some_evidence", _("Some evidence")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    MIXED_EVIDENCE = "mixed_evidence", _("Mixed evidence")
    EVIDENCE_OF_INEFFECTIVENESS = "evidence_of_ineffectiveness", _("Evidence of ineffectiveness")


class Taxonomy(models.Model):
    """A list of terms administrators can extend and rename."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ActionType(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("action type")
        verbose_name_plural = _("action types")


class Condition(Taxonomy):
    """A healthy-work condition (the Center for Healthy Work's seven)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("healthy-work condition")
        verbose_name_plural = _("healthy-work conditions")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InitiativeQuerySet":
        """The catalog is shared reading for every signed-in person."""
        return self if user.is_authenticated else self.none()

    def involving(self, organization: Organization) -> "InitiativeQuerySet":
        return self.filter(
            Q(lead_organization=organization) | Q(partners__organization=organization)
        ).distinct()


class Initiative(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="led_initiatives",
    )
    action_type = models.ForeignKey(
        ActionType, verbose_name=_("action type"), on_delete=models.PROTECT, related_name="initiatives"
    )
    pse_class = models.CharField(_("PSE class"), max_length=20, choices=PSEClass.choices)
    twh_level = models.CharField(
        _("Total Worker Health level"), max_length=20, choices=TWHLevel.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    geography = models.CharField(_("geography"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    populations = models.ManyToManyField(
        Population, verbose_name=_("worker populations"), blank=True, related_name="initiatives"
    )
    conditions = models.ManyToManyField(
        Condition, verbose_name=_("healthy-work conditions addressed"), blank=True, related_name="initiatives"
    )
    evidence_rating = models.CharField(
        _("evidence rating"), max_length=40, choices=EvidenceRating.choices, blank=True
    )
    links = models.TextField(_("links"), blank=True, help_text=_("Web addresses, one per line."))
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="initiatives")
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this initiative was learned of, for example an interview."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            models.Index(fields=["action_type", "pse_class"]),
            models.Index(fields=["status", "level"]),
            models.Index(fields=["lead_organization"]),
            # The catalog's sorts (facets.SORTS) read the first page off these.
            models.Index(fields=["title", "id"]),
            models.Index(fields=["start_date", "title", "id"]),
            models.Index(fields=["updated_at", "id"]),
            # Each facet without a text query is counted by walking its column's index.
            models.Index(fields=["pse_class"]),
            models.Index(fields=["twh_level"]),
            models.Index(fields=["level"]),
            models.Index(fields=["evidence_rating"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:initiative-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    def refresh_search_text(self, partner_names: list[str] | None = None) -> None:
        """Title, summary, geography and the names of the lead and partner organizations
        (`partner_names` when the caller read them already, for many initiatives at once).

        A new row has no partners yet: the services save it once more after adding them."""
        if partner_names is None:
            partner_names = (
                list(self.partners.values_list("organization__name", flat=True)) if self.pk else []
            )
        lead = self.lead_organization
        self.search_text = search_document(
            self.title,
            self.summary,
            self.geography,
            lead.name if self.lead_organization_id else "",
            " ".join(lead.alias_list) if self.lead_organization_id else "",
            " ".join(partner_names),
        )

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class InitiativePartner(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Co-lead")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        TARGET = "target", _("Target")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="initiative_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["role", "organization__name"]
        verbose_name = _("initiative partner")
        verbose_name_plural = _("initiative partners")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "role"], name="one_role_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) — {self.initiative}"

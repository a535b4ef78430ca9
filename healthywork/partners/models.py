import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.core.search import search_document


class Family(models.TextChoices):
    HEALTH = "health", _("Health")
    LABOR = "labor", _("Labor")
    GOVERNMENT = "government", _("Government")
    COMMUNITY = "community", _("Community")
    LEGAL = "legal", _("Legal")
    RESEARCH = "research", _("Research and education")
    BUSINESS = "business", _("Business")
    PHILANTHROPY = "philanthropy", _("Philanthropy")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    # A context: "State" is also the label of the US-state field, and the two differ in Spanish.
    STATE = "state", pgettext_lazy("organization level", "State")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class SectorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SectorQuerySet":
        return self if user.is_authenticated else self.none()


class Sector(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    description = models.TextField(_("description"), blank=True)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """A group of workers that organizations serve and initiatives reach."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("worker population")
        verbose_name_plural = _("worker populations")

    def __str__(self) -> str:
        return self.name


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by semicolons."""
    return [item.strip() for item in text.replace(";", "\n").splitlines() if item.strip()]


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """Every signed-in person sees the registry; merged-away rows are hidden."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(merged_into__isnull=True)

    def matching_name(self, name: str) -> "OrganizationQuerySet":
        """Organizations whose name or one of whose aliases is `name` (case-insensitive)."""
        key = name.strip().casefold()
        return self.filter(Q(name_key=key) | Q(alias_keys__contains=f"\n{key}\n"))


class Organization(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("Other names, one per line."))
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="organizations"
    )
    subsector = models.CharField(
        _("subsector"),
        max_length=100,
        blank=True,
        help_text=_("For example: worker center, union, health department."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.LOCAL)
    city = models.CharField(_("city"), max_length=100, blank=True)
    county = models.CharField(_("county"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    populations = models.ManyToManyField(
        Population,
        verbose_name=_("worker populations served"),
        blank=True,
        related_name="organizations",
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages the organization works in, separated by semicolons."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the catalog's facet index reads MAX(updated_at) on every search (its data stamp).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        db_index=False,  # a partial index below: almost every row is NULL
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        editable=False,
    )
    # Derived columns for matching and search, rewritten on every save.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    alias_keys = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # The visible registry (not merged away) in list order, by the list's filters.
            models.Index(fields=["name"], condition=Q(merged_into__isnull=True), name="org_visible_name"),
            models.Index(
                fields=["sector", "level", "name"],
                condition=Q(merged_into__isnull=True),
                name="org_visible_sector_level",
            ),
            models.Index(
                fields=["merged_into"], condition=Q(merged_into__isnull=False), name="org_merged_into"
            ),
            models.Index(fields=["state", "name"]),
            models.Index(fields=["level", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organization-detail", args=[self.public_id])

    @property
    def alias_list(self) -> list[str]:
        return split_list(self.aliases)

    @property
    def language_list(self) -> list[str]:
        return split_list(self.languages)

    def refresh_derived(self) -> None:
        self.name_key = self.name.strip().casefold()
        self.alias_keys = "\n" + "".join(f"{a.casefold()}\n" for a in self.alias_list)
        self.search_text = search_document(
            *[
                self.name,
                " ".join(self.alias_list),
                self.sector.name if self.sector_id else "",
                self.subsector,
                self.city,
                self.county,
                self.state,
                self.description,
            ]
        )

    def save(self, *args, **kwargs):
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {
                "name_key",
                "alias_keys",
                "search_text",
            }
        super().save(*args, **kwargs)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """Research and program roles see everyone; others only people who may be contacted."""
        if not user.is_authenticated:
            return self.none()
        if user.can("people.view_all"):
            return self
        return self.filter(may_be_contacted=True)


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    may_be_contacted = models.BooleanField(_("may be contacted"), default=False)
    may_be_named = models.BooleanField(_("may be named in publications"), default=False)
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:person-detail", args=[self.public_id])

    def save(self, *args, **kwargs):
        self.search_text = search_document(self.name, self.email)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    title = models.CharField(_("role or title"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "organization__name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()


class OrganizationMerge(models.Model):
    """A merge of one organization into another, with what moved, so it can be undone."""

    survivor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="merges_received")
    merged = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="merges_given")
    moved = models.JSONField(default=dict, help_text="{app_label.model.field: [pk, ...]} that moved")
    survivor_before = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("organization merge")
        verbose_name_plural = _("organization merges")

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"

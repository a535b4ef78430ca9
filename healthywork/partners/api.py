"""The partner registry as JSON: sectors, organizations and people, with the pages' permissions.

Reads use `visible_to(user)` (a hidden or merged-away record is a 404); writes need the same
ability as the pages and go through `partners.services`, so each writes one audit event. The
payload is checked by the model's own rules (`full_clean`), so an invalid field is a 422 that
names it, never a 500.
"""

from copy import copy
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import StringConstraints

from healthywork.core.apitools import (
    READ_ERRORS,
    WRITE_ERRORS,
    FieldErrors,
    Message,
    PageQuery,
)
from healthywork.core.apitools import api_user as _user
from healthywork.core.apitools import assign as _assign
from healthywork.core.apitools import full_clean as _full_clean
from healthywork.core.apitools import invalid as _invalid
from healthywork.core.apitools import paginate as _paginate
from healthywork.core.apitools import require_ability as _require
from healthywork.core.search import text_search
from healthywork.partners import services
from healthywork.partners.forms import OrganizationFilterForm
from healthywork.partners.models import (
    Affiliation,
    Family,
    Level,
    Organization,
    Person,
    Population,
    Sector,
    split_list,
)

router = Router(tags=["partners"])

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
DERIVED_FIELDS = ["name_key", "alias_keys", "search_text"]


def _by_slug(
    model: type[Sector] | type[Population], slugs: list[str], field: str, errors: dict[str, str]
) -> list[Any]:
    """The rows with these slugs, in order; an unknown slug adds an error listing the valid ones."""
    found = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        valid = ", ".join(model.objects.order_by("slug").values_list("slug", flat=True))
        errors[field] = _("Unknown %(kind)s %(slugs)s. Valid: %(valid)s") % {
            "kind": model._meta.verbose_name,
            "slugs": ", ".join(f"'{slug}'" for slug in unknown),
            "valid": valid,
        }
    return [found[slug] for slug in slugs if slug in found]


def _joined(items: list[str], separator: str) -> str:
    # The same normalising as the form: items may themselves hold ";" or line breaks.
    return separator.join(split_list("\n".join(items)))


# --- Sectors ----------------------------------------------------------------------------------


class SectorOut(Schema):
    slug: str
    name: str
    family: str
    description: str


class SectorPatch(Schema):
    name: Text = ""
    slug: Text = ""
    family: Family = Family.COMMUNITY
    description: Text = ""


class SectorIn(SectorPatch):
    name: Text
    slug: Text
    family: Family


def _save_sector(request: HttpRequest, sector: Sector, payload: SectorPatch, *, partial: bool) -> Sector:
    for field, value in payload.model_dump(exclude_unset=partial).items():
        setattr(sector, field, value)
    _full_clean(sector, {}, exclude=[])
    return services.save_sector(sector, by=_user(request))


@router.get("/sectors", response={200: list[SectorOut], 401: Message}, summary="List sectors")
def list_sectors(request: HttpRequest) -> QuerySet:
    return Sector.objects.visible_to(_user(request))


@router.get("/sectors/{slug}", response={200: SectorOut, **READ_ERRORS}, summary="One sector")
def get_sector(request: HttpRequest, slug: str) -> Sector:
    return get_object_or_404(Sector.objects.visible_to(_user(request)), slug=slug)


@router.post("/sectors", response={201: SectorOut, **WRITE_ERRORS}, summary="Add a sector")
def create_sector(request: HttpRequest, payload: SectorIn) -> Status[Sector]:
    _require(request, "registry.taxonomy")
    return Status(201, _save_sector(request, Sector(), payload, partial=False))


@router.patch("/sectors/{slug}", response={200: SectorOut, **WRITE_ERRORS}, summary="Change a sector")
def update_sector(request: HttpRequest, slug: str, payload: SectorPatch) -> Sector:
    _require(request, "registry.taxonomy")
    sector = get_object_or_404(Sector.objects.visible_to(_user(request)), slug=slug)
    return _save_sector(request, sector, payload, partial=True)


# --- Organizations ----------------------------------------------------------------------------


class OrganizationRef(Schema):
    id: UUID
    name: str

    @staticmethod
    def resolve_id(obj: Organization) -> UUID:
        return obj.public_id


class OrganizationOut(Schema):
    id: UUID
    name: str
    aliases: list[str]
    sector: str
    sector_name: str
    family: str
    subsector: str
    level: str
    city: str
    county: str
    state: str
    website: str
    description: str
    populations: list[str]
    languages: list[str]
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_id(obj: Organization) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_aliases(obj: Organization) -> list[str]:
        return obj.alias_list

    @staticmethod
    def resolve_sector(obj: Organization) -> str:
        return obj.sector.slug

    @staticmethod
    def resolve_sector_name(obj: Organization) -> str:
        return obj.sector.name

    @staticmethod
    def resolve_family(obj: Organization) -> str:
        return obj.sector.family

    @staticmethod
    def resolve_populations(obj: Organization) -> list[str]:
        return [population.slug for population in obj.populations.all()]

    @staticmethod
    def resolve_languages(obj: Organization) -> list[str]:
        return obj.language_list

    @staticmethod
    def resolve_url(obj: Organization) -> str:
        return obj.get_absolute_url()


class OrganizationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganizationOut]


class OrganizationQuery(PageQuery):
    q: str = ""
    sector: str = ""
    family: str = ""
    level: str = ""
    state: str = ""


class OrganizationPatch(Schema):
    name: Text = ""
    aliases: list[Text] = []
    sector: Text = ""
    subsector: Text = ""
    level: Level = Level.LOCAL
    city: Text = ""
    county: Text = ""
    state: Text = ""
    website: Text = ""
    description: Text = ""
    populations: list[Text] = []
    languages: list[Text] = []
    allow_duplicate: bool = False


class OrganizationIn(OrganizationPatch):
    name: Text
    sector: Text


def _organizations(request: HttpRequest) -> QuerySet:
    return (
        Organization.objects.visible_to(_user(request))
        .select_related("sector")
        .prefetch_related("populations")
    )


def _get_organization(request: HttpRequest, public_id: UUID) -> Organization:
    return get_object_or_404(_organizations(request), public_id=public_id)


def _check_duplicate(candidate: Organization, errors: dict[str, str]) -> None:
    """The pages refuse a second record under a known name or alias unless told they differ."""
    others = Organization.objects.filter(merged_into__isnull=True).matching_name(candidate.name)
    other = others.exclude(pk=candidate.pk).first() if candidate.pk else others.first()
    if other is not None:
        errors["name"] = _(
            "An organization with this name or alias already exists: %(name)s (%(id)s). "
            "Change that one, or send allow_duplicate: true if they are different."
        ) % {"name": other.name, "id": other.public_id}


def _organization_data(
    organization: Organization, payload: OrganizationPatch, *, partial: bool
) -> dict[str, Any]:
    """The payload as data for the services, checked as the form checks it; else a 422."""
    data = payload.model_dump(exclude_unset=partial, exclude={"allow_duplicate"})
    errors: dict[str, str] = {}
    if "sector" in data:
        sectors = _by_slug(Sector, [data["sector"]], "sector", errors)
        data["sector"] = sectors[0] if sectors else None
    if "populations" in data:
        data["populations"] = _by_slug(Population, data["populations"], "populations", errors)
    if "aliases" in data:
        data["aliases"] = _joined(data["aliases"], "\n")
    if "languages" in data:
        data["languages"] = _joined(data["languages"], "; ")
    candidate = copy(organization)
    _assign(candidate, data, services.ORGANIZATION_FIELDS, errors)
    if data.get("name") and not payload.allow_duplicate:
        _check_duplicate(candidate, errors)
    _full_clean(candidate, errors, exclude=DERIVED_FIELDS)
    return data


@router.get(
    "/organizations",
    response={200: OrganizationPage, 401: Message, 422: FieldErrors},
    summary="List organizations (filters as on the list page)",
)
def list_organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    form = OrganizationFilterForm(query.model_dump(exclude={"page", "page_size"}))
    if not form.is_valid():
        raise _invalid({field: " ".join(messages) for field, messages in form.errors.items()})
    return _paginate(form.filter(_organizations(request)), query)


@router.get(
    "/organizations/{public_id}",
    response={200: OrganizationOut, **READ_ERRORS},
    summary="One organization",
)
def get_organization(request: HttpRequest, public_id: UUID) -> Organization:
    return _get_organization(request, public_id)


@router.post("/organizations", response={201: OrganizationOut, **WRITE_ERRORS}, summary="Add an organization")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    _require(request, "registry.edit")
    data = _organization_data(Organization(), payload, partial=False)
    return Status(201, services.create_organization(data, by=_user(request)))


@router.patch(
    "/organizations/{public_id}",
    response={200: OrganizationOut, **WRITE_ERRORS},
    summary="Change an organization (only the fields sent)",
)
def update_organization(request: HttpRequest, public_id: UUID, payload: OrganizationPatch) -> Organization:
    _require(request, "registry.edit")
    organization = _get_organization(request, public_id)
    data = _organization_data(organization, payload, partial=True)
    return services.update_organization(organization, data, by=_user(request))


# --- People -----------------------------------------------------------------------------------


class AffiliationOut(Schema):
    organization: OrganizationRef
    title: str
    start_date: date | None
    end_date: date | None


class PersonOut(Schema):
    id: UUID
    name: str
    email: str
    phone: str
    preferred_language: str
    may_be_contacted: bool
    may_be_named: bool
    consent_recorded_on: date | None
    notes: str
    affiliations: list[AffiliationOut]
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_id(obj: Person) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_affiliations(obj: Person) -> list[Affiliation]:
        return list(obj.affiliations.all())

    @staticmethod
    def resolve_url(obj: Person) -> str:
        return obj.get_absolute_url()


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PersonOut]


class PersonQuery(PageQuery):
    q: str = ""
    organization: UUID | None = None


class PersonPatch(Schema):
    name: Text = ""
    email: Text = ""
    phone: Text = ""
    preferred_language: Text = "en"
    may_be_contacted: bool = False
    may_be_named: bool = False
    consent_recorded_on: date | None = None
    notes: Text = ""


class PersonIn(PersonPatch):
    name: Text


def _people(request: HttpRequest) -> QuerySet:
    # Affiliations with a merged-away organization stay hidden, as the organization does.
    affiliations = Affiliation.objects.filter(organization__merged_into__isnull=True).select_related(
        "organization"
    )
    return Person.objects.visible_to(_user(request)).prefetch_related(
        Prefetch("affiliations", queryset=affiliations)
    )


def _get_person(request: HttpRequest, public_id: UUID) -> Person:
    return get_object_or_404(_people(request), public_id=public_id)


def _person_data(person: Person, payload: PersonPatch, *, partial: bool) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=partial)
    candidate = copy(person)
    _assign(candidate, data, services.PERSON_FIELDS, {})
    _full_clean(candidate, {}, exclude=DERIVED_FIELDS)
    return data


@router.get(
    "/people",
    response={200: PersonPage, 401: Message, 422: FieldErrors},
    summary="List people (those your role may see)",
)
def list_people(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    people = text_search(_people(request), query.q)
    if query.organization is not None:
        people = people.filter(affiliations__organization__public_id=query.organization).distinct()
    return _paginate(people, query)


@router.get("/people/{public_id}", response={200: PersonOut, **READ_ERRORS}, summary="One person")
def get_person(request: HttpRequest, public_id: UUID) -> Person:
    return _get_person(request, public_id)


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary="Add a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    _require(request, "registry.edit")
    data = _person_data(Person(), payload, partial=False)
    return Status(201, services.create_person(data, by=_user(request)))


@router.patch(
    "/people/{public_id}",
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Change a person (only the fields sent)",
)
def update_person(request: HttpRequest, public_id: UUID, payload: PersonPatch) -> Person:
    _require(request, "registry.edit")
    person = _get_person(request, public_id)
    data = _person_data(person, payload, partial=True)
    return services.update_person(person, data, by=_user(request))

"""The initiative catalog as JSON: the list with the catalog page's facets as filters, one
initiative, create and change, and the crosstab analysis.

Filters go through `catalog.facets`, so the API, the page, the export and the crosstab select the
same initiatives; unlike the page, the API refuses an unknown class value with a 422 that lists
the valid ones (a typo in a script should not look like an empty result). Writes need the
"catalog.edit" ability and go through `catalog.services`, so each writes one audit event.
Organizations are named by public id, name or alias.
"""

from copy import copy
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet, TextChoices
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import StringConstraints

from healthywork.catalog import analysis, facets, services
from healthywork.catalog import models as catalog_models  # its Status, beside ninja's
from healthywork.catalog.crosstab import DIMENSIONS, count_table
from healthywork.catalog.models import (
    ActionType,
    Condition,
    EvidenceRating,
    Initiative,
    InitiativePartner,
    PSEClass,
    Tag,
    TWHLevel,
)
from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, FieldErrors, Message, PageQuery
from healthywork.core.apitools import api_user as _user
from healthywork.core.apitools import full_clean as _full_clean
from healthywork.core.apitools import invalid as _invalid
from healthywork.core.apitools import paginate as _paginate
from healthywork.core.apitools import require_ability as _require
from healthywork.partners.api import OrganizationRef
from healthywork.partners.models import Level, Organization, Population, Sector

router = Router(tags=["catalog"])

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
EDIT_ABILITY = "catalog.edit"
CROSSTAB_ALPHA = 1.96  # as on the crosstab page: two-sided 5 %
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


# --- Output -----------------------------------------------------------------------------------


class PartnerOut(Schema):
    organization: OrganizationRef
    role: str


class InitiativeOut(Schema):
    id: UUID
    title: str
    summary: str
    lead_organization: OrganizationRef
    sector: str
    sector_family: str
    partners: list[PartnerOut]
    action_type: str
    action_type_name: str
    pse_class: str
    twh_level: str
    level: str
    geography: str
    status: str
    start_date: date | None
    end_date: date | None
    populations: list[str]
    conditions: list[str]
    evidence_rating: str
    links: list[str]
    tags: list[str]
    source: str
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_id(obj: Initiative) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_sector(obj: Initiative) -> str:
        return obj.lead_organization.sector.slug

    @staticmethod
    def resolve_sector_family(obj: Initiative) -> str:
        return obj.lead_organization.sector.family

    @staticmethod
    def resolve_partners(obj: Initiative) -> list[InitiativePartner]:
        return list(obj.partners.all())

    @staticmethod
    def resolve_action_type(obj: Initiative) -> str:
        return obj.action_type.slug

    @staticmethod
    def resolve_action_type_name(obj: Initiative) -> str:
        return obj.action_type.name

    @staticmethod
    def resolve_populations(obj: Initiative) -> list[str]:
        return [population.slug for population in obj.populations.all()]

    @staticmethod
    def resolve_conditions(obj: Initiative) -> list[str]:
        return [condition.slug for condition in obj.conditions.all()]

    @staticmethod
    def resolve_links(obj: Initiative) -> list[str]:
        return obj.link_list

    @staticmethod
    def resolve_tags(obj: Initiative) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: Initiative) -> str:
        return obj.get_absolute_url()


class InitiativePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[InitiativeOut]
    facets: dict[str, dict[str, int]] | None = None


class CrosstabOut(Schema):
    """`analysis.to_json` of the table: see `healthywork analyze crosstab` for the same JSON."""

    rows: list[str]
    cols: list[str]
    counts: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    total: int
    row_percents: list[list[float]]
    col_percents: list[list[float]]
    expected: list[list[float]]
    chi2: float | None
    dof: int
    p_value: float | None
    p_value_method: str | None
    monte_carlo_samples: int | None
    cramers_v: float | None
    residuals: list[list[float | None]]
    low_expected_cells: int
    min_expected: float
    warning: str | None
    findings: list[str]
    finding_cells: list[dict[str, Any]]


# --- Filters ----------------------------------------------------------------------------------


class FilterQuery(Schema):
    """The catalog page's filters; each class may be repeated (`?status=active&status=proposed`)."""

    q: str = ""
    sector: list[str] = []
    sector_family: list[str] = []
    family: list[str] = []  # the partners API's name for the sector family
    action_type: list[str] = []
    pse_class: list[str] = []
    twh_level: list[str] = []
    level: list[str] = []
    status: list[str] = []
    condition: list[str] = []
    population: list[str] = []
    tag: list[str] = []
    evidence_rating: list[str] = []


class InitiativeQuery(FilterQuery, PageQuery):
    sort: str = facets.DEFAULT_SORT
    facets: bool = False


class CrosstabQuery(FilterQuery):
    rows: str = "sector_family"
    cols: str = "action_type"


def _valid_values(facet: facets.Facet) -> list[str]:
    if facet.choices:
        return [value for value, _label in facet.choices]
    if facet.kind == "sector":
        return list(Sector.objects.order_by("slug").values_list("slug", flat=True))
    return list(facet.model.objects.order_by("slug").values_list("slug", flat=True))


def _filter_params(query: FilterQuery) -> dict[str, Any]:
    """The query as `facets` parameters; an unknown class value is a 422 listing the valid ones."""
    params: dict[str, Any] = {"q": query.q}
    for facet in facets.FACETS:
        params[facet.key] = list(getattr(query, facet.key))
    params["sector_family"] += query.family
    errors: dict[str, str] = {}
    for facet in facets.FACETS:
        if facet.key == "tag" or not params[facet.key]:
            continue  # tags are free words: an unknown one simply matches nothing
        valid = _valid_values(facet)
        unknown = [value for value in params[facet.key] if value not in valid]
        if unknown:
            field = "family" if facet.key == "sector_family" and query.family else facet.key
            errors[field] = _unknown_message(unknown, valid)
    if errors:
        raise _invalid(errors)
    return params


def _unknown_message(unknown: list[str], valid: list[str]) -> str:
    return _("Unknown value %(values)s. Valid: %(valid)s") % {
        "values": ", ".join(f"'{value}'" for value in unknown),
        "valid": ", ".join(valid),
    }


def _initiatives(request: HttpRequest) -> QuerySet:
    return Initiative.objects.visible_to(_user(request))


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("lead_organization__sector", "action_type").prefetch_related(
        "populations", "conditions", "tags", "partners__organization"
    )


def _get_initiative(request: HttpRequest, public_id: UUID) -> Initiative:
    return get_object_or_404(_with_relations(_initiatives(request)), public_id=public_id)


# --- Input ------------------------------------------------------------------------------------


class PartnerIn(Schema):
    organization: Text  # a public id, a name or an alias
    role: Text = InitiativePartner.Role.PARTNER


class InitiativePatch(Schema):
    title: Text = ""
    summary: Text = ""
    lead_organization: Text = ""
    action_type: Text = ""
    pse_class: Text = ""
    twh_level: Text = ""
    level: Text = Level.LOCAL
    geography: Text = ""
    status: Text = catalog_models.Status.ACTIVE
    start_date: date | None = None
    end_date: date | None = None
    populations: list[Text] = []
    conditions: list[Text] = []
    evidence_rating: Text = ""
    links: list[Text] = []
    tags: list[Text] = []
    source: Text = ""
    partners: list[PartnerIn] = []


class InitiativeIn(InitiativePatch):
    title: Text
    lead_organization: Text
    action_type: Text
    pse_class: Text


# Class fields checked here rather than by the model, so that the message lists the valid values.
CHOICE_FIELDS: dict[str, tuple[type[TextChoices], bool]] = {
    "pse_class": (PSEClass, False),
    "twh_level": (TWHLevel, True),
    "level": (Level, False),
    "status": (catalog_models.Status, False),
    "evidence_rating": (EvidenceRating, True),
}


def _organization(reference: str, field: str, errors: dict[str, str]) -> Organization | None:
    """The visible organization with this public id, name or alias; else an error on `field`."""
    visible = Organization.objects.filter(merged_into__isnull=True)
    try:
        found = list(visible.filter(public_id=UUID(reference))[:2])
    except ValueError:
        found = list(visible.matching_name(reference)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        errors[field] = _("Several organizations are called “%(name)s”; send its id instead.") % {
            "name": reference
        }
    else:
        errors[field] = _(
            "Unknown organization “%(name)s”: send the id, name or alias of one in the registry."
        ) % {"name": reference}
    return None


def _by_slug(model: type[Any], slugs: list[str], field: str, errors: dict[str, str]) -> list[Any]:
    found = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        errors[field] = _unknown_message(
            unknown, list(model.objects.order_by("slug").values_list("slug", flat=True))
        )
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]


def _tag_names(names: list[str], errors: dict[str, str]) -> list[str]:
    """Tag names once each, whatever their case (a new one becomes a tag once all is valid)."""
    first_spelling: dict[str, str] = {}
    for name in names:
        if name:
            first_spelling.setdefault(name.casefold(), name)
    names = list(first_spelling.values())
    too_long = [name for name in names if len(name) > TAG_MAX_LENGTH]
    if too_long:
        errors["tags"] = _("A tag has at most %(limit)s characters: %(name)s") % {
            "limit": TAG_MAX_LENGTH,
            "name": too_long[0],
        }
    return names


def _tag(name: str) -> Tag:
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


def _links(links: list[str], errors: dict[str, str]) -> str:
    validate = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            validate(link)
        except DjangoValidationError:
            errors["links"] = _("“%(link)s” is not a web address (http:// or https://).") % {"link": link}
    return "\n".join(link for link in links if link)


def _partners(partners: list[PartnerIn], errors: dict[str, str]) -> list[tuple[Organization, str]]:
    resolved = []
    for index, partner in enumerate(partners):
        if partner.role not in InitiativePartner.Role.values:
            errors[f"partners.{index}.role"] = _unknown_message([partner.role], InitiativePartner.Role.values)
        organization = _organization(partner.organization, f"partners.{index}.organization", errors)
        if organization is not None:
            resolved.append((organization, partner.role))
    return resolved


def _initiative_data(
    initiative: Initiative, payload: InitiativePatch, *, partial: bool
) -> tuple[dict[str, Any], list[tuple[Organization, str]] | None]:
    """The payload as data for the services, checked as the form checks it; else a 422 naming
    every bad field at once."""
    data = payload.model_dump(exclude_unset=partial, exclude={"partners"})
    errors: dict[str, str] = {}
    for field, (choices, may_be_blank) in CHOICE_FIELDS.items():
        if field in data and not (may_be_blank and data[field] == "") and data[field] not in choices.values:
            valid = ", ".join(choices.values)
            errors[field] = _("Unknown value '%(value)s'. Valid: %(valid)s") % {
                "value": data[field],
                "valid": valid,
            }
    if "lead_organization" in data:
        data["lead_organization"] = _organization(data["lead_organization"], "lead_organization", errors)
    if "action_type" in data:
        found = _by_slug(ActionType, [data["action_type"]], "action_type", errors)
        data["action_type"] = found[0] if found else None
    if "populations" in data:
        data["populations"] = _by_slug(Population, data["populations"], "populations", errors)
    if "conditions" in data:
        data["conditions"] = _by_slug(Condition, data["conditions"], "conditions", errors)
    if "tags" in data:
        data["tags"] = _tag_names(data["tags"], errors)
    if "links" in data:
        data["links"] = _links(data["links"], errors)
    sent_partners = not partial or "partners" in payload.model_fields_set
    partners = _partners(payload.partners, errors) if sent_partners else None

    candidate = copy(initiative)
    for field in services.INITIATIVE_FIELDS:
        if field in data and field not in errors:
            setattr(candidate, field, data[field])
    # The model's rules: a title, lengths, the end not before the start (fields in error skipped).
    _full_clean(candidate, errors, exclude=["search_text"])
    return data, partners


def _save(request: HttpRequest, initiative: Initiative | None, payload: InitiativePatch) -> Initiative:
    data, partners = _initiative_data(initiative or Initiative(), payload, partial=initiative is not None)
    if "tags" in data:
        data["tags"] = [_tag(name) for name in data["tags"]]
    try:
        if initiative is None:
            initiative = services.create_initiative(data, partners=partners, by=_user(request))
        else:
            initiative = services.update_initiative(initiative, data, partners=partners, by=_user(request))
    except DjangoValidationError as error:  # a rule the checks above missed: still a named 422
        raise _invalid(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from None
    return _get_initiative(request, initiative.public_id)


# --- Endpoints --------------------------------------------------------------------------------


@router.get(
    "/initiatives",
    response={200: InitiativePage, 401: Message, 422: FieldErrors},
    summary="List initiatives (the catalog page's filters; facets=true adds the facet counts)",
)
def list_initiatives(request: HttpRequest, query: Query[InitiativeQuery]) -> dict[str, Any]:
    params = _filter_params(query)
    if query.sort not in facets.SORTS:
        raise _invalid({"sort": _unknown_message([query.sort], list(facets.SORTS))})
    initiatives = facets.sort_initiatives(facets.apply_filters(_initiatives(request), params), query.sort)
    body = _paginate(_with_relations(initiatives), query)
    if query.facets:
        body["facets"] = facets.facet_counts(_initiatives(request), params)
    return body


@router.get(
    "/initiatives/{public_id}", response={200: InitiativeOut, **READ_ERRORS}, summary="One initiative"
)
def get_initiative(request: HttpRequest, public_id: UUID) -> Initiative:
    return _get_initiative(request, public_id)


@router.post("/initiatives", response={201: InitiativeOut, **WRITE_ERRORS}, summary="Add an initiative")
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Status[Initiative]:
    _require(request, EDIT_ABILITY)
    return Status(201, _save(request, None, payload))


@router.patch(
    "/initiatives/{public_id}",
    response={200: InitiativeOut, **WRITE_ERRORS},
    summary="Change an initiative (only the fields sent; partners, if sent, replace the list)",
)
def update_initiative(request: HttpRequest, public_id: UUID, payload: InitiativePatch) -> Initiative:
    _require(request, EDIT_ABILITY)
    # A plain row: the services read its relations afresh, where a prefetched one could be stale.
    return _save(request, get_object_or_404(_initiatives(request), public_id=public_id), payload)


@router.get(
    "/crosstab",
    response={200: CrosstabOut, 401: Message, 422: FieldErrors},
    summary="Count initiatives by two classes, with the chi-square test and its findings",
)
def crosstab(request: HttpRequest, query: Query[CrosstabQuery]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for field in ("rows", "cols"):
        if getattr(query, field) not in DIMENSIONS:
            errors[field] = _("Unknown class '%(value)s'. Valid: %(valid)s") % {
                "value": getattr(query, field),
                "valid": ", ".join(DIMENSIONS),
            }
    if not errors and query.rows == query.cols:
        errors["cols"] = _("Choose a class for the columns other than the one for the rows.")
    if errors:
        raise _invalid(errors)
    initiatives = facets.apply_filters(_initiatives(request), _filter_params(query))
    row_labels, col_labels, counts = count_table(initiatives, query.rows, query.cols)
    result = analysis.crosstab(
        row_labels,
        col_labels,
        counts,
        row_name=str(DIMENSIONS[query.rows].label),
        col_name=str(DIMENSIONS[query.cols].label),
        alpha_residual=CROSSTAB_ALPHA,
    )
    return analysis.to_json(result)

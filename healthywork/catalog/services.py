"""Writes to the catalog: each one transaction and one audit event."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from healthywork.catalog.models import Initiative, InitiativePartner
from healthywork.core import audit
from healthywork.partners.models import Organization

INITIATIVE_FIELDS = [
    "title",
    "summary",
    "lead_organization",
    "action_type",
    "pse_class",
    "twh_level",
    "level",
    "geography",
    "status",
    "start_date",
    "end_date",
    "evidence_rating",
    "links",
    "source",
]
M2M_FIELDS = ["populations", "conditions", "tags"]


def _apply(
    initiative: Initiative, data: dict[str, Any], partners: list[tuple[Organization, str]] | None
) -> None:
    for field in INITIATIVE_FIELDS:
        if field in data:
            setattr(initiative, field, data[field])
    # The model's own rules (choices, lengths, end after start) guard every caller: forms, API, import.
    initiative.full_clean(validate_unique=False, validate_constraints=False)
    initiative.save()
    for field in M2M_FIELDS:
        if data.get(field) is not None:
            getattr(initiative, field).set(data[field])
    if partners is not None:
        initiative.partners.all().delete()
        InitiativePartner.objects.bulk_create(
            [
                InitiativePartner(initiative=initiative, organization=organization, role=role)
                for organization, role in dict.fromkeys(partners)
            ]
        )
        initiative.save(update_fields=["search_text"])  # now with the partners' names


@transaction.atomic
def create_initiative(
    data: dict[str, Any], *, partners: list[tuple[Organization, str]] | None = None, by: Any
) -> Initiative:
    """Create an initiative from cleaned data; `partners` is a list of (organization, role)."""
    initiative = Initiative()
    _apply(initiative, data, partners or [])
    audit.record(by, "create", initiative, audit.diff({}, _snapshot(initiative)))
    return initiative


@transaction.atomic
def update_initiative(
    initiative: Initiative,
    data: dict[str, Any],
    *,
    partners: list[tuple[Organization, str]] | None = None,
    by: Any,
) -> Initiative:
    before = _snapshot(Initiative.objects.get(pk=initiative.pk))
    _apply(initiative, data, partners)
    changes = audit.diff(before, _snapshot(initiative))
    if changes:
        audit.record(by, "change", initiative, changes)
    return initiative


@transaction.atomic
def delete_initiative(initiative: Initiative, *, by: Any) -> None:
    audit.record(by, "delete", initiative, audit.diff(_snapshot(initiative), {}))
    initiative.delete()


BULK_FIELDS = {"action_type", "pse_class", "twh_level", "level", "status", "evidence_rating"}


@transaction.atomic
def bulk_change(initiatives: QuerySet, field: str, value: Any, *, by: Any) -> int:
    """Set one class (for example the PSE class) on every selected initiative; one event each."""
    if field not in BULK_FIELDS:
        raise ValueError(_("This field cannot be changed in bulk: %(field)s") % {"field": field})
    count = 0
    for initiative in initiatives.select_for_update():
        old = getattr(initiative, field)
        if old == value:
            continue
        setattr(initiative, field, value)
        initiative.save(update_fields=[field, "updated_at"])
        audit.record(by, "change", initiative, {field: [str(old), str(value)]}, note=_("bulk change"))
        count += 1
    return count


def _snapshot(initiative: Initiative) -> dict[str, Any]:
    data = audit.snapshot(initiative)
    if initiative.pk:
        data["partners"] = sorted(
            f"{partner.organization.name} ({partner.role})"
            for partner in initiative.partners.select_related("organization")
        )
    return data


@transaction.atomic
def save_term(term: Any, *, by: Any) -> Any:
    """Create or rename an action type or a healthy-work condition (any catalog taxonomy term)."""
    is_new = term.pk is None
    before = {} if is_new else audit.snapshot(type(term).objects.get(pk=term.pk))
    term.save()
    audit.record(by, "create" if is_new else "change", term, audit.diff(before, audit.snapshot(term)))
    return term


@transaction.atomic
def tags_named(names: list[str], *, by: Any) -> list[Any]:
    """The tags with these names (matched whatever their case), the missing ones created."""
    from healthywork.catalog.models import Tag

    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name)
            audit.record(by, "create", tag, audit.diff({}, audit.snapshot(tag)))
        tags.append(tag)
    return tags


def refresh_search_texts_of(organization) -> int:
    """After an organization's name or aliases change, the initiatives it leads or partners in are
    found by its new names (their search text carries the organizations' names). Only the rows
    whose text changes are written; returns how many (three queries, however many initiatives)."""
    changed = []
    initiatives = list(
        Initiative.objects.involving(organization).select_related("lead_organization").order_by("pk")
    )
    partner_names: dict[int, list[str]] = {initiative.pk: [] for initiative in initiatives}
    for initiative_id, name in InitiativePartner.objects.filter(initiative__in=initiatives).values_list(
        "initiative_id", "organization__name"
    ):
        partner_names[initiative_id].append(name)
    for initiative in initiatives:
        before = initiative.search_text
        initiative.refresh_search_text(partner_names[initiative.pk])
        if initiative.search_text != before:
            changed.append(initiative)
    # bulk_update leaves updated_at alone: the initiative itself did not change.
    Initiative.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)

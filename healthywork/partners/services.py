"""Writes to the partner registry: each one transaction and one audit event."""

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.core import audit
from healthywork.partners.models import (
    Affiliation,
    Organization,
    OrganizationMerge,
    Person,
    Population,
    Sector,
    split_list,
)

ORGANIZATION_FIELDS = [
    "name",
    "aliases",
    "sector",
    "subsector",
    "level",
    "city",
    "county",
    "state",
    "website",
    "description",
    "languages",
]
PERSON_FIELDS = [
    "name",
    "email",
    "phone",
    "preferred_language",
    "may_be_contacted",
    "may_be_named",
    "consent_recorded_on",
    "notes",
]


def _assign(obj: models.Model, data: dict[str, Any], fields: list[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


@transaction.atomic
def create_organization(data: dict[str, Any], *, by: Any) -> Organization:
    """Create an organization from cleaned data (populations as a list of Population)."""
    organization = Organization()
    _assign(organization, data, ORGANIZATION_FIELDS)
    organization.save()
    if data.get("populations") is not None:
        organization.populations.set(data["populations"])
    audit.record(by, "create", organization, audit.diff({}, audit.snapshot(organization)))
    return organization


@transaction.atomic
def update_organization(organization: Organization, data: dict[str, Any], *, by: Any) -> Organization:
    # From the database: a bound ModelForm has already copied its data onto `organization`.
    before = audit.snapshot(Organization.objects.get(pk=organization.pk))
    _assign(organization, data, ORGANIZATION_FIELDS)
    organization.save()
    if data.get("populations") is not None:
        organization.populations.set(data["populations"])
    changes = audit.diff(before, audit.snapshot(organization))
    if changes:
        audit.record(by, "change", organization, changes)
    return organization


def _reverse_relations(model: type[models.Model]):
    """Every foreign key, in any installed app, that points at `model` (except bookkeeping)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if relation.related_model in (Organization, OrganizationMerge):
            continue
        yield relation.related_model, relation.field.name


def merge_preview(survivor: Organization, merged: Organization) -> list[tuple[str, int]]:
    """What a merge would move: (kind of record, count) for each kind with any."""
    counts = []
    for related_model, field_name in _reverse_relations(Organization):
        count = related_model._base_manager.filter(**{field_name: merged}).count()
        if count:
            counts.append((str(related_model._meta.verbose_name_plural), count))
    for field in Organization._meta.many_to_many:
        count = getattr(merged, field.name).count()
        if count:
            counts.append((str(field.verbose_name), count))
    return counts


FILLABLE = ["subsector", "city", "county", "state", "website", "description", "languages"]


@transaction.atomic
def merge_organizations(survivor: Organization, merged: Organization, *, by: Any) -> OrganizationMerge:
    """Fold `merged` into `survivor`: every link moves, the name becomes an alias, blanks are filled.

    The merged row stays, hidden, so the merge can be undone (see `undo_merge`). A link that
    cannot move because the survivor already has the same one stays with the merged row.
    """
    if survivor.pk == merged.pk:
        raise ValueError(_("An organization cannot be merged into itself."))
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValueError(_("One of these organizations has already been merged."))
    moved: dict[str, list[int]] = {}
    kept: dict[str, list[int]] = {}
    for related_model, field_name in _reverse_relations(Organization):
        key = f"{related_model._meta.label_lower}.{field_name}"
        for pk in related_model._base_manager.filter(**{field_name: merged}).values_list("pk", flat=True):
            try:
                with transaction.atomic():
                    related_model._base_manager.filter(pk=pk).update(**{field_name: survivor})
                moved.setdefault(key, []).append(pk)
            except IntegrityError:
                kept.setdefault(key, []).append(pk)
    for field in Organization._meta.many_to_many:
        existing = set(getattr(survivor, field.name).values_list("pk", flat=True))
        added = [pk for pk in getattr(merged, field.name).values_list("pk", flat=True) if pk not in existing]
        getattr(survivor, field.name).add(*added)
        moved[f"m2m.{field.name}"] = added

    survivor_changes: dict[str, list[str]] = {}
    new_aliases = survivor.alias_list + [
        name
        for name in [merged.name, *merged.alias_list]
        if name.casefold() not in {a.casefold() for a in [survivor.name, *survivor.alias_list]}
    ]
    if new_aliases != survivor.alias_list:
        survivor_changes["aliases"] = [survivor.aliases, "\n".join(new_aliases)]
    for field in FILLABLE:
        if not getattr(survivor, field) and getattr(merged, field):
            survivor_changes[field] = [getattr(survivor, field), getattr(merged, field)]
    for field, (_old, new) in survivor_changes.items():
        setattr(survivor, field, new)
    survivor.save()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    merge = OrganizationMerge.objects.create(
        survivor=survivor,
        merged=merged,
        moved=moved,
        survivor_before=survivor_changes,
        created_by=by,
    )
    audit.record(
        by,
        "merge",
        survivor,
        {"merged": [None, merged.name], **survivor_changes},
        note=_("merged %(name)s into this organization") % {"name": merged.name},
    )
    audit.record(
        by,
        "merge",
        merged,
        {"merged_into": [None, survivor.name]},
        note=_("merged into %(name)s") % {"name": survivor.name}
        + (
            _("; %(count)s links stayed (already on the survivor)") % {"count": sum(map(len, kept.values()))}
            if kept
            else ""
        ),
    )
    return merge


@transaction.atomic
def undo_merge(merge: OrganizationMerge, *, by: Any) -> Organization:
    """Give the merged organization back its links and undo the survivor's filled-in fields."""
    if merge.undone_at:
        raise ValueError(_("This merge has already been undone."))
    survivor, merged = merge.survivor, merge.merged
    for key, pks in merge.moved.items():
        if key.startswith("m2m."):
            getattr(survivor, key[4:]).remove(*pks)
            getattr(merged, key[4:]).add(*pks)
            continue
        app_label, model_name, field_name = key.split(".")
        from django.apps import apps

        related_model = apps.get_model(app_label, model_name)
        related_model._base_manager.filter(pk__in=pks, **{field_name: survivor}).update(
            **{field_name: merged}
        )
    for field, (old, new) in merge.survivor_before.items():
        if getattr(survivor, field) == new:
            setattr(survivor, field, old)
    survivor.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    audit.record(by, "unmerge", survivor, {"merged": [merged.name, None]})
    audit.record(by, "unmerge", merged, {"merged_into": [survivor.name, None]})
    return merged


@transaction.atomic
def create_person(data: dict[str, Any], *, by: Any) -> Person:
    person = Person()
    _assign(person, data, PERSON_FIELDS)
    person.save()
    audit.record(by, "create", person, audit.diff({}, audit.snapshot(person)))
    return person


@transaction.atomic
def update_person(person: Person, data: dict[str, Any], *, by: Any) -> Person:
    # From the database: a bound ModelForm has already copied its data onto `person`.
    before = audit.snapshot(Person.objects.get(pk=person.pk))
    _assign(person, data, PERSON_FIELDS)
    person.save()
    changes = audit.diff(before, audit.snapshot(person))
    if changes:
        audit.record(by, "change", person, changes)
    return person


@transaction.atomic
def save_affiliation(affiliation: Affiliation, *, by: Any) -> Affiliation:
    is_new = affiliation.pk is None
    before = {} if is_new else audit.snapshot(Affiliation.objects.get(pk=affiliation.pk))
    affiliation.full_clean()
    affiliation.save()
    audit.record(
        by,
        "create" if is_new else "change",
        affiliation,
        audit.diff(before, audit.snapshot(affiliation)),
    )
    return affiliation


@transaction.atomic
def delete_affiliation(affiliation: Affiliation, *, by: Any) -> None:
    audit.record(by, "delete", affiliation, audit.diff(audit.snapshot(affiliation), {}))
    affiliation.delete()


@transaction.atomic
def save_sector(sector: Sector, *, by: Any) -> Sector:
    """Create or rename a sector; organizations' search text follows a rename."""
    is_new = sector.pk is None
    before = {} if is_new else audit.snapshot(Sector.objects.get(pk=sector.pk))
    sector.save()
    if not is_new and before.get("name") != sector.name:
        for organization in sector.organizations.select_related("sector"):
            organization.save(update_fields=["search_text"])
    audit.record(by, "create" if is_new else "change", sector, audit.diff(before, audit.snapshot(sector)))
    return sector


@transaction.atomic
def save_population(population: Population, *, by: Any) -> Population:
    is_new = population.pk is None
    before = {} if is_new else audit.snapshot(Population.objects.get(pk=population.pk))
    population.save()
    audit.record(
        by,
        "create" if is_new else "change",
        population,
        audit.diff(before, audit.snapshot(population)),
    )
    return population


__all__ = [
    "create_organization",
    "update_organization",
    "merge_organizations",
    "undo_merge",
    "merge_preview",
    "create_person",
    "update_person",
    "save_affiliation",
    "delete_affiliation",
    "save_sector",
    "save_population",
    "split_list",
]

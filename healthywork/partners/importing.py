"""Import of organizations from CSV or XLSX: a preview row by row, then all of it or nothing.

`preview_organizations(table, choices)` decides for every row what would happen (create, update,
merge, skip or refuse) and why, without writing; `apply_organizations(preview, by=...)` writes a
preview that has no refused row, in one transaction.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.core import tabular
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.partners import services
from healthywork.partners.models import Level, Organization, Population, Sector, split_list

COLUMNS = [
    "id",
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
    "populations",
    "languages",
]
REQUIRED_COLUMNS = ["name", "sector"]
# Lazy: this dict is built at import time, but its labels must follow each request's language.
DUPLICATE_CHOICES = {
    "update": gettext_lazy("update the existing organization with this row"),
    "merge": gettext_lazy(
        "fill only the existing organization's empty fields, and keep this name as an alias"
    ),
    "skip": gettext_lazy("skip this row"),
}


@dataclass
class RowResult:
    number: int
    name: str
    action: str = "create"  # create | update | merge | skip | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    existing: Organization | None = None
    duplicate_of: Organization | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


@dataclass
class Preview(ImportPreview):
    ACTIONS = ("create", "update", "merge", "skip", "refuse")


class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self) -> None:
        self.sectors: dict[str, Sector] = {}
        for sector in Sector.objects.all():
            self.sectors[sector.slug.casefold()] = sector
            self.sectors[sector.name.casefold()] = sector
        self.sector_names = sorted(Sector.objects.values_list("name", flat=True))
        self.populations: dict[str, Population] = {}
        for population in Population.objects.all():
            self.populations[population.slug.casefold()] = population
            self.populations[population.name.casefold()] = population
        self.levels = {value: value for value in Level.values}
        self.levels.update({str(label).casefold(): value for value, label in Level.choices})
        self.by_key: dict[str, Organization] = {}
        for organization in Organization.objects.filter(merged_into__isnull=True).only(
            "id", "public_id", "name", "alias_keys", "name_key"
        ):
            self.by_key.setdefault(organization.name_key, organization)
            for alias in organization.alias_keys.split("\n"):
                if alias:
                    self.by_key.setdefault(alias, organization)


def preview_organizations(
    table: Table, choices: dict[int, str] | None = None, default_choice: str | None = None
) -> Preview:
    """What importing `table` would do. `choices` maps a row number to update/merge/skip for rows
    that duplicate an existing organization; without a choice such a row is refused."""
    choices = choices or {}
    preview = Preview(rows=[])
    problem = tabular.missing_columns(table, REQUIRED_COLUMNS, COLUMNS)
    if problem:
        preview.file_errors.append(problem)
        return preview
    unknown = [header for header in table.headers if header not in COLUMNS]
    if unknown:
        preview.warnings.append(
            _("These columns are not used and will be ignored: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if not table.rows:
        preview.file_errors.append(_("The file has a header but no rows."))
        return preview
    lookups = _Lookups()
    seen: dict[str, int] = {}
    for number, values in table.rows:
        row = _check_row(number, values, lookups)
        key = row.name.strip().casefold()
        if key and key in seen and not row.errors:
            row.errors.append(
                (
                    "name",
                    _("The same organization is already on row %(row)s of this file.") % {"row": seen[key]},
                )
            )
        seen.setdefault(key, number)
        if row.errors:
            row.action = "refuse"
        elif row.duplicate_of is not None:
            choice = choices.get(number, default_choice)
            if choice in DUPLICATE_CHOICES:
                row.action = choice
                row.existing = row.duplicate_of if choice != "skip" else None
            else:
                row.action = "refuse"
                row.errors.append(
                    (
                        "name",
                        _("An organization named “%(name)s” already exists. Choose update, merge or skip.")
                        % {"name": row.duplicate_of.name},
                    )
                )
        preview.rows.append(row)
    return preview


def _check_row(number: int, values: dict[str, str], lookups: _Lookups) -> RowResult:
    name = values.get("name", "").strip()
    row = RowResult(number=number, name=name)
    data: dict[str, Any] = {}
    if not name:
        row.errors.append(("name", _("The name is missing.")))
    elif len(name) > 200:
        row.errors.append(("name", _("The name is longer than 200 characters.")))
    data["name"] = name

    sector_value = values.get("sector", "").strip()
    sector = lookups.sectors.get(sector_value.casefold())
    if sector is None:
        message = (
            _("The sector is missing.")
            if not sector_value
            else _("Unknown sector “%(value)s”.") % {"value": sector_value}
        )
        row.errors.append(
            (
                "sector",
                message + " " + _("Valid sectors: %(valid)s.") % {"valid": ", ".join(lookups.sector_names)},
            )
        )
    data["sector"] = sector

    level_value = values.get("level", "").strip()
    if level_value:
        level = lookups.levels.get(level_value.casefold())
        if level is None:
            row.errors.append(
                (
                    "level",
                    _("Unknown level “%(value)s”. Valid levels: %(valid)s.")
                    % {"value": level_value, "valid": ", ".join(Level.values)},
                )
            )
        data["level"] = level
    website = values.get("website", "").strip()
    if website:
        if "://" not in website:
            website = "https://" + website
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            row.errors.append(
                ("website", _("“%(value)s” is not a web address.") % {"value": values["website"]})
            )
        data["website"] = website
    populations = []
    for item in split_list(values.get("populations", "")):
        population = lookups.populations.get(item.casefold())
        if population is None:
            row.errors.append(
                (
                    "populations",
                    _("Unknown worker population “%(value)s”. Valid: %(valid)s.")
                    % {
                        "value": item,
                        "valid": ", ".join(sorted({p.name for p in lookups.populations.values()})),
                    },
                )
            )
        else:
            populations.append(population)
    if "populations" in values:
        data["populations"] = populations
    for column, limit in (("subsector", 100), ("city", 100), ("county", 100), ("state", 50)):
        if column in values:
            if len(values[column]) > limit:
                row.errors.append((column, _("Longer than %(limit)s characters.") % {"limit": limit}))
            data[column] = values[column]
    if "description" in values:
        data["description"] = values["description"]
    if "aliases" in values:
        data["aliases"] = "\n".join(split_list(values["aliases"]))
    if "languages" in values:
        data["languages"] = "; ".join(split_list(values["languages"]))

    public_id = values.get("id", "").strip()
    if public_id:
        existing = (
            Organization.objects.filter(public_id=public_id, merged_into__isnull=True).first()
            if _is_uuid(public_id)
            else None
        )
        if existing is None:
            row.errors.append(("id", _("No organization has the id “%(value)s”.") % {"value": public_id}))
        else:
            row.action = "update"
            row.existing = existing
    elif name:
        keys = [
            name.casefold(),
            *(alias.casefold() for alias in split_list(values.get("aliases", ""))),
        ]
        for key in keys:
            if key in lookups.by_key:
                row.duplicate_of = lookups.by_key[key]
                break
    row.data = data
    return row


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def apply_organizations(preview: Preview, *, by: Any, filename: str = "") -> dict[str, int]:
    """Write a refusal-free preview in one transaction; returns the count per action."""
    if not preview.can_apply:
        raise ValueError(_("The import has refused rows; nothing was written."))
    for row in preview.rows:
        if row.action == "create":
            services.create_organization(row.data, by=by)
        elif row.action == "update":
            services.update_organization(row.existing, row.data, by=by)
        elif row.action == "merge":
            organization = row.existing
            fill = {
                key: value
                for key, value in row.data.items()
                if key not in ("name", "sector", "aliases", "populations")
                and value
                and not getattr(organization, key)
            }
            aliases = organization.alias_list
            for alias in [row.name, *split_list(row.data.get("aliases", ""))]:
                if alias.casefold() not in {a.casefold() for a in [organization.name, *aliases]}:
                    aliases.append(alias)
            fill["aliases"] = "\n".join(aliases)
            if row.data.get("populations"):
                fill["populations"] = list({*organization.populations.all(), *row.data["populations"]})
            services.update_organization(organization, fill, by=by)
    return preview.summary()

"""Import of initiatives from CSV, XLSX or JSON: a preview row by row, then all of it or nothing.

`preview_initiatives(table, ...)` decides for every row what would happen (create, update, skip
or refuse) and why, and lists the organizations the file names that the registry does not know,
each with the choice to create it or map it to an existing one; it writes nothing.
`apply_initiatives(preview, by=...)` writes a preview without refused rows in one transaction:
the new organizations first, then the initiatives.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.catalog import services
from healthywork.catalog.models import (
    ActionType,
    Condition,
    EvidenceRating,
    Initiative,
    InitiativePartner,
    PSEClass,
    Status,
    Tag,
    TWHLevel,
)
from healthywork.core import tabular
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.partners import services as partner_services
from healthywork.partners.models import Level, Organization, Population, Sector, split_list

COLUMNS = [
    "id",
    "title",
    "summary",
    "lead_organization",
    "partners",
    "action_type",
    "pse_class",
    "twh_level",
    "level",
    "geography",
    "status",
    "start_date",
    "end_date",
    "populations",
    "conditions",
    "evidence_rating",
    "links",
    "tags",
    "source",
]
REQUIRED_COLUMNS = ["title", "lead_organization"]
# Lazy: built at import time, but the labels must follow each request's language.
DUPLICATE_CHOICES = {
    "update": gettext_lazy("update the existing initiative with this row"),
    "skip": gettext_lazy("skip this row"),
}
ORGANIZATION_ACTIONS = ("create", "map")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PARTNER_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")
CHOICE_COLUMNS: dict[str, type[TextChoices]] = {
    "pse_class": PSEClass,
    "twh_level": TWHLevel,
    "level": Level,
    "status": Status,
    "evidence_rating": EvidenceRating,
}
LENGTH_LIMITS = {"title": 250, "geography": 200, "source": 300}


class OrganizationChoice(NamedTuple):
    """What to do with an organization the registry does not know: create it in `sector`
    (a slug or name), or map it to the existing organization called `target` (name or alias)."""

    action: str  # "" (unresolved) | create | map
    sector: str = ""
    target: str = ""


@dataclass
class MissingOrganization:
    name: str  # as first written in the file
    rows: list[int] = field(default_factory=list)
    choice: OrganizationChoice = OrganizationChoice("")
    sector: Sector | None = None  # when it is to be created
    organization: Organization | None = None  # when it is mapped
    error: str = ""

    @property
    def key(self) -> str:
        return _key(self.name)

    @property
    def is_resolved(self) -> bool:
        return self.sector is not None or self.organization is not None


# A row names an organization either as a registry row or as the key of a MissingOrganization.
OrganizationRef = Organization | str


@dataclass
class RowResult:
    number: int
    title: str
    lead_name: str = ""
    action: str = "create"  # create | update | skip | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    existing: Initiative | None = None
    duplicate_of: Initiative | None = None
    data: dict[str, Any] = field(default_factory=dict)
    lead: OrganizationRef | None = None
    partners: list[tuple[OrganizationRef, str]] | None = None  # None: the column is absent
    missing_keys: dict[str, str] = field(default_factory=dict)  # key: the column naming it
    create_errors: list[tuple[str, str]] = field(default_factory=list)  # refuse it if it creates

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


@dataclass
class Preview(ImportPreview):
    missing: list[MissingOrganization] = field(default_factory=list)


def _key(name: str) -> str:
    return name.strip().casefold()


class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self, table: Table) -> None:
        self.action_types = _by_name_and_slug(ActionType.objects.all())
        self.populations = _by_name_and_slug(Population.objects.all())
        self.conditions = _by_name_and_slug(Condition.objects.all())
        self.sectors = _by_name_and_slug(Sector.objects.all())
        self.choices = {column: _choice_keys(choices) for column, choices in CHOICE_COLUMNS.items()}
        self.roles = _choice_keys(InitiativePartner.Role)
        self.roles["co-lead"] = InitiativePartner.Role.LEAD
        self.organizations: dict[str, list[Organization]] = {}
        for organization in Organization.objects.filter(merged_into__isnull=True).only(
            "id", "public_id", "name", "name_key", "alias_keys"
        ):
            keys = {organization.name_key, *(key for key in organization.alias_keys.split("\n") if key)}
            for key in keys:
                self.organizations.setdefault(key, []).append(organization)
        public_ids = {values.get("id", "").strip() for _number, values in table.rows}
        self.initiatives = {
            str(initiative.public_id): initiative
            for initiative in Initiative.objects.filter(
                public_id__in=[value for value in public_ids if _is_uuid(value)]
            ).select_related("lead_organization")
        }

    def valid(self, items: dict[str, Any]) -> str:
        return ", ".join(sorted({str(item) for item in items.values()}))


def _by_name_and_slug(queryset) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in queryset:
        found[item.slug.casefold()] = item
        found[item.name.casefold()] = item
    return found


def _choice_keys(choices: type[TextChoices]) -> dict[str, str]:
    """A class value from its value or its label, in any case, with - or space for _."""
    keys: dict[str, str] = {}
    for value, label in choices.choices:
        for text in (value, str(label)):
            keys[text.casefold()] = value
            keys[text.casefold().replace("_", " ")] = value
            keys[text.casefold().replace("_", "-")] = value
    return keys


def preview_initiatives(
    table: Table,
    choices: dict[int, str] | None = None,
    default_choice: str | None = None,
    organizations: dict[str, OrganizationChoice] | None = None,
    default_organization: OrganizationChoice | None = None,
) -> Preview:
    """What importing `table` would do, without writing.

    `choices` maps a row number to update or skip for a row with the title and lead of an
    existing initiative (without a choice such a row is refused). `organizations` maps an
    unknown organization's name (case-folded) to an OrganizationChoice; a row that needs an
    unresolved one is refused.
    """
    choices = choices or {}
    organizations = organizations or {}
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
    lookups = _Lookups(table)
    missing: dict[str, MissingOrganization] = {}
    for number, values in table.rows:
        preview.rows.append(_check_row(number, values, lookups, missing))
    for organization in missing.values():
        _resolve(organization, organizations.get(organization.key, default_organization), lookups)
    preview.missing = list(missing.values())
    for row in preview.rows:
        _link_missing(row, missing)
    _decide(preview.rows, choices, default_choice)
    return preview


def _check_row(
    number: int, values: dict[str, str], lookups: _Lookups, missing: dict[str, MissingOrganization]
) -> RowResult:
    title = values.get("title", "").strip()
    row = RowResult(number=number, title=title, lead_name=values.get("lead_organization", "").strip())
    data: dict[str, Any] = {"title": title}
    if not title:
        row.errors.append(("title", _("The title is missing.")))

    public_id = values.get("id", "").strip()
    if public_id:
        row.existing = lookups.initiatives.get(public_id)
        if row.existing is None:
            row.errors.append(("id", _("No initiative has the id “%(value)s”.") % {"value": public_id}))
        else:
            row.action = "update"
    is_new = not public_id

    for column, limit in LENGTH_LIMITS.items():
        if len(values.get(column, "").strip()) > limit:
            row.errors.append((column, _("Longer than %(limit)s characters.") % {"limit": limit}))
    for column in ("summary", "geography", "source"):
        if column in values:
            data[column] = values[column].strip()

    row.lead = _organization(row, "lead_organization", row.lead_name, lookups, missing)
    if not row.lead_name:
        row.errors.append(("lead_organization", _("The lead organization is missing.")))
    if "partners" in values:
        row.partners = _partners(row, values["partners"], lookups, missing)

    action_type_value = values.get("action_type", "").strip()
    if action_type_value:
        data["action_type"] = lookups.action_types.get(action_type_value.casefold())
        if data["action_type"] is None:
            row.errors.append(
                (
                    "action_type",
                    _("Unknown action type “%(value)s”. Valid action types: %(valid)s.")
                    % {"value": action_type_value, "valid": lookups.valid(lookups.action_types)},
                )
            )
    else:
        _missing(
            row,
            values,
            "action_type",
            _("The action type is missing. Valid action types: %(valid)s.")
            % {"valid": lookups.valid(lookups.action_types)},
            is_new,
        )

    for column, choices in CHOICE_COLUMNS.items():
        _check_choice(row, data, values, column, choices, lookups, is_new)

    for column in ("start_date", "end_date"):
        if column in values:
            data[column] = _date(row, column, values[column].strip())

    for column, known, label in (
        ("populations", lookups.populations, _("worker population")),
        ("conditions", lookups.conditions, _("healthy-work condition")),
    ):
        if column not in values:
            continue
        items = []
        for item in split_list(values[column]):
            found = known.get(item.casefold())
            if found is None:
                row.errors.append(
                    (
                        column,
                        _("Unknown %(kind)s “%(value)s”. Valid: %(valid)s.")
                        % {"kind": label, "value": item, "valid": lookups.valid(known)},
                    )
                )
            else:
                items.append(found)
        data[column] = list(dict.fromkeys(items))

    if "links" in values:
        data["links"] = "\n".join(_links(row, values["links"]))
    if "tags" in values:
        tags = list(dict.fromkeys(split_list(values["tags"])))
        for tag in tags:
            if len(tag) > 60:
                row.errors.append(
                    ("tags", _("The tag “%(value)s” is longer than 60 characters.") % {"value": tag})
                )
        data["tags"] = tags
    row.data = data
    return row


def _check_choice(
    row: RowResult,
    data: dict[str, Any],
    values: dict[str, str],
    column: str,
    choices: type[TextChoices],
    lookups: _Lookups,
    is_new: bool,
) -> None:
    text = values.get(column, "").strip()
    valid = ", ".join(choices.values)
    if text:
        value = lookups.choices[column].get(text.casefold())
        if value is None:
            row.errors.append(
                (
                    column,
                    _("Unknown value “%(value)s”. Valid values: %(valid)s.")
                    % {"value": text, "valid": valid},
                )
            )
        data[column] = value
    elif column == "pse_class":
        _missing(
            row,
            values,
            column,
            _("The PSE class is missing. Valid values: %(valid)s.") % {"valid": valid},
            is_new,
        )
    elif column in ("twh_level", "evidence_rating") and column in values:
        data[column] = ""  # optional classes: an empty cell clears them
    # An empty level or status keeps the default (new rows) or the current value (updates).


def _missing(row: RowResult, values: dict[str, str], column: str, message: str, is_new: bool) -> None:
    """A required value is missing: an empty cell cannot blank it; an absent column is refused
    only if the row turns out to create an initiative (not if it updates a duplicate)."""
    if column in values:
        row.errors.append((column, message))
    elif is_new:
        row.create_errors.append((column, message))


def _date(row: RowResult, column: str, text: str) -> date | None:
    if not text:
        return None
    if not ISO_DATE.match(text):
        row.errors.append(
            (
                column,
                _("“%(value)s” is not a date written YYYY-MM-DD (for example 2024-03-31).") % {"value": text},
            )
        )
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        row.errors.append((column, _("“%(value)s” is not a real date.") % {"value": text}))
        return None


def _links(row: RowResult, text: str) -> list[str]:
    links = []
    for link in split_list(text):
        address = link if "://" in link else "https://" + link
        try:
            URLValidator(schemes=["http", "https"])(address)
        except ValidationError:
            row.errors.append(("links", _("“%(value)s” is not a web address.") % {"value": link}))
            continue
        links.append(address)
    return links


def _organization(
    row: RowResult, column: str, name: str, lookups: _Lookups, missing: dict[str, MissingOrganization]
) -> OrganizationRef | None:
    """The registry's organization called `name` (or with that alias), else the key of a
    missing organization that the preview will offer to create or map."""
    if not name:
        return None
    if len(name) > 200:
        row.errors.append((column, _("An organization name is longer than 200 characters.")))
        return None
    key = _key(name)
    found = lookups.organizations.get(key, [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        row.errors.append(
            (
                column,
                _("Several organizations are called “%(name)s”; merge the duplicates first.")
                % {"name": name},
            )
        )
        return None
    entry = missing.setdefault(key, MissingOrganization(name=name))
    if row.number not in entry.rows:
        entry.rows.append(row.number)
    row.missing_keys.setdefault(key, column)
    return key


def _partners(
    row: RowResult, text: str, lookups: _Lookups, missing: dict[str, MissingOrganization]
) -> list[tuple[OrganizationRef, str]]:
    """ "Org A (partner); Org B (funder)": the role in parentheses is optional (partner)."""
    partners = []
    for item in split_list(text):
        name, role = item, InitiativePartner.Role.PARTNER.value
        match = PARTNER_ROLE.match(item)
        if match:
            role_text = match["role"].strip().casefold()
            if role_text in lookups.roles:
                name, role = match["name"].strip(), lookups.roles[role_text]
            elif _key(item) not in lookups.organizations and (
                _key(match["name"]) in lookups.organizations
                or re.fullmatch(r"[a-z-]+", match["role"].strip())
            ):
                # "Known Org (sponsor)": a role that is not one, rather than a new organization.
                row.errors.append(
                    (
                        "partners",
                        _("Unknown role “%(role)s” for %(name)s. Valid roles: %(valid)s.")
                        % {
                            "role": match["role"].strip(),
                            "name": match["name"].strip(),
                            "valid": ", ".join(InitiativePartner.Role.values),
                        },
                    )
                )
                continue
        organization = _organization(row, "partners", name, lookups, missing)
        if organization is not None:
            partners.append((organization, role))
    return partners


def _resolve(organization: MissingOrganization, choice: OrganizationChoice | None, lookups: _Lookups) -> None:
    if choice is None or choice.action not in ORGANIZATION_ACTIONS:
        return
    organization.choice = choice
    if choice.action == "create":
        organization.sector = lookups.sectors.get(choice.sector.strip().casefold()) if choice.sector else None
        if organization.sector is None:
            valid = ", ".join(sorted({sector.slug for sector in lookups.sectors.values()}))
            organization.error = (
                _("Unknown sector “%(value)s”. Valid sectors: %(valid)s.")
                % {"value": choice.sector, "valid": valid}
                if choice.sector
                else _("Choose the sector of the organization to create.")
            )
        return
    target = choice.target.strip()
    found = lookups.organizations.get(_key(target), []) if target else []
    if len(found) == 1:
        organization.organization = found[0]
    elif not target:
        organization.error = _("Type the name or alias of the organization to map it to.")
    elif found:
        organization.error = _("Several organizations are called “%(name)s”; merge the duplicates first.") % {
            "name": target
        }
    else:
        organization.error = _("No organization is called “%(name)s”.") % {"name": target}


def _link_missing(row: RowResult, missing: dict[str, MissingOrganization]) -> None:
    """Mapped organizations replace their key; unresolved ones refuse the row."""

    def resolved(reference: OrganizationRef | None) -> OrganizationRef | None:
        if isinstance(reference, str) and missing[reference].organization is not None:
            return missing[reference].organization
        return reference

    row.lead = resolved(row.lead)
    if row.partners is not None:
        row.partners = [(resolved(reference), role) for reference, role in row.partners]
    for key, column in row.missing_keys.items():
        if not missing[key].is_resolved:
            row.errors.append(
                (
                    column,
                    _("No organization is called “%(name)s”: create it or map it to an existing one.")
                    % {"name": missing[key].name},
                )
            )


def _decide(rows: list[RowResult], choices: dict[int, str], default_choice: str | None) -> None:
    leads = {row.lead.pk for row in rows if isinstance(row.lead, Organization)}
    existing: dict[tuple[str, int], Initiative] = {}
    for initiative in Initiative.objects.filter(lead_organization_id__in=leads).order_by("pk"):
        existing.setdefault((_key(initiative.title), initiative.lead_organization_id), initiative)
    seen: dict[tuple[str, str], int] = {}
    seen_ids: dict[int, int] = {}
    for row in rows:
        lead_key = str(row.lead.pk) if isinstance(row.lead, Organization) else f"new:{row.lead}"
        same = seen.setdefault((_key(row.title), lead_key), row.number)
        if row.title and row.lead is not None and same != row.number and not row.existing:
            row.errors.append(
                ("title", _("The same initiative is already on row %(row)s of this file.") % {"row": same})
            )
        if row.existing is not None:
            first = seen_ids.setdefault(row.existing.pk, row.number)
            if first != row.number:
                row.errors.append(
                    ("id", _("The same initiative is already on row %(row)s of this file.") % {"row": first})
                )
        if not row.errors and row.existing is None and isinstance(row.lead, Organization):
            row.duplicate_of = existing.get((_key(row.title), row.lead.pk))
            if row.duplicate_of is not None:
                choice = choices.get(row.number, default_choice)
                if choice == "update":
                    row.action, row.existing = "update", row.duplicate_of
                elif choice == "skip":
                    row.action = "skip"
                else:
                    row.errors.append(
                        (
                            "title",
                            _(
                                "An initiative with this title and lead organization already exists. "
                                "Choose update or skip."
                            ),
                        )
                    )
        if not row.errors and row.action == "create":
            row.errors.extend(row.create_errors)
        if not row.errors and row.action != "skip":
            _check_dates(row)
        if row.errors:
            row.action = "refuse"


def _check_dates(row: RowResult) -> None:
    def effective(column: str) -> date | None:
        if column in row.data:
            return row.data[column]
        return getattr(row.existing, column) if row.existing is not None else None

    start, end = effective("start_date"), effective("end_date")
    if start and end and end < start:
        row.errors.append(
            (
                "end_date",
                _("The end date %(end)s is before the start date %(start)s.")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def apply_initiatives(preview: Preview, *, by: Any) -> dict[str, int]:
    """Write a refusal-free preview in one transaction; returns the count per action.

    The organizations chosen for creation come first (only those a written row needs), then
    each initiative through the catalog's services, so each gets its own audit event."""
    if not preview.can_apply:
        raise ValueError(_("The import has refused rows; nothing was written."))
    written = [row for row in preview.rows if row.action in ("create", "update")]
    needed = {
        reference
        for row in written
        for reference in [row.lead, *(reference for reference, _role in row.partners or [])]
        if isinstance(reference, str)
    }
    created: dict[str, Organization] = {}
    for organization in preview.missing:
        if organization.key in needed and organization.sector is not None:
            created[organization.key] = partner_services.create_organization(
                {"name": organization.name, "sector": organization.sector}, by=by
            )

    def resolved(reference: OrganizationRef) -> Organization:
        return created[reference] if isinstance(reference, str) else reference

    tags: dict[str, Tag] = {}
    for row in written:
        data = dict(row.data)
        data["lead_organization"] = resolved(row.lead)
        if "tags" in data:
            data["tags"] = [_tag(name, tags) for name in data["tags"]]
        partners = (
            None
            if row.partners is None
            else [(resolved(reference), role) for reference, role in row.partners]
        )
        try:
            if row.action == "create":
                services.create_initiative(data, partners=partners, by=by)
            else:
                services.update_initiative(row.existing, data, partners=partners, by=by)
        except ValidationError as error:
            messages = "; ".join(
                f"{column}: {' '.join(texts)}" for column, texts in error.message_dict.items()
            )
            raise ValueError(
                _("Row %(row)s: %(message)s Nothing was written.") % {"row": row.number, "message": messages}
            ) from None
    return preview.summary()


def _tag(name: str, cache: dict[str, Tag]) -> Tag:
    key = name.casefold()
    if key not in cache:
        cache[key] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    return cache[key]

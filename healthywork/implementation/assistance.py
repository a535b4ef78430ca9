"""The technical-assistance log: writes (one transaction, one audit event each), the list's
filters, totals by team, provider and topic, the export table and the import with preview.

Import columns: team, provider, provider_organization, date, hours, mode, topic, kind, notes. A
row's team is matched by name (any case) among the teams the importing person may see and may
write money for; mode and kind by value or label. Every bad row is named with its reason and
nothing is written while any row is refused (all of it or nothing).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import tabular
from healthywork.core.audit import diff, record, snapshot
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.implementation.models import AssistanceKind, AssistanceLog, AssistanceMode, can_edit_money
from healthywork.partners.models import Organization

FIELDS = [
    "team",
    "provider_user",
    "provider_name",
    "provider_organization",
    "date",
    "hours",
    "mode",
    "topic",
    "kind",
    "notes",
]
COLUMNS = ["team", "provider", "provider_organization", "date", "hours", "mode", "topic", "kind", "notes"]
REQUIRED_COLUMNS = ["team", "provider", "date", "hours", "mode", "topic", "kind"]
FILTER_NAMES = ["cohort", "team", "provider", "topic", "kind", "mode", "date_from", "date_to"]
MAX_HOURS = Decimal("9999.99")
MIN_HOURS = Decimal("0.25")
EARLIEST = date(1990, 1, 1)


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def create_entry(data: dict[str, Any], *, by: Any) -> AssistanceLog:
    entry = AssistanceLog(
        **{name: data[name] for name in FIELDS if name in data},
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    entry.save()
    record(by, "create", entry, {"after": snapshot(entry)})
    return entry


@transaction.atomic
def update_entry(entry: AssistanceLog, data: dict[str, Any], *, by: Any) -> AssistanceLog:
    entry = AssistanceLog.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry)
    for name in FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    entry.save()
    changes = diff(before, snapshot(entry))
    if changes:
        record(by, "change", entry, changes)
    return entry


@transaction.atomic
def delete_entry(entry: AssistanceLog, *, by: Any) -> None:
    record(by, "delete", entry, {"before": snapshot(entry)})
    entry.delete()


# --- Filters and totals -----------------------------------------------------------------------


def filtered(queryset: QuerySet, params: dict[str, Any]) -> QuerySet:
    """Apply the list's filters (already cleaned: model instances, dates, choice values, text)."""
    if params.get("cohort"):
        queryset = queryset.filter(team__cohort=params["cohort"])
    if params.get("team"):
        queryset = queryset.filter(team=params["team"])
    if params.get("provider"):
        queryset = queryset.filter(provider_name__icontains=params["provider"])
    if params.get("topic"):
        queryset = queryset.filter(topic__icontains=params["topic"])
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    if params.get("mode"):
        queryset = queryset.filter(mode=params["mode"])
    if params.get("date_from"):
        queryset = queryset.filter(date__gte=params["date_from"])
    if params.get("date_to"):
        queryset = queryset.filter(date__lte=params["date_to"])
    return queryset


def totals(queryset: QuerySet) -> dict[str, list[dict[str, Any]]]:
    """Hours and entries by team, by provider and by topic (most hours first), three queries."""
    base = queryset.order_by()

    def grouped(*names: str) -> list[dict[str, Any]]:
        rows = base.values(*names).annotate(hours=Sum("hours"), entries=Count("pk"))
        return sorted(rows, key=lambda row: (-row["hours"], [str(row[name]) for name in names]))

    return {
        "team": grouped("team__name", "team__cohort__name"),
        "provider": grouped("provider_name"),
        "topic": grouped("topic"),
    }


def chart_spec(by_team: list[dict[str, Any]]) -> dict[str, Any]:
    """A Vega-Lite bar chart of hours by team (the table beside it holds the same numbers)."""
    values = [{"team": row["team__name"], "hours": float(row["hours"])} for row in by_team]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Technical-assistance hours by team"),
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "width": "container",
        "encoding": {
            "y": {"field": "team", "type": "nominal", "sort": "-x", "title": _("Team")},
            "x": {"field": "hours", "type": "quantitative", "title": _("Hours")},
        },
    }


# --- Export -----------------------------------------------------------------------------------


def export_rows(queryset: QuerySet) -> tuple[list[str], list[list[Any]]]:
    """The entries as a table in the import's columns (plus the cohort), so a file goes back in."""
    headers = [*COLUMNS[:1], "cohort", *COLUMNS[1:]]
    rows = [
        [
            entry.team.name,
            entry.team.cohort.name,
            entry.provider_name,
            entry.provider_organization.name if entry.provider_organization_id else "",
            entry.date.isoformat(),
            str(entry.hours),
            entry.mode,
            entry.topic,
            entry.kind,
            entry.notes,
        ]
        for entry in queryset.select_related("team__cohort", "provider_organization").order_by("date", "pk")
    ]
    return headers, rows


# --- Import -----------------------------------------------------------------------------------


@dataclass
class AssistanceRow:
    number: int
    values: dict[str, str]
    action: str = "create"  # create | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    data: dict[str, Any] = field(default_factory=dict)


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _choice(choices, text: str) -> str | None:
    wanted = _key(text)
    for value, label in choices.choices:
        if wanted in {_key(value), _key(value.replace("_", " ")), _key(str(label))}:
            return value
    return None


def _teams_for(user: Any) -> QuerySet:
    """The teams an import may name: all of them for the command line (no user), else the
    teams the user may see (whether the user may write money for each is checked per row)."""
    teams = Team.objects.all() if user is None else Team.objects.visible_to(user)
    return teams.select_related("cohort")


def preview_import(table: Table, *, by: Any = None) -> ImportPreview:
    """What importing `table` would do, without writing anything."""
    preview = ImportPreview(rows=[])
    problem = tabular.missing_columns(table, REQUIRED_COLUMNS, COLUMNS)
    if problem:
        preview.file_errors.append(problem)
        return preview
    if not table.rows:
        preview.file_errors.append(_("The file has no rows under its header."))
        return preview
    teams: dict[str, list[Team]] = {}
    for team in _teams_for(by):
        teams.setdefault(_key(team.name), []).append(team)
    organizations: dict[str, list[Organization]] = {}
    for organization in Organization.objects.filter(merged_into__isnull=True).only(
        "id", "name", "name_key", "alias_keys"
    ):
        for key in {organization.name_key, *(key for key in organization.alias_keys.split("\n") if key)}:
            organizations.setdefault(key, []).append(organization)
    for number, values in table.rows:
        preview.rows.append(_check_row(number, values, teams, organizations, by))
    return preview


def _check_row(number: int, values: dict[str, str], teams, organizations, by) -> AssistanceRow:
    row = AssistanceRow(
        number=number, values={column: (values.get(column) or "").strip() for column in COLUMNS}
    )
    text = row.values
    errors = row.errors
    data = row.data
    found = teams.get(_key(text["team"]), []) if text["team"] else []
    if not text["team"]:
        errors.append(("team", _("The team is missing.")))
    elif not found:
        message = (
            _("No team is called “%(name)s”.")
            if by is None
            else _("No team you may see is called “%(name)s”.")
        )
        errors.append(("team", message % {"name": text["team"]}))
    elif len(found) > 1:
        errors.append(
            (
                "team",
                _("Several teams are called “%(name)s” (in different cohorts).") % {"name": text["team"]},
            )
        )
    elif by is not None and not can_edit_money(by, found[0]):
        errors.append(("team", _("You may not record assistance for “%(name)s”.") % {"name": found[0].name}))
    else:
        data["team"] = found[0]
    if not text["provider"]:
        errors.append(("provider", _("The provider is missing.")))
    elif len(text["provider"]) > 200:
        errors.append(("provider", _("The provider's name is longer than 200 characters.")))
    else:
        data["provider_name"] = text["provider"]
    data["provider_organization"] = None
    if text["provider_organization"]:
        matches = organizations.get(_key(text["provider_organization"]), [])
        if len(matches) != 1:
            message = (
                _("No organization is called “%(name)s”.")
                if not matches
                else _("Several organizations are called “%(name)s”.")
            )
            errors.append(("provider_organization", message % {"name": text["provider_organization"]}))
        else:
            data["provider_organization"] = matches[0]
    try:
        on = date.fromisoformat(text["date"])
    except ValueError:
        errors.append(("date", _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text["date"]}))
    else:
        if on < EARLIEST or on > date.today():
            errors.append(
                ("date", _("%(value)s is not a plausible date (future or too old).") % {"value": on})
            )
        else:
            data["date"] = on
    try:
        hours = Decimal(text["hours"].replace(",", "."))
        if not hours.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors.append(("hours", _("“%(value)s” is not a number of hours.") % {"value": text["hours"]}))
    else:
        if hours < MIN_HOURS or hours > MAX_HOURS:
            errors.append(
                ("hours", _("Hours run from 0.25 to 9999.99; %(value)s is not.") % {"value": hours})
            )
        elif hours != hours.quantize(Decimal("0.01")):
            errors.append(("hours", _("Give hours with at most two decimals.")))
        else:
            data["hours"] = hours
    for column, choices in (("mode", AssistanceMode), ("kind", AssistanceKind)):
        value = _choice(choices, text[column])
        if value is None:
            errors.append(
                (
                    column,
                    _("“%(value)s” is not one of: %(valid)s.")
                    % {"value": text[column], "valid": ", ".join(choices.values)},
                )
            )
        else:
            data[column] = value
    if not text["topic"]:
        errors.append(("topic", _("The topic is missing.")))
    elif len(text["topic"]) > 200:
        errors.append(("topic", _("The topic is longer than 200 characters.")))
    else:
        data["topic"] = text["topic"]
    data["notes"] = text["notes"]
    if errors:
        row.action = "refuse"
    return row


@transaction.atomic
def apply_import(preview: ImportPreview, *, by: Any) -> dict[str, int]:
    """Write a preview with no refused row, all of it in one transaction."""
    if not preview.can_apply:
        raise ValueError(_("Nothing was written: some rows are refused."))
    for row in preview.rows:
        create_entry(row.data, by=by)
    return preview.summary()

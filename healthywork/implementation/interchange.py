"""The implementation's kinds for `healthywork import` and `healthywork export`.

`healthywork import assistance FILE [--dry-run]` reads CSV, XLSX or a JSON list of objects with the
columns team, provider, provider_organization, date, hours, mode, topic, kind, notes (teams
matched by name among all teams; all rows or none). `healthywork export assistance` writes the
log (filters as on the list page: cohort and team by name, provider, topic, kind, mode,
date_from, date_to); `healthywork export grants` writes one row per grant with its disbursed total
and balance (filters: cohort, team, status).
"""

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from healthywork.collaborative.models import Cohort, Team
from healthywork.core import tabular
from healthywork.core.tabular import Table
from healthywork.implementation import assistance, grants
from healthywork.implementation.models import (
    AssistanceKind,
    AssistanceLog,
    AssistanceMode,
    Grant,
    GrantStatus,
)

GRANT_COLUMNS = [
    "team",
    "cohort",
    "funder",
    "funder_in_registry",
    "amount",
    "currency",
    "start_date",
    "end_date",
    "status",
    "purpose",
    "conditions",
    "disbursed",
    "balance",
    "disbursements",
]


class ImportReport(NamedTuple):
    summary: dict[str, int]
    problems: list[tuple[int | None, str, str]]
    warnings: list[str]
    is_written: bool


def import_assistance(
    table: Table, *, dry_run: bool = False, on_duplicate: str | None = None, by: Any = None, **options: Any
) -> ImportReport:
    """Import technical-assistance entries, all rows or none (each row is a new entry)."""
    empty = {"create": 0, "update": 0, "merge": 0, "skip": 0, "refuse": 0}
    if on_duplicate is not None:
        message = _("Assistance entries are always added; --on-duplicate is not offered.")
        return ImportReport(empty, [(None, "", message)], [], False)
    if options.get("create_missing"):
        message = _("Assistance entries do not create organizations: add them to the registry first.")
        return ImportReport(empty, [(None, "", message)], [], False)
    preview = assistance.preview_import(table, by=by)
    problems: list[tuple[int | None, str, str]] = [(None, "", message) for message in preview.file_errors]
    for row in preview.refused:
        for column, message in row.errors:
            problems.append((row.number, column, message))
    is_written = preview.can_apply and not dry_run
    if is_written:
        assistance.apply_import(preview, by=by)
    return ImportReport({**empty, **preview.summary()}, problems, list(preview.warnings), is_written)


def _check_filters(filters: dict[str, str], valid: tuple[str, ...]) -> None:
    unknown = sorted(set(filters) - set(valid))
    if unknown:
        raise ValueError(
            _("Unknown filter %(names)s. Valid filters: %(valid)s.")
            % {"names": ", ".join(unknown), "valid": ", ".join(valid)}
        )


def _by_name(model, value: str, label: str):
    found = list(model.objects.filter(name__iexact=value.strip())[:2])
    if len(found) != 1:
        raise ValueError(
            (
                _("No %(what)s is called “%(value)s”.")
                if not found
                else _("Several %(what)s are called “%(value)s”.")
            )
            % {"what": label, "value": value}
        )
    return found[0]


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("%(name)s must be a date (YYYY-MM-DD), not “%(value)s”.") % {"name": name, "value": value}
        ) from None


def _choice(value: str, choices, name: str) -> str:
    if value not in choices.values:
        raise ValueError(
            _("Unknown %(name)s “%(value)s”. Valid values: %(valid)s.")
            % {"name": name, "value": value, "valid": ", ".join(choices.values)}
        )
    return value


def export_assistance(fmt: str, filters: dict[str, str]) -> bytes:
    """The technical-assistance log as a table (the import's columns plus the cohort)."""
    _check_filters(filters, tuple(assistance.FILTER_NAMES))
    params: dict[str, Any] = {}
    if filters.get("cohort"):
        params["cohort"] = _by_name(Cohort, filters["cohort"], _("cohort"))
    if filters.get("team"):
        params["team"] = _team_in(params.get("cohort"), filters["team"])
    for name in ("provider", "topic"):
        if filters.get(name):
            params[name] = filters[name]
    if filters.get("kind"):
        params["kind"] = _choice(filters["kind"], AssistanceKind, "kind")
    if filters.get("mode"):
        params["mode"] = _choice(filters["mode"], AssistanceMode, "mode")
    for name in ("date_from", "date_to"):
        if filters.get(name):
            params[name] = _date(filters[name], name)
    rows = assistance.filtered(AssistanceLog.objects.all(), params)
    headers, table = assistance.export_rows(rows)
    return tabular.export_bytes(fmt, headers, table)[0]


def _team_in(cohort: Cohort | None, name: str) -> Team:
    if cohort is None:
        return _by_name(Team, name, _("team"))
    team = Team.objects.filter(cohort=cohort, name__iexact=name.strip()).first()
    if team is None:
        raise ValueError(
            _("No team of %(cohort)s is called “%(value)s”.") % {"cohort": cohort.name, "value": name}
        )
    return team


def export_grants(fmt: str, filters: dict[str, str]) -> bytes:
    """One row per grant with what was disbursed and the remaining balance."""
    _check_filters(filters, ("cohort", "team", "status"))
    rows = Grant.objects.select_related("team__cohort", "funder").order_by(
        "team__cohort__name", "team__name", "start_date", "pk"
    )
    if filters.get("cohort"):
        rows = rows.filter(team__cohort=_by_name(Cohort, filters["cohort"], _("cohort")))
    if filters.get("team"):
        rows = rows.filter(team__name__iexact=filters["team"].strip())
    if filters.get("status"):
        rows = rows.filter(status=_choice(filters["status"], GrantStatus, "status"))
    rows = list(rows)
    disbursed = grants.disbursed_by_grant([grant.pk for grant in rows])
    counts: dict[int, int] = {}
    for grant_id in grants.Disbursement.objects.filter(grant__in=rows).values_list("grant_id", flat=True):
        counts[grant_id] = counts.get(grant_id, 0) + 1
    table = [
        [
            grant.team.name,
            grant.team.cohort.name,
            grant.funder_label,
            "yes" if grant.funder_id else "no",
            str(grant.amount),
            grant.currency,
            grant.start_date.isoformat(),
            grant.end_date.isoformat(),
            grant.status,
            grant.purpose,
            grant.conditions,
            str(disbursed[grant.pk]),
            str(grant.amount - disbursed.get(grant.pk, Decimal("0"))),
            counts.get(grant.pk, 0),
        ]
        for grant in rows
    ]
    return tabular.export_bytes(fmt, GRANT_COLUMNS, table)[0]


IMPORTERS = {"assistance": import_assistance}
EXPORTERS = {"assistance": export_assistance, "grants": export_grants}

"""The partner registry's kinds for `healthywork import` and `healthywork export`.

`core` cannot name this app, so its commands look for `IMPORTERS` and `EXPORTERS` in every
installed app's `interchange` module. An importer takes a `Table` and returns an `ImportReport`
(plain data the command prints); an exporter takes a format and filters and returns bytes.
"""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from healthywork.core.tabular import Table
from healthywork.partners import exporting, importing
from healthywork.partners.forms import OrganizationFilterForm
from healthywork.partners.models import Organization


class ImportReport(NamedTuple):
    summary: dict[str, int]  # count per action: create, update, merge, skip, refuse
    problems: list[tuple[int | None, str, str]]  # (row number, or None for the file; column; why)
    warnings: list[str]
    is_written: bool


def import_organizations(
    table: Table, *, dry_run: bool = False, on_duplicate: str | None = None, by: Any = None
) -> ImportReport:
    """Import organizations, all rows or none: nothing is written when any row is refused.

    A row that matches an existing organization by name or alias is refused unless
    `on_duplicate` (update, merge or skip) says what to do with it.
    """
    preview = importing.preview_organizations(table, default_choice=on_duplicate)
    problems: list[tuple[int | None, str, str]] = [(None, "", message) for message in preview.file_errors]
    for row in preview.refused:
        for column, message in row.errors:
            if row.is_duplicate and column == "name" and on_duplicate is None:
                message += " " + _("(Give --on-duplicate update, merge or skip.)")
            problems.append((row.number, column, message))
    is_written = preview.can_apply and not dry_run
    if is_written:
        importing.apply_organizations(preview, by=by)
    return ImportReport(preview.summary(), problems, preview.warnings, is_written)


def export_organizations(fmt: str, filters: dict[str, str]) -> bytes:
    """Every current organization (or those matching the list page's filters: q, sector,
    family, level, state) in the importer's columns, as CSV, XLSX or JSON."""
    form = OrganizationFilterForm(filters)
    unknown = sorted(set(filters) - set(form.fields))
    if unknown:
        raise ValueError(
            _("Unknown filter %(names)s. Valid filters: %(valid)s.")
            % {"names": ", ".join(unknown), "valid": ", ".join(form.fields)}
        )
    if not form.is_valid():
        raise ValueError(" ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    organizations = form.filter(Organization.objects.filter(merged_into__isnull=True))
    content, _content_type = exporting.export_organizations(organizations, fmt)
    return content


IMPORTERS = {"organizations": import_organizations}
EXPORTERS = {"organizations": export_organizations}

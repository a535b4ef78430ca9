"""The catalog's kinds for `healthywork import` and `healthywork export`.

The core commands look for `IMPORTERS` and `EXPORTERS` in every installed app's `interchange`
module. An importer takes a `Table` and returns an `ImportReport` (plain data the command
prints); an exporter takes a format and filters and returns bytes.
"""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from healthywork.catalog import exporting, facets, importing
from healthywork.catalog.models import Initiative
from healthywork.core.tabular import Table
from healthywork.partners.models import Sector

DUPLICATE_CHOICES = ("update", "skip")


class ImportReport(NamedTuple):
    summary: dict[str, int]  # count per action: create, update, merge (always 0), skip, refuse
    problems: list[tuple[int | None, str, str]]  # (row number, or None for the file; column; why)
    warnings: list[str]
    is_written: bool


def import_initiatives(
    table: Table,
    *,
    dry_run: bool = False,
    on_duplicate: str | None = None,
    by: Any = None,
    create_missing: str | None = None,
) -> ImportReport:
    """Import initiatives, all rows or none: nothing is written when any row is refused.

    A row with the title and lead organization of an existing initiative is refused unless
    `on_duplicate` (update or skip) says what to do with it. An organization the registry does
    not know refuses its rows, unless `create_missing` names the sector (slug or name) to
    create every such organization in.
    """
    empty = {"create": 0, "update": 0, "merge": 0, "skip": 0, "refuse": 0}
    if on_duplicate is not None and on_duplicate not in DUPLICATE_CHOICES:
        message = _("Initiatives can be updated or skipped on a duplicate, not “%(value)s”.") % {
            "value": on_duplicate
        }
        return ImportReport(empty, [(None, "", message)], [], False)
    default_organization = None
    if create_missing:
        sector = (
            Sector.objects.filter(slug=create_missing).first()
            or Sector.objects.filter(name__iexact=create_missing).first()
        )
        if sector is None:
            valid = ", ".join(Sector.objects.order_by("slug").values_list("slug", flat=True))
            message = _("Unknown sector “%(value)s” for --create-missing. Valid sectors: %(valid)s.") % {
                "value": create_missing,
                "valid": valid,
            }
            return ImportReport(empty, [(None, "", message)], [], False)
        default_organization = importing.OrganizationChoice("create", sector=sector.slug)
    preview = importing.preview_initiatives(
        table, default_choice=on_duplicate, default_organization=default_organization
    )
    problems: list[tuple[int | None, str, str]] = [(None, "", message) for message in preview.file_errors]
    for row in preview.refused:
        for column, message in row.errors:
            if row.is_duplicate and column == "title" and on_duplicate is None:
                message += " " + _("(Give --on-duplicate update or skip.)")
            problems.append((row.number, column, message))
    unresolved = [organization.name for organization in preview.missing if not organization.is_resolved]
    if unresolved:
        problems.append(
            (
                None,
                "",
                _(
                    "Organizations not in the registry: %(names)s. Add them first, or give "
                    "--create-missing SECTOR to create them in that sector."
                )
                % {"names": "; ".join(unresolved)},
            )
        )
    is_written = preview.can_apply and not dry_run
    if is_written:
        importing.apply_initiatives(preview, by=by)
    return ImportReport({**preview.summary(), "merge": 0}, problems, preview.warnings, is_written)


def export_initiatives(fmt: str, filters: dict[str, str]) -> bytes:
    """Every initiative (or those the catalog page's filters keep: q and the facets) in the
    importer's columns, as CSV, XLSX or JSON."""
    unknown = sorted(set(filters) - set(facets.FILTER_NAMES))
    if unknown:
        raise ValueError(
            _("Unknown filter %(names)s. Valid filters: %(valid)s.")
            % {"names": ", ".join(unknown), "valid": ", ".join(facets.FILTER_NAMES)}
        )
    initiatives = exporting.filter_initiatives(Initiative.objects.all(), filters)
    content, _content_type = exporting.export_initiatives(initiatives, fmt)
    return content


IMPORTERS = {"initiatives": import_initiatives}
EXPORTERS = {"initiatives": export_initiatives}

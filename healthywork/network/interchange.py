"""The network's kinds for `healthywork import` and `healthywork export`.

`healthywork import ties FILE [--dry-run]` reads CSV, XLSX or a JSON list of objects with the
columns source, target, kind, level, directed, provenance, wave, note; every row names its wave
(the core command has no per-kind options). Kumu-style JSON (an object, not a list) is imported
on the web page, where the wave is chosen. `healthywork export ties --filter wave=NAME` writes
a wave's ties; `--filter format=gexf|graphml|kumu` gives a graph file instead of the table.
"""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from healthywork.core.tabular import Table
from healthywork.network import exporting, importing
from healthywork.network.models import Wave
from healthywork.network.ties import FILTER_NAMES


class ImportReport(NamedTuple):
    summary: dict[str, int]  # count per action: create, update and merge (always 0), skip, refuse
    problems: list[tuple[int | None, str, str]]  # (row number, or None for the file; column; why)
    warnings: list[str]
    is_written: bool


def import_ties(
    table: Table, *, dry_run: bool = False, on_duplicate: str | None = None, by: Any = None, **options: Any
) -> ImportReport:
    """Import ties, all rows or none: nothing is written when any row is refused. A row that
    repeats a stored tie is skipped (ties are never updated by an import)."""
    empty = {"create": 0, "update": 0, "merge": 0, "skip": 0, "refuse": 0}
    if on_duplicate not in (None, "skip"):
        message = _("A tie already stored is always skipped; --on-duplicate %(value)s is not offered.") % {
            "value": on_duplicate
        }
        return ImportReport(empty, [(None, "", message)], [], False)
    if options.get("create_missing"):
        message = _("Ties do not create organizations: add them to the registry first.")
        return ImportReport(empty, [(None, "", message)], [], False)
    preview = importing.preview_ties(table)
    problems: list[tuple[int | None, str, str]] = [(None, "", message) for message in preview.file_errors]
    for row in preview.refused:
        for column, message in row.errors:
            problems.append((row.number, column, message))
    warnings = list(preview.warnings) + [
        _("Row %(row)s skipped: %(reason)s") % {"row": row.number, "reason": row.reason}
        for row in preview.rows
        if row.action == "skip"
    ]
    is_written = preview.can_apply and not dry_run
    if is_written:
        importing.apply_ties(preview, by=by)
    return ImportReport({**empty, **preview.summary()}, problems, warnings, is_written)


def export_ties(fmt: str, filters: dict[str, str]) -> bytes:
    """A wave's ties (filter wave=NAME; the latest wave when there is one wave only) with the
    tie list's filters; format=gexf, graphml or kumu overrides the table format."""
    valid = ("wave", "format", *FILTER_NAMES)
    unknown = sorted(set(filters) - set(valid))
    if unknown:
        raise ValueError(
            _("Unknown filter %(names)s. Valid filters: %(valid)s.")
            % {"names": ", ".join(unknown), "valid": ", ".join(valid)}
        )
    names = ", ".join(Wave.objects.values_list("name", flat=True)) or _("none")
    name = filters.get("wave", "")
    if name:
        wave = Wave.objects.filter(name__iexact=name).first()
        if wave is None:
            raise ValueError(
                _("Unknown wave “%(value)s”. Valid waves: %(valid)s.") % {"value": name, "valid": names}
            )
    elif Wave.objects.count() == 1:
        wave = Wave.objects.get()
    else:
        raise ValueError(_("Choose the wave with --filter wave=NAME. Waves: %(valid)s.") % {"valid": names})
    graph_format = filters.get("format", "")
    if graph_format and graph_format not in exporting.GRAPH_FORMATS:
        raise ValueError(
            _("Unknown format “%(value)s”. Valid graph formats: %(valid)s.")
            % {"value": graph_format, "valid": ", ".join(exporting.GRAPH_FORMATS)}
        )
    params = {key: value for key, value in filters.items() if key in FILTER_NAMES}
    content, _content_type = exporting.export_ties(wave, params, graph_format or fmt)
    return content


IMPORTERS = {"ties": import_ties}
EXPORTERS = {"ties": export_ties}

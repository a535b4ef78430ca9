"""The network's kinds for `healthywork import` and `healthywork export`.

`healthywork import ties FILE [--dry-run]` reads CSV, XLSX or a JSON list of objects with the
columns source, target, kind, level, directed, provenance, wave, note; every row names its wave
(the core command has no per-kind options). It reads Kumu-style JSON (an object with
"elements" and "connections") too: each connection's `wave` field names its wave, and may be
left out when the database holds one wave only. `healthywork export ties --filter wave=NAME` writes
a wave's ties; `--filter format=gexf|graphml|kumu` gives a graph file instead of the table.
"""

from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from healthywork.core import tabular
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
    is_kumu = isinstance(table, importing.KumuTable)
    default_wave = None
    if is_kumu:
        waves = list(Wave.objects.order_by("start_date", "name"))
        unnamed = [number for number, values in table.rows if not values.get("wave")]
        if len(waves) == 1:
            default_wave = waves[0]
        elif unnamed:
            message = ngettext(
                "Connection %(numbers)s of the Kumu file names no wave: give every connection a field "
                "“wave” (one of: %(valid)s), or import the file on the web page, where the wave is chosen.",
                "Connections %(numbers)s of the Kumu file name no wave: give every connection a field "
                "“wave” (one of: %(valid)s), or import the file on the web page, where the wave is chosen.",
                len(unnamed),
            ) % {
                "numbers": ", ".join(str(number) for number in unnamed[:5])
                + (" …" if len(unnamed) > 5 else ""),
                "valid": "; ".join(wave.name for wave in waves) or _("none yet: create a wave first"),
            }
            return ImportReport(empty, [(None, "", message)], [], False)
    preview = importing.preview_ties(table, default_wave=default_wave, is_kumu=is_kumu)
    problems: list[tuple[int | None, str, str]] = [(None, "", message) for message in preview.file_errors]
    for row in preview.refused:
        for column, message in row.errors:
            if is_kumu:
                # The core command says "Row N"; a Kumu file has connections, named by their number.
                problems.append(
                    (
                        None,
                        "",
                        _("Connection %(number)s, %(field)s: %(message)s")
                        % {"number": row.number, "field": column, "message": message},
                    )
                )
            else:
                problems.append((row.number, column, message))
    skipped = _("Connection %(row)s skipped: %(reason)s") if is_kumu else _("Row %(row)s skipped: %(reason)s")
    warnings = list(preview.warnings) + [
        skipped % {"row": row.number, "reason": row.reason} for row in preview.rows if row.action == "skip"
    ]
    is_written = preview.can_apply and not dry_run
    if is_written:
        importing.apply_ties(preview, by=by)
    return ImportReport({**empty, **preview.summary()}, problems, warnings, is_written)


def read_ties_file(data: bytes, filename: str, max_bytes: int | None = None) -> Table:
    """The core import command's reader for ties: a Kumu JSON object, or any table it reads."""
    name = filename.lower()
    if not name.endswith((".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")) and importing.is_kumu(data):
        return importing.read_kumu(data, max_bytes, read_waves=True)
    return tabular.read_table(data, filename, max_bytes)


import_ties.read_file = read_ties_file  # type: ignore[attr-defined]


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

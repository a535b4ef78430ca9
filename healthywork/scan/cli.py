"""The scan's subject of `healthywork analyze`: `agreement`, Krippendorff's alpha (and Cohen's kappa
for two coders) of a table of codings in a CSV file (found by `core.cli.analyze_subjects`).

The file has one row per coder: the first column holds the coder's name, the header row the
names of the units; an empty cell is a missing value. The formulas are in docs/agreement.md.
"""

import argparse
import csv
import io
import json
import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.core.cli import Subject
from healthywork.scan.analysis import LEVELS, AgreementResult, agreement, to_json

LEVEL_NAMES = {
    "nominal": gettext_lazy("nominal"),
    "ordinal": gettext_lazy("ordinal"),
    "interval": gettext_lazy("interval"),
    "ratio": gettext_lazy("ratio"),
}


def add_agreement_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE.csv",
        help="One row per coder (the first column names the coder), one column per unit (the header "
        "row names the units); an empty cell is a missing value.",
    )
    parser.add_argument(
        "--level",
        choices=LEVELS,
        default="nominal",
        help="Level of measurement: nominal (labels, the default), ordinal (numbers, ranked), "
        "interval or ratio (numbers; ratio: 0 or more).",
    )
    parser.add_argument(
        "--format", dest="output_format", choices=["table", "json"], default="table", help="Output."
    )


def handle_agreement(command: BaseCommand, *, file: str, level: str, output_format: str, **options) -> None:
    coders, units, data = read_codings(_read_file(file), level)
    result = agreement(data, level)
    if output_format == "json":
        command.stdout.write(json.dumps(to_json(result), ensure_ascii=False, indent=2, allow_nan=False))
        return
    command.stdout.write(format_agreement(result, coders, units))


def _read_file(path: str) -> bytes:
    try:
        size = Path(path).stat().st_size
        limit = settings.HEALTHYWORK_MAX_UPLOAD_BYTES
        if size > limit:
            raise CommandError(
                _("%(path)s is %(size)s MB; the limit is %(limit)s MB.")
                % {"path": path, "size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
            )
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None


def read_codings(data: bytes, level: str) -> tuple[list[str], list[str], list[list[str | float | None]]]:
    """(coder names, unit names, values: one row per coder, None where missing) of a CSV file of
    codings. Values are labels at the nominal level and numbers at the others. Refuses anything
    else with a CommandError naming the row (as numbered in a spreadsheet) and the column.

    core.tabular.read_table is not used: it normalises header cells (case, spaces) and keys
    cells by header, while here the header cells are the units' own names, kept as written.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CommandError(
            _("The file is not UTF-8 text (first unreadable byte on row %(row)s): save it as “CSV UTF-8”.")
            % {"row": line}
        ) from None
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        lines = [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
            if any(cell.strip() for cell in cells)
        ]
    except csv.Error as error:
        raise CommandError(_("The CSV file is malformed: %(error)s") % {"error": error}) from None
    if not lines:
        raise CommandError(_("The file is empty."))
    header_row, header = lines[0]
    while header and not header[-1]:
        header.pop()
    units = header[1:]
    if not units:
        raise CommandError(
            _(
                "The header row (row %(row)s) names no units: its first cell sits above the coders' "
                "names, the next ones name the units."
            )
            % {"row": header_row}
        )
    seen_units: set[str] = set()
    for position, unit in enumerate(units, start=2):
        if not unit:
            raise CommandError(
                _("The header row (row %(row)s) has no unit name in column %(column)s.")
                % {"row": header_row, "column": position}
            )
        if unit in seen_units:
            raise CommandError(_("The unit “%(unit)s” appears twice in the header row.") % {"unit": unit})
        seen_units.add(unit)

    coders: list[str] = []
    first_row: dict[str, int] = {}
    values: list[list[str | float | None]] = []
    for number, cells in lines[1:]:
        coder = cells[0]
        if not coder:
            raise CommandError(_("Row %(row)s has no coder name in its first cell.") % {"row": number})
        if coder in first_row:
            raise CommandError(
                _("Coder “%(coder)s” appears twice: rows %(first)s and %(row)s.")
                % {"coder": coder, "first": first_row[coder], "row": number}
            )
        if any(cells[len(units) + 1 :]):
            raise CommandError(
                _("Row %(row)s (coder “%(coder)s”) has more cells than the header has units.")
                % {"row": number, "coder": coder}
            )
        first_row[coder] = number
        coders.append(coder)
        padded = cells[1:] + [""] * (len(units) + 1 - len(cells))
        values.append(
            [_value(cell, level, number, coder, unit) for unit, cell in zip(units, padded, strict=False)]
        )
    if len(coders) < 2:
        raise CommandError(
            _("Agreement needs at least two coders (one row each under the header); the file has %(count)s.")
            % {"count": len(coders)}
        )
    return coders, units, values


def _value(cell: str, level: str, row: int, coder: str, unit: str) -> str | float | None:
    if not cell:
        return None
    if level == "nominal":
        return cell
    where = _("Row %(row)s (coder “%(coder)s”), column “%(unit)s”") % {
        "row": row,
        "coder": coder,
        "unit": unit,
    }
    try:
        number = float(cell)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise CommandError(
            _("%(where)s: “%(cell)s” is not a number; the %(level)s level needs numbers.")
            % {"where": where, "cell": cell, "level": LEVEL_NAMES[level]}
        )
    if level == "ratio" and number < 0:
        raise CommandError(
            _("%(where)s: %(cell)s is below 0; the ratio level needs numbers of 0 or more.")
            % {"where": where, "cell": cell}
        )
    return number


def format_agreement(result: AgreementResult, coders: list[str], units: list[str]) -> str:
    """The coefficients as lines of text, with the reason when one is undefined."""
    level = LEVEL_NAMES[result.level]
    if result.n_units == 0:
        undefined = _("— (no unit has values from two coders)")
    else:
        undefined = _("— (every value is the same, so agreement by chance is complete too)")
    lines = [
        _("Coders: %(count)s (%(names)s)") % {"count": result.n_coders, "names": ", ".join(coders)},
        _("Units with values from two or more coders: %(paired)s of %(total)s")
        % {"paired": result.n_units, "total": len(units)},
        _("Krippendorff's alpha (%(level)s): %(alpha)s")
        % {"level": level, "alpha": undefined if result.alpha is None else f"{result.alpha:.3f}"},
    ]
    if result.n_coders == 2:
        lines.append(
            _("Cohen's kappa: %(kappa)s")
            % {"kappa": undefined if result.kappa is None else f"{result.kappa:.3f}"}
        )
    lines.append(
        _("Percent agreement: %(percent)s")
        % {"percent": undefined if result.percent is None else f"{100 * result.percent:.1f}%"}
    )
    return "\n".join(lines)


ANALYZE_SUBJECTS = {
    "agreement": Subject(
        help="Krippendorff's alpha (nominal, ordinal, interval or ratio), Cohen's kappa for two "
        "coders and percent agreement, of a CSV file with one row per coder and one column per unit.",
        add_arguments=add_agreement_arguments,
        handle=handle_agreement,
    ),
}

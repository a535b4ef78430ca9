"""The catalog's subject of `healthywork analyze`: `crosstab`, the chi-square test of two classes
of the catalog, or of a table of counts given in a CSV file (found by `core.cli.analyze_subjects`)."""

import argparse
import csv
import io
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from healthywork.catalog.analysis import CrosstabResult, crosstab, to_json
from healthywork.catalog.crosstab import DIMENSIONS, Dimension, count_table
from healthywork.catalog.models import Initiative
from healthywork.core.cli import Subject

RESIDUAL_MARK = 1.96  # |adjusted residual| beyond which a cell is marked and becomes a finding
WHOLE_NUMBER = re.compile(r"\d+")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("must be a whole number of 1 or more, not “%s”") % text)
    return value


# crosstab ------------------------------------------------------------------------------------


def add_crosstab_arguments(parser: argparse.ArgumentParser) -> None:
    fields = ", ".join(DIMENSIONS)
    parser.add_argument("--rows", metavar="FIELD", help=f"The class in the rows: {fields}.")
    parser.add_argument("--cols", metavar="FIELD", help="The class in the columns (as --rows).")
    parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="Count only initiatives with this value (stored value or label, any case). "
        "Repeatable: different fields must all match, values of one field are alternatives.",
    )
    parser.add_argument(
        "--table",
        metavar="FILE.csv",
        help="Analyse this table of counts instead of the catalog: the first column holds the "
        "row labels, the header row the column labels.",
    )
    parser.add_argument(
        "--format", dest="output_format", choices=["table", "json"], default="table", help="Output."
    )
    parser.add_argument(
        "--samples",
        type=positive_int,
        default=10000,
        metavar="N",
        help="Random tables for a Monte Carlo p-value (used when expected counts are small).",
    )
    parser.add_argument(
        "--seed", type=int, default=2017, help="Seed of the Monte Carlo tables (for the same p)."
    )


def handle_crosstab(
    command: BaseCommand,
    *,
    rows: str | None,
    cols: str | None,
    filters: list[str],
    table: str | None,
    output_format: str,
    samples: int,
    seed: int,
    **options,
) -> None:
    if table is not None:
        if rows or cols or filters:
            raise CommandError(_("--table cannot be combined with --rows, --cols or --filter."))
        row_labels, col_labels, counts = read_count_table(_read_file(table))
        row_name = col_name = ""
    else:
        if not rows or not cols:
            raise CommandError(_("Give --rows FIELD and --cols FIELD, or --table FILE.csv."))
        row_dimension, col_dimension = find_dimension(rows), find_dimension(cols)
        if row_dimension == col_dimension:
            raise CommandError(_("Choose two different fields for the rows and the columns."))
        initiatives = filter_initiatives(Initiative.objects.all(), filters)
        row_labels, col_labels, counts = count_table(initiatives, rows, cols)
        row_name, col_name = str(row_dimension.label), str(col_dimension.label)
    result = crosstab(
        row_labels,
        col_labels,
        counts,
        row_name=row_name,
        col_name=col_name,
        alpha_residual=RESIDUAL_MARK,
        monte_carlo_samples=samples,
        seed=seed,
    )
    if output_format == "json":
        command.stdout.write(json.dumps(to_json(result), ensure_ascii=False, indent=2, allow_nan=False))
        return
    if row_name:
        command.stdout.write(_("Rows: %(rows)s. Columns: %(cols)s.") % {"rows": row_name, "cols": col_name})
    if filters:
        command.stdout.write(_("Filter: %(filters)s.") % {"filters": "; ".join(filters)})
    command.stdout.write(format_crosstab(result))
    if result.warning:
        command.stdout.write(command.style.WARNING(_("Note: %(warning)s") % {"warning": result.warning}))


# The catalog: fields and filters ---------------------------------------------------------------


def find_dimension(key: str) -> Dimension:
    if key not in DIMENSIONS:
        raise CommandError(
            _("Unknown field “%(field)s”. Valid fields: %(valid)s.")
            % {"field": key, "valid": ", ".join(DIMENSIONS)}
        )
    return DIMENSIONS[key]


def filter_initiatives(initiatives: QuerySet, filters: list[str]) -> QuerySet:
    """Keep initiatives matching every field of `filters` ("FIELD=VALUE"); several values of
    one field are alternatives. Each field filters through a subquery, so that filtering on a
    many-valued class (conditions) does not shrink that class's own column in the table."""
    by_field: dict[str, Q] = {}
    for text in filters:
        key, equals, value = text.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key or not value:
            raise CommandError(
                _("A filter is FIELD=VALUE, for example level=local; “%(filter)s” is not.") % {"filter": text}
            )
        condition = _value_condition(find_dimension(key), value)
        by_field[key] = by_field[key] | condition if key in by_field else condition
    for condition in by_field.values():
        initiatives = initiatives.filter(pk__in=Initiative.objects.filter(condition).values("pk"))
    return initiatives


def _value_condition(dimension: Dimension, value: str) -> Q:
    """Initiatives whose `dimension` is `value`: a stored value or a label, in any case."""
    wanted = value.casefold()
    if dimension.choices:
        keys = [
            key
            for key, label in dimension.choices.items()
            if wanted in (key.casefold(), str(label).casefold())
        ]
        if not keys:
            valid = ", ".join(f"{key} ({label})" for key, label in dimension.choices.items())
            raise CommandError(
                _("Unknown value “%(value)s” for %(field)s. Valid values: %(valid)s.")
                % {"value": value, "field": dimension.key, "valid": valid}
            )
        return Q(**{f"{dimension.path}__in": keys})
    condition = Q(**{f"{dimension.path}__iexact": value})
    if dimension.path.endswith("__name"):  # taxonomies: the short name (slug) works too
        condition |= Q(**{dimension.path.removesuffix("name") + "slug__iexact": value})
    if not Initiative.objects.filter(condition).exists():
        in_use = sorted(
            value
            for value in Initiative.objects.order_by().values_list(dimension.path, flat=True).distinct()
            if value
        )
        raise CommandError(
            _("No initiative has %(field)s “%(value)s”. Values in use: %(valid)s.")
            % {"field": dimension.key, "value": value, "valid": ", ".join(in_use) or _("none")}
        )
    return condition


# A table of counts from a file -----------------------------------------------------------------


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None


def read_count_table(data: bytes) -> tuple[list[str], list[str], list[list[int]]]:
    """(row labels, column labels, counts) of a CSV contingency table: the header row holds the
    column labels (its first cell is ignored), the first column the row labels, every other
    cell a whole number of 0 or more. Refuses anything else, naming the row and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
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
    header = lines[0][1]
    while header and not header[-1]:
        header.pop()
    col_labels = header[1:]
    if not col_labels:
        raise CommandError(
            _(
                "The header row has no column labels: its first cell sits above the row labels, "
                "the next ones name the columns."
            )
        )
    for position, label in enumerate(col_labels, start=2):
        if not label:
            raise CommandError(_("Column %(position)s of the header has no label.") % {"position": position})
    _refuse_duplicates(col_labels, _("column"))
    if len(lines) < 2:
        raise CommandError(_("The table has no rows of counts under its header."))

    row_labels, counts = [], []
    for number, cells in lines[1:]:
        row_label = cells[0]
        if not row_label:
            raise CommandError(_("Line %(line)s has no row label in its first cell.") % {"line": number})
        extra = [cell for cell in cells[len(col_labels) + 1 :] if cell]
        if extra:
            raise CommandError(
                _("Row “%(row)s” (line %(line)s) has more cells than the header has columns.")
                % {"row": row_label, "line": number}
            )
        row = []
        for col_label, cell in zip(col_labels, cells[1:] + [""] * len(col_labels), strict=False):
            if not WHOLE_NUMBER.fullmatch(cell):
                problem = (
                    _("is empty (write 0 for no count)")
                    if not cell
                    else _("“%(cell)s” is not a whole number of 0 or more") % {"cell": cell}
                )
                raise CommandError(
                    _("Row “%(row)s” (line %(line)s), column “%(col)s”: %(problem)s.")
                    % {"row": row_label, "line": number, "col": col_label, "problem": problem}
                )
            row.append(int(cell))
        row_labels.append(row_label)
        counts.append(row)
    _refuse_duplicates(row_labels, _("row"))
    return row_labels, col_labels, counts


def _refuse_duplicates(labels: list[str], kind: str) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise CommandError(
                _("The %(kind)s label “%(label)s” appears twice.") % {"kind": kind, "label": label}
            )
        seen.add(label)


# Text output ------------------------------------------------------------------------------------


def format_crosstab(result: CrosstabResult) -> str:
    """Counts, row percentages and adjusted residuals as aligned text, then the test and findings."""
    if not result.rows or not result.cols:
        return _("No counts to show.")
    total_label = _("Total")
    blocks = [
        _grid(
            _("Counts"),
            result.rows + [total_label],
            result.cols + [total_label],
            [
                [str(count) for count in line] + [str(row_total)]
                for line, row_total in zip(result.counts, result.row_totals, strict=True)
            ]
            + [[str(col_total) for col_total in result.col_totals] + [str(result.total)]],
        ),
        _grid(
            _("Row percentages"),
            result.rows,
            result.cols,
            [[f"{share:.1f}%" for share in line] for line in result.row_percents],
        ),
    ]
    if result.chi2 is not None:
        blocks.append(
            _grid(
                _("Adjusted residuals (* beyond ±%(mark)s)") % {"mark": RESIDUAL_MARK},
                result.rows,
                result.cols,
                [[_residual_text(residual) for residual in line] for line in result.residuals],
            )
        )
    blocks.append(_test_summary(result))
    return "\n\n".join(blocks)


def _grid(title: str, row_labels: list[str], col_labels: list[str], cells: list[list[str]]) -> str:
    label_width = max(len(label) for label in row_labels)
    widths = [
        max(len(col_label), *(len(line[index]) for line in cells))
        for index, col_label in enumerate(col_labels)
    ]
    lines = [
        title,
        "  ".join(
            [" " * label_width]
            + [label.rjust(width) for label, width in zip(col_labels, widths, strict=True)]
        ),
    ]
    for row_label, line in zip(row_labels, cells, strict=True):
        lines.append(
            "  ".join(
                [row_label.ljust(label_width)]
                + [cell.rjust(width) for cell, width in zip(line, widths, strict=True)]
            )
        )
    return "\n".join(line.rstrip() for line in lines)


def _residual_text(residual: float | None) -> str:
    if residual is None:
        return ""
    mark = "*" if abs(residual) > RESIDUAL_MARK else " "
    return f"{residual:+.2f}{mark}"


def _test_summary(result: CrosstabResult) -> str:
    if result.chi2 is None:
        return _("No test of independence.")
    methods = {
        "asymptotic": _("chi-square distribution"),
        "fisher_exact": _("Fisher's exact test"),
        "monte_carlo": _("Monte Carlo, %(samples)s tables") % {"samples": result.monte_carlo_samples},
    }
    p_text = "p < 0.0001" if result.p_value < 0.0001 else f"p = {result.p_value:.4f}"
    lines = [
        _("X² = %(chi2).3f, df = %(dof)s, %(p)s (%(method)s)")
        % {"chi2": result.chi2, "dof": result.dof, "p": p_text, "method": methods[result.p_value_method]},
        _("Cramér's V = %(v).3f, N = %(total)s") % {"v": result.cramers_v, "total": result.total},
        "",
    ]
    if result.findings:
        lines.append(_("Findings:"))
        lines.extend(f"- {finding.sentence}" for finding in result.findings)
    else:
        lines.append(
            _("Findings: no cell differs from independence beyond ±%(mark)s.") % {"mark": RESIDUAL_MARK}
        )
    return "\n".join(lines)


ANALYZE_SUBJECTS = {
    "crosstab": Subject(
        help="Chi-square test of independence, Cramér's V, adjusted residuals and findings "
        "for two classes of the initiative catalog or for a table of counts in a CSV file.",
        add_arguments=add_crosstab_arguments,
        handle=handle_crosstab,
    ),
}

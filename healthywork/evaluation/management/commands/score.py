"""`healthywork score FILE.csv --instrument NAME [--format table|json]`: score responses kept in a
spreadsheet by an instrument's rules.

The file has one row per respondent and one column per item code (CSV or XLSX; column names are
matched without regard to case). An optional id column comes first or is named `id` or
`respondent`; every numeric item of the instrument must have its column; an empty cell is an
unanswered item. The whole file is checked before anything is printed: an unknown instrument, an
unknown or missing column, a value that is not a number or is outside the item's range, or an
empty file stops the command with a message naming each bad row and column.
"""

import json
import math
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from healthywork.core.tabular import TableError, read_table
from healthywork.evaluation.analysis import cronbach_alpha
from healthywork.evaluation.matrix import numeric_items
from healthywork.evaluation.models import Instrument, Item, ItemKind
from healthywork.evaluation.scoring import ScoringSpec, score_matrix

ID_HEADERS = ("id", "respondent")
MAX_ERRORS = 20


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def _check_value(item: Item, text: str) -> tuple[float | None, str | None]:
    """The number in a cell, or an error message (without row and column)."""
    text = text.strip()
    if text == "":
        return math.nan, None
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return None, _("%(value)s is not a number") % {"value": repr(text)}
    if math.isnan(value) or math.isinf(value):
        return None, _("%(value)s is not a number") % {"value": repr(text)}
    if item.choices and item.kind != ItemKind.NUMBER:
        allowed = item.choice_values()
        if not any(math.isclose(value, choice) for choice in allowed):
            shown = ", ".join(f"{choice:g}" for choice in allowed)
            return None, _("%(value)s is not one of the item's values (%(allowed)s)") % {
                "value": text,
                "allowed": shown,
            }
    else:
        low, high = item.min_value, item.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            return None, _("%(value)s is outside the item's range %(low)s to %(high)s") % {
                "value": text,
                "low": "−∞" if low is None else f"{low:g}",
                "high": "∞" if high is None else f"{high:g}",
            }
    return value, None


def score_file(instrument: Instrument, data: bytes, filename: str) -> dict:
    """Check and score a file; returns the result as plain data, or raises CommandError."""
    items = numeric_items(instrument.pk)
    if not items:
        raise CommandError(
            _("The instrument %(name)s has no numeric items to score; add its items first.")
            % {"name": instrument.name}
        )
    try:
        table = read_table(data, filename)
    except TableError as error:
        raise CommandError(str(error)) from None
    if not table.headers or not table.rows:
        raise CommandError(_("The file is empty: it has no respondent rows."))
    by_code = {item.code.lower(): item for item in items}
    headers = list(table.headers)
    id_column = next((h for h in headers if h in ID_HEADERS), None)
    if id_column is None and headers[0] not in by_code:
        id_column = headers[0]
    unknown = [h for h in headers if h != id_column and h not in by_code]
    missing = [item.code for item in items if item.code.lower() not in headers]
    problems = []
    if unknown:
        problems.append(
            _("Columns that are not items of %(name)s: %(columns)s.")
            % {"name": instrument.name, "columns": ", ".join(unknown)}
        )
    if missing:
        problems.append(_("Item columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise CommandError(" ".join(problems))
    codes = [item.code for item in items]
    values = np.full((len(table.rows), len(items)), np.nan)
    ids: list[str] = []
    errors: list[str] = []
    for row_index, (row_number, row) in enumerate(table.rows):
        ids.append((row.get(id_column) or "").strip() if id_column else str(row_index + 1))
        for column, item in enumerate(items):
            value, error = _check_value(item, row.get(item.code.lower()) or "")
            if error:
                errors.append(
                    _("Row %(row)s, column %(column)s: %(error)s.")
                    % {"row": row_number, "column": item.code, "error": error}
                )
            else:
                values[row_index, column] = value
    if errors:
        more = len(errors) - MAX_ERRORS
        message = "\n".join(errors[:MAX_ERRORS])
        if more > 0:
            message += "\n" + _("… and %(count)s more.") % {"count": more}
        raise CommandError(_("Nothing was scored:") + "\n" + message)
    spec = ScoringSpec.from_instrument(instrument, items=items)
    scores = score_matrix(spec, codes, values)
    respondents = []
    for row_index, respondent in enumerate(ids):
        respondents.append(
            {
                "id": respondent,
                "dimensions": {
                    code: _number(scores.dimensions[row_index, position])
                    for position, code in enumerate(scores.dimension_codes)
                },
                "total": _number(scores.total[row_index]),
                "band": scores.bands[row_index],
            }
        )
    dimensions = []
    for rule in spec.dimensions:
        columns = [codes.index(r.code) for r in spec.items if r.dimension == rule.code]
        reliability = (
            cronbach_alpha(scores.scored[:, columns]) if columns else {"alpha": None, "n": 0, "k": 0}
        )
        dimensions.append(
            {
                "code": rule.code,
                "label": rule.label,
                "alpha": _number(reliability["alpha"]) if reliability["alpha"] is not None else None,
                "n": reliability["n"],
                "k": reliability["k"],
            }
        )
    return {
        "instrument": instrument.name,
        "total_method": instrument.total_method,
        "respondents": respondents,
        "dimensions": dimensions,
    }


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines)


def render_table(result: dict) -> str:
    codes = [d["code"] for d in result["dimensions"]]
    has_total = result["total_method"] != "none"
    has_band = any(r["band"] is not None for r in result["respondents"])
    headers = [_("respondent"), *codes]
    if has_total:
        headers.append(_("total"))
    if has_band:
        headers.append(_("band"))
    rows = []
    for respondent in result["respondents"]:
        row = [respondent["id"], *(_cell(respondent["dimensions"][code]) for code in codes)]
        if has_total:
            row.append(_cell(respondent["total"]))
        if has_band:
            row.append(_cell(respondent["band"]))
        rows.append(row)
    reliability = [
        [d["code"], d["label"], str(d["k"]), str(d["n"]), _cell(d["alpha"])] for d in result["dimensions"]
    ]
    return "\n".join(
        [
            _("Scores (%(count)s respondents, instrument %(name)s)")
            % {"count": len(result["respondents"]), "name": result["instrument"]},
            _text_table(headers, rows),
            "",
            _("Cronbach's alpha per dimension (complete rows only)"),
            _text_table([_("dimension"), _("label"), _("items"), _("n"), _("alpha")], reliability),
        ]
    )


class Command(BaseCommand):
    help = (
        "Score responses given as CSV or XLSX (one row per respondent, one column per item code) by "
        "an instrument's rules; prints per-respondent dimension and total scores and per-dimension "
        "Cronbach's alpha."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV or XLSX file: one row per respondent, one column per item code")
        parser.add_argument("--instrument", required=True, help="the instrument's short name")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, file: str, instrument: str, format: str, **options) -> None:
        found = Instrument.objects.filter(name=instrument).first()
        if found is None:
            names = ", ".join(Instrument.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(
                _("No instrument is named %(name)s. Known: %(names)s.")
                % {"name": instrument, "names": names or _("none")}
            )
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        result = score_file(found, data, path.name)
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
        else:
            self.stdout.write(render_table(result))

"""Measurements of the indicators of the teams' theories of change: who may see and write them,
the writes (one transaction and one audit event each), values computed from an administration's
results, the chart against the target, the export and the import with preview.

Rules (docs/evaluation-statistics.md):
- An indicator is seen by whoever sees its team (`Team.objects.visible_to`); a stranger gets a
  404. Measurements are written by the team's editors (`team.can_edit`) and by
  `evaluation.manage`.
- A target is read as a number when it holds one ("60%" → 60, "≥ 75 workers" → 75, "1,200" →
  1200); otherwise the chart shows no target line.
- A computed value is the mean, or the percent of respondents at or above a threshold, of the
  total score, a dimension score (both after reverse scoring, by the instrument's rules) or an
  item's raw answer, over the administration's complete responses that have that value.
- An import (columns date, value, note) writes every row or none.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import tabular
from healthywork.core.audit import record, snapshot
from healthywork.core.previews import ImportPreview
from healthywork.core.tabular import Table
from healthywork.evaluation.matrix import load_matrix
from healthywork.evaluation.models import Administration, Measurement, MeasurementSource, TotalMethod
from healthywork.evaluation.scoring import ScoringSpec, score_matrix
from healthywork.planning.models import Indicator

IMPORT_COLUMNS = ["date", "value", "note"]
EXPORT_COLUMNS = ["date", "value", "note", "source", "administration", "computed_from"]
EARLIEST = date(1990, 1, 1)
MAX_ABS_VALUE = 1e12
STATISTICS = ("mean", "percent_at_least")


# --- Who sees and writes ----------------------------------------------------------------------


def visible_indicators(user: Any) -> QuerySet:
    return Indicator.objects.filter(outcome__theory__team__in=Team.objects.visible_to(user)).select_related(
        "outcome__theory__team__cohort"
    )


def team_of(indicator: Indicator) -> Team:
    return indicator.outcome.theory.team


def can_write(user: Any, indicator: Indicator) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.can("evaluation.manage") or team_of(indicator).can_edit(user)


# --- Targets and latest values ----------------------------------------------------------------

_NUMBER = re.compile(r"[-+−]?\d+(?:[.,]\d+)*")


def parse_target(text: str | None) -> float | None:
    """The first number in a target ("60%" → 60.0), or None when it holds none."""
    if not text:
        return None
    match = _NUMBER.search(str(text))
    if not match:
        return None
    token = match.group(0).replace("−", "-")
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", token):
        token = token.replace(",", "")  # thousands separators
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")  # a decimal comma
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def latest(indicator: Indicator) -> Measurement | None:
    return indicator.measurements.order_by("-date", "-pk").first()


def latest_by_indicator(indicators: list[Indicator]) -> dict[int, Measurement]:
    """The latest measurement of each indicator, in one query."""
    found: dict[int, Measurement] = {}
    rows = Measurement.objects.filter(indicator__in=[i.pk for i in indicators]).order_by(
        "indicator_id", "-date", "-pk"
    )
    for measurement in rows:
        found.setdefault(measurement.indicator_id, measurement)
    return found


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def create_measurement(indicator: Indicator, data: dict[str, Any], *, by: Any) -> Measurement:
    measurement = Measurement(
        indicator=indicator,
        date=data["date"],
        value=float(data["value"]),
        note=data.get("note", "") or "",
        source=data.get("source", MeasurementSource.TYPED),
        administration=data.get("administration"),
        computed_from=data.get("computed_from", "") or "",
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    measurement.save()
    record(by, "create", measurement, {"after": snapshot(measurement)})
    return measurement


@transaction.atomic
def delete_measurement(measurement: Measurement, *, by: Any) -> None:
    record(by, "delete", measurement, {"before": snapshot(measurement)})
    measurement.delete()


# --- Computing from an administration ---------------------------------------------------------


class ComputeError(ValueError):
    """Why a value cannot be computed, for a person."""


@dataclass
class Computed:
    value: float
    n: int
    computed_from: str
    description: str


def targets_of(administration: Administration) -> list[tuple[str, str]]:
    """What can be computed from an administration: (key, label) for the total, each dimension and
    each numeric item."""
    instrument = administration.instrument
    options: list[tuple[str, str]] = []
    if instrument.total_method != TotalMethod.NONE:
        options.append(("total", _("Total score")))
    for dimension in instrument.dimensions.all():
        options.append(
            (
                f"dimension:{dimension.code}",
                _("Dimension: %(label)s") % {"label": dimension.localized_label()},
            )
        )
    from healthywork.evaluation.matrix import numeric_items

    for item in numeric_items(instrument.pk):
        text = item.localized_text()
        options.append(
            (f"item:{item.code}", _("Item %(code)s: %(text)s") % {"code": item.code, "text": text[:80]})
        )
    return options


def compute(
    administration: Administration, what: str, statistic: str, threshold: float | None = None
) -> Computed:
    """The mean, or the percent at or above `threshold`, of `what` ("total", "dimension:CODE" or
    "item:CODE") over the administration's complete responses."""
    if statistic not in STATISTICS:
        raise ComputeError(_("Unknown statistic %(name)s.") % {"name": statistic})
    if statistic == "percent_at_least" and (threshold is None or not math.isfinite(threshold)):
        raise ComputeError(_("A percentage at or above a value needs that value (the threshold)."))
    matrix = load_matrix(administration)
    spec = ScoringSpec.from_instrument(administration.instrument, items=matrix.items)
    kind, _sep, code = what.partition(":")
    if kind == "item":
        if code not in matrix.codes:
            raise ComputeError(_("The instrument has no numeric item %(code)s.") % {"code": code})
        column = matrix.column(code)
    else:
        if not matrix.items:
            raise ComputeError(_("The instrument has no numeric items."))
        scores = score_matrix(spec, matrix.codes, matrix.values)
        if kind == "total":
            if spec.total_method == TotalMethod.NONE:
                raise ComputeError(_("The instrument has no total score."))
            column = scores.total
        elif kind == "dimension" and code in scores.dimension_codes:
            column = scores.dimensions[:, scores.dimension_codes.index(code)]
        else:
            raise ComputeError(_("The instrument has no dimension %(code)s.") % {"code": code})
    values = column[~np.isnan(column)]
    n = int(values.size)
    if n == 0:
        raise ComputeError(_("No complete response has a value for this; nothing to compute."))
    if statistic == "mean":
        value = float(np.mean(values))
        computed_from = f"{what}:mean"
        description = _("Mean of %(what)s over %(n)s responses") % {"what": what, "n": n}
    else:
        value = 100.0 * float(np.count_nonzero(values >= threshold - 1e-9)) / n
        computed_from = f"{what}:percent_at_least:{threshold:g}"
        description = _("Percent of %(n)s respondents with %(what)s at or above %(threshold)s") % {
            "n": n,
            "what": what,
            "threshold": f"{threshold:g}",
        }
    return Computed(value=round(value, 6), n=n, computed_from=computed_from[:100], description=description)


def create_computed(
    indicator: Indicator,
    administration: Administration,
    *,
    what: str,
    statistic: str,
    threshold: float | None,
    on: date,
    note: str = "",
    by: Any,
) -> Measurement:
    computed = compute(administration, what, statistic, threshold)
    return create_measurement(
        indicator,
        {
            "date": on,
            "value": computed.value,
            "note": note or computed.description[:300],
            "source": MeasurementSource.COMPUTED,
            "administration": administration,
            "computed_from": computed.computed_from,
        },
        by=by,
    )


# --- Chart and export -------------------------------------------------------------------------


def chart_spec(indicator: Indicator, measurements: list[Measurement]) -> dict[str, Any]:
    """A Vega-Lite line of the values over time, with the target as a dashed rule when it is a
    number (the table beside the chart holds the same numbers)."""
    values = [{"date": m.date.isoformat(), "value": m.value} for m in measurements]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": _("Date")},
                "y": {"field": "value", "type": "quantitative", "title": _("Value")},
            },
        }
    ]
    target = parse_target(indicator.target)
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": target, "label": _("Target")}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#b45309"},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Values of the indicator over time against its target"),
        "width": "container",
        "layer": layers,
    }


def export_rows(indicator: Indicator) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [
            m.date.isoformat(),
            m.value,
            m.note,
            m.source,
            m.administration.title if m.administration_id else "",
            m.computed_from,
        ]
        for m in indicator.measurements.select_related("administration").order_by("date", "pk")
    ]
    return list(EXPORT_COLUMNS), rows


# --- Import -----------------------------------------------------------------------------------


@dataclass
class MeasurementRow:
    number: int
    values: dict[str, str]
    action: str = "create"  # create | refuse
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _parse_value(text: str) -> float:
    cleaned = text.strip().rstrip("%").strip()
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def preview_import(table: Table) -> ImportPreview:
    """What importing `table` into an indicator would do, without writing anything."""
    preview = ImportPreview(rows=[])
    problem = tabular.missing_columns(table, ("date", "value"), IMPORT_COLUMNS)
    if problem:
        preview.file_errors.append(problem)
        return preview
    if not table.rows:
        preview.file_errors.append(_("The file has no rows under its header."))
        return preview
    extra = [h for h in table.headers if h not in EXPORT_COLUMNS]
    if extra:
        preview.warnings.append(_("These columns are ignored: %(columns)s.") % {"columns": ", ".join(extra)})
    for number, values in table.rows:
        row = MeasurementRow(number=number, values={c: (values.get(c) or "").strip() for c in IMPORT_COLUMNS})
        text = row.values
        try:
            on = date.fromisoformat(text["date"][:10])
        except ValueError:
            row.errors.append(
                ("date", _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text["date"]})
            )
        else:
            if on < EARLIEST or on.year > date.today().year + 50:
                row.errors.append(("date", _("%(value)s is not a plausible date.") % {"value": on}))
            else:
                row.data["date"] = on
        try:
            value = _parse_value(text["value"])
            if abs(value) > MAX_ABS_VALUE:
                raise ValueError(text["value"])
        except ValueError:
            row.errors.append(("value", _("“%(value)s” is not a number.") % {"value": text["value"]}))
        else:
            row.data["value"] = value
        if len(text["note"]) > 300:
            row.errors.append(("note", _("The note is longer than 300 characters.")))
        else:
            row.data["note"] = text["note"]
        if row.errors:
            row.action = "refuse"
        preview.rows.append(row)
    return preview


@transaction.atomic
def apply_import(indicator: Indicator, preview: ImportPreview, *, by: Any) -> dict[str, int]:
    """Write a preview with no refused row, all of it in one transaction."""
    if not preview.can_apply:
        raise ValueError(_("Nothing was written: some rows are refused."))
    for row in preview.rows:
        create_measurement(indicator, row.data, by=by)
    return preview.summary()

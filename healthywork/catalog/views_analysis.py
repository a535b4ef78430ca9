"""The crosstab page: initiatives counted by two classes, the test of independence, the
cells that drive it, a heatmap with the table beside it, and the table's export."""

import math
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.catalog import analysis
from healthywork.catalog.crosstab import DIMENSIONS, count_table
from healthywork.catalog.models import Initiative
from healthywork.core import tabular
from healthywork.core.charts import chart_options

DEFAULT_ROWS = "sector_family"
DEFAULT_COLS = "action_type"
RESIDUAL_THRESHOLD = 1.96  # two-sided 5 % for a standard normal: the usual mark of a driving cell
TABLE_EXPORT_FORMATS = ("csv", "xlsx")
# Parameters of the page itself; every other one is a catalog filter and is passed on.
STATE_PARAMS = {"rows", "cols", "show", "format", "page", "sort"}
SHOW_CHOICES = [
    ("row", gettext_lazy("Row percentages")),
    ("col", gettext_lazy("Column percentages")),
]


class CrosstabForm(forms.Form):
    rows = forms.ChoiceField(label=gettext_lazy("Rows"))
    cols = forms.ChoiceField(label=gettext_lazy("Columns"))
    show = forms.ChoiceField(label=gettext_lazy("Percentages"), choices=SHOW_CHOICES, required=False)
    q = forms.CharField(label=gettext_lazy("Only initiatives matching"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(key, dimension.label) for key, dimension in DIMENSIONS.items()]
        # The message names the valid keys, so a hand-edited URL can be put right.
        unknown = _("“%(value)s” is not a class to count by. The classes are: {keys}.").format(
            keys=", ".join(DIMENSIONS)
        )
        for name in ("rows", "cols"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = unknown
        self.fields["q"].widget.attrs["type"] = "search"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("rows") and cleaned.get("rows") == cleaned.get("cols"):
            self.add_error("cols", _("Choose a class for the columns other than the one for the rows."))
        return cleaned


def _bind(params: QueryDict) -> CrosstabForm:
    data = params.copy()
    data.setdefault("rows", DEFAULT_ROWS)
    data.setdefault("cols", DEFAULT_COLS)
    data.setdefault("show", "row")
    return CrosstabForm(data)


def _filter_params(params: QueryDict) -> QueryDict:
    """The catalog filters in the URL (everything but the page's own state), `q` included."""
    filters = QueryDict(mutable=True)
    for name, values in params.lists():
        kept = [value for value in values if value.strip()]
        if name not in STATE_PARAMS and kept:
            filters.setlist(name, kept)
    return filters


def _initiatives(request: HttpRequest, filters: QueryDict):
    initiatives = Initiative.objects.visible_to(request.user)
    try:
        from healthywork.catalog.facets import apply_filters
    except ImportError:  # the faceted catalog is not installed: the text query is the filter
        from healthywork.core.search import text_search

        return text_search(initiatives, filters.get("q", ""))
    return apply_filters(initiatives, filters)


def _compute(request: HttpRequest, rows: str, cols: str, filters: QueryDict):
    """The analysis result, or None when no initiative has a value in both classes."""
    row_labels, col_labels, counts = count_table(_initiatives(request, filters), rows, cols)
    if not row_labels or not col_labels:
        return None
    return analysis.crosstab(
        row_labels,
        col_labels,
        counts,
        row_name=str(DIMENSIONS[rows].label),
        col_name=str(DIMENSIONS[cols].label),
        alpha_residual=RESIDUAL_THRESHOLD,
    )


def crosstab(request: HttpRequest) -> HttpResponse:
    form = _bind(request.GET)
    filters = _filter_params(request.GET)
    context: dict[str, Any] = {"form": form, "filters": filters, "catalog_url": _catalog_url(filters)}
    status = 200
    if form.is_valid():
        rows, cols = form.cleaned_data["rows"], form.cleaned_data["cols"]
        result = _compute(request, rows, cols, filters)
        context.update(_result_context(result, rows, cols, form.cleaned_data["show"] or "row"))
    elif not request.htmx:
        status = 400  # an unknown class in a hand-edited URL; htmx swaps need 200 to show it
    template = "catalog/crosstab.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context, status=status)


def crosstab_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    form = _bind(request.GET)
    if fmt not in TABLE_EXPORT_FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”; use csv or xlsx.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    if not form.is_valid():
        messages = [str(message) for errors in form.errors.values() for message in errors]
        return HttpResponseBadRequest(" ".join(messages), content_type="text/plain; charset=utf-8")
    rows, cols = form.cleaned_data["rows"], form.cleaned_data["cols"]
    result = _compute(request, rows, cols, _filter_params(request.GET))
    headers, table = _export_table(result, rows, cols)
    content, content_type = tabular.export_bytes(fmt, headers, table)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="crosstab-{rows}-by-{cols}.{fmt}"'
    return response


def _catalog_url(filters: QueryDict) -> str:
    try:
        url = reverse("catalog:index")
    except NoReverseMatch:
        return ""
    return f"{url}?{filters.urlencode()}" if filters else url


def _number(value: float | None) -> float | None:
    """A float fit for JSON and templates: NaN and infinity (degenerate tables) become None."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _signed(value: float | None, digits: int = 2) -> str:
    if _number(value) is None:
        return "—"
    # Django's number_format truncates a float's digits; round first so 5.976 reads 5.98.
    text = number_format(round(abs(value), digits), digits)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _mark(residual: float | None) -> str:
    residual = _number(residual)
    if residual is None:
        return ""
    if residual > RESIDUAL_THRESHOLD:
        return "more"
    if residual < -RESIDUAL_THRESHOLD:
        return "fewer"
    return ""


def _result_context(result, rows: str, cols: str, show: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "rows": rows,
        "cols": cols,
        "show": show,
        "row_name": DIMENSIONS[rows].label,
        "col_name": DIMENSIONS[cols].label,
        "is_multiple": DIMENSIONS[rows].is_multiple or DIMENSIONS[cols].is_multiple,
        "result": result,
        "export_formats": TABLE_EXPORT_FORMATS,
        "threshold": number_format(RESIDUAL_THRESHOLD, 2),
    }
    if result is None:
        return context
    summary = _summary(result)
    context.update(
        {
            "table_rows": _table_rows(result, show),
            "col_totals": [
                {"total": total, "percent": _percent(total, result.total)} for total in result.col_totals
            ],
            "summary": summary,
            "chi2": _number(result.chi2),
            "p_value": _number(result.p_value),
            "cramers_v": _number(result.cramers_v),
            "min_expected": _number(result.min_expected),
            "spec": _heatmap_spec(result, summary, str(DIMENSIONS[rows].label), str(DIMENSIONS[cols].label)),
            "chart_options": chart_options(f"crosstab-{rows}-by-{cols}"),
        }
    )
    return context


def _percent(part: float, whole: float) -> float | None:
    return 100 * part / whole if whole else None


def _table_rows(result, show: str) -> list[dict[str, Any]]:
    percents = result.row_percents if show == "row" else result.col_percents
    table = []
    for i, label in enumerate(result.rows):
        cells = []
        for j, col_label in enumerate(result.cols):
            residual = _number(result.residuals[i][j])
            cells.append(
                {
                    "col": col_label,
                    "count": result.counts[i][j],
                    "percent": _number(percents[i][j]),
                    "expected": _number(result.expected[i][j]),
                    "residual": residual,
                    "residual_text": _signed(residual),
                    "mark": _mark(residual),
                }
            )
        table.append(
            {
                "label": label,
                "cells": cells,
                "total": result.row_totals[i],
                "percent": _percent(result.row_totals[i], result.total),
            }
        )
    return table


def _summary(result) -> str:
    """The chart's text alternative: the strongest findings, or that there are none."""
    strongest = sorted(result.findings, key=lambda finding: -abs(finding.residual))[:3]
    if strongest:
        return " ".join(finding.sentence for finding in strongest)
    return _("No cell differs from independence by more than ±%(threshold)s adjusted residuals.") % {
        "threshold": number_format(RESIDUAL_THRESHOLD, 2)
    }


def _heatmap_spec(result, summary: str, row_title: str, col_title: str) -> dict[str, Any]:
    """A Vega-Lite heatmap: colour is the adjusted residual (diverging, centred on 0), each
    cell labelled with its count and the mark of a driving cell."""
    values = []
    largest = RESIDUAL_THRESHOLD + 1
    for i, row_label in enumerate(result.rows):
        for j, col_label in enumerate(result.cols):
            residual = _number(result.residuals[i][j])
            if residual is not None:
                largest = max(largest, abs(residual))
            mark = _mark(residual)
            symbol = {"more": " ▲", "fewer": " ▼"}.get(mark, "")
            values.append(
                {
                    "row": row_label,
                    "col": col_label,
                    "count": result.counts[i][j],
                    "row_percent": _number(result.row_percents[i][j]),
                    "expected": _number(result.expected[i][j]),
                    "residual": residual,
                    "shade": residual or 0.0,
                    "label": f"{result.counts[i][j]}{symbol}",
                }
            )
    largest = math.ceil(largest)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": summary,
        "data": {"values": values},
        "width": {"step": 62},
        "height": {"step": 38},
        "encoding": {
            "x": {
                "field": "col",
                "type": "nominal",
                "sort": list(result.cols),
                "title": col_title,
                "axis": {"orient": "top", "labelAngle": -35, "labelLimit": 180, "domain": False},
            },
            "y": {
                "field": "row",
                "type": "nominal",
                "sort": list(result.rows),
                "title": row_title,
                "axis": {"labelLimit": 200, "domain": False},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "shade",
                        "type": "quantitative",
                        "title": _("Adjusted residual"),
                        "scale": {"scheme": "blueorange", "domain": [-largest, largest], "domainMid": 0},
                        "legend": {"direction": "vertical", "gradientLength": 160},
                    },
                    "tooltip": [
                        {"field": "row", "type": "nominal", "title": row_title},
                        {"field": "col", "type": "nominal", "title": col_title},
                        {"field": "count", "type": "quantitative", "title": _("Count")},
                        {
                            "field": "row_percent",
                            "type": "quantitative",
                            "title": _("Row %"),
                            "format": ".1f",
                        },
                        {
                            "field": "expected",
                            "type": "quantitative",
                            "title": _("Expected"),
                            "format": ".2f",
                        },
                        {
                            "field": "residual",
                            "type": "quantitative",
                            "title": _("Adjusted residual"),
                            "format": "+.2f",
                        },
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold"},
                "encoding": {
                    "text": {"field": "label", "type": "nominal"},
                    "color": {
                        "condition": {"test": f"abs(datum.shade) > {largest * 0.65}", "value": "#ffffff"},
                        "value": "#1c2430",
                    },
                },
            },
        ],
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 13}, "view": {"stroke": None}},
    }


def _export_table(result, rows: str, cols: str) -> tuple[list[str], list[list[Any]]]:
    """One line per cell (a tidy table a spreadsheet can pivot back)."""
    headers = [
        str(DIMENSIONS[rows].label),
        str(DIMENSIONS[cols].label),
        _("Count"),
        _("Expected"),
        _("Adjusted residual"),
        _("Row %"),
        _("Column %"),
        _("Row total"),
        _("Column total"),
    ]
    if result is None:
        return headers, []
    table = []
    for i, row_label in enumerate(result.rows):
        for j, col_label in enumerate(result.cols):
            table.append(
                [
                    row_label,
                    col_label,
                    result.counts[i][j],
                    _rounded(result.expected[i][j], 4),
                    _rounded(result.residuals[i][j], 4),
                    _rounded(result.row_percents[i][j], 2),
                    _rounded(result.col_percents[i][j], 2),
                    result.row_totals[i],
                    result.col_totals[j],
                ]
            )
    return headers, table


def _rounded(value: float | None, digits: int) -> float | None:
    value = _number(value)
    return None if value is None else round(value, digits)

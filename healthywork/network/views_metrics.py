"""The metrics of one wave (with filters, tables, charts and downloads) and the comparison of two.

Aggregates are shared reading for every signed-in person; individual survey answers never appear
here, only trust and value averaged per organization and for the network.
"""

import math
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.network.analysis import NetworkMetrics, compare
from healthywork.network.forms_metrics import SORT_COLUMNS, CompareForm, MetricsFilterForm
from healthywork.network.graph import Network, NetworkFilter
from healthywork.network.metrics import wave_metrics
from healthywork.network.models import CollaborationLevel, Wave

TABLE_FORMATS = ("csv", "xlsx")
PER_PAGE = 50
COMMUNITY_MEMBERS_SHOWN = 40

# Whole-network measures: label, one-line explanation, how the number is shown.
MEASURES: dict[str, tuple[Any, Any, str]] = {
    "nodes": (
        gettext_lazy("Organizations"),
        gettext_lazy("Every organization with a tie in this view, plus those on the survey roster."),
        "count",
    ),
    "ties": (
        gettext_lazy("Ties"),
        gettext_lazy("Pairs of organizations joined by at least one tie of any kind, in either direction."),
        "count",
    ),
    "density": (
        gettext_lazy("Density"),
        gettext_lazy(
            "The share of all possible pairs that are tied: 0 is no tie at all, 1 everyone with everyone."
        ),
        "ratio",
    ),
    "components": (
        gettext_lazy("Components"),
        gettext_lazy("Separate pieces of the network: groups that no chain of ties connects to each other."),
        "count",
    ),
    "largest_component": (
        gettext_lazy("Largest component"),
        gettext_lazy("Organizations in the biggest connected piece."),
        "count",
    ),
    "degree_centralization": (
        gettext_lazy("Degree centralization"),
        gettext_lazy(
            "How much the ties gather on a few hubs: 1 is a star around one organization, 0 is even."
        ),
        "ratio",
    ),
    "reciprocity": (
        gettext_lazy("Reciprocity"),
        gettext_lazy(
            "Of the one-way ties (such as survey answers), the share the other organization returns."
        ),
        "percent",
    ),
    "ei_index": (
        gettext_lazy("E-I index"),
        gettext_lazy(
            "Ties between groups minus ties within groups, over all ties: −1 all inside, +1 all across."
        ),
        "signed",
    ),
    "health_labor_ties": (
        gettext_lazy("Health–labor ties"),
        gettext_lazy("Ties that join a health organization and a labor organization."),
        "count",
    ),
    "health_labor_share": (
        gettext_lazy("Share of health–labor ties"),
        gettext_lazy("The share of all ties that join a health organization and a labor organization."),
        "percent",
    ),
    "modularity": (
        gettext_lazy("Modularity"),
        gettext_lazy("How clearly the network splits into communities; above 0.3 is usually a clear split."),
        "ratio",
    ),
    "collaboration_mean": (
        gettext_lazy("Mean level of collaboration"),
        gettext_lazy("Mean of the Levels of Collaboration ratings, 0 (no interaction) to 5 (collaboration)."),
        "score",
    ),
    "trust_network": (
        gettext_lazy("Trust"),
        gettext_lazy("Mean trust between partners that rated each other, 1 to 4 (as PARTNER reports it)."),
        "score",
    ),
    "value_network": (
        gettext_lazy("Value"),
        gettext_lazy("Mean value partners see in each other, 1 to 4 (as PARTNER reports it)."),
        "score",
    ),
}
HEADLINE = (
    "nodes",
    "ties",
    "density",
    "components",
    "degree_centralization",
    "reciprocity",
    "ei_index",
    "health_labor_share",
)


# --- computing ------------------------------------------------------------------------------


# --- formatting -----------------------------------------------------------------------------


def _finite(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def format_measure(value: Any, style: str) -> str:
    """A measure as a person reads it, in the current locale; "—" when it is not defined."""
    value = _finite(value)
    if value is None:
        return "—"
    if style == "count":
        return number_format(value, 0, force_grouping=True)
    if style == "percent":
        return f"{number_format(round(100 * value, 1), 1)} %"
    if style == "signed":
        return ("+" if value > 0 else "−" if value < 0 else "") + number_format(round(abs(value), 3), 3)
    if style == "score":
        return number_format(round(value, 2), 2)
    return number_format(round(value, 3), 3)


def format_change(change: Any, style: str) -> dict[str, str]:
    """The change as an arrow and a signed number (never colour alone)."""
    change = _finite(change)
    if change is None:
        return {"arrow": "", "text": "—", "direction": _("not comparable")}
    if abs(change) < 1e-12:
        return {"arrow": "=", "text": format_measure(0, style), "direction": _("no change")}
    sign = "+" if change > 0 else "−"
    magnitude = format_measure(abs(change), style)
    if style == "percent":
        magnitude = magnitude.replace(" %", " " + _("points"))
    arrow, direction = ("▲", _("up")) if change > 0 else ("▼", _("down"))
    return {"arrow": arrow, "text": sign + magnitude, "direction": direction}


def _measure_row(key: str, value: Any) -> dict[str, Any]:
    label, explanation, style = MEASURES[key]
    return {"key": key, "label": label, "explanation": explanation, "value": format_measure(value, style)}


def _group_label(metrics: NetworkMetrics, group: str) -> str:
    labels = metrics.group_matrix.get("labels", {})
    if metrics.group_by == "sector":
        return labels.get(group, group) or _("No sector")
    from healthywork.partners.models import Family

    return str(dict(Family.choices).get(group, group)) or _("No family")


# --- the metrics page -----------------------------------------------------------------------


def metrics(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = MetricsFilterForm(request.GET)
    context: dict[str, Any] = {"wave": wave, "form": form, "table_formats": TABLE_FORMATS}
    status = 200
    if form.is_valid():
        network, result = wave_metrics(form.network_filter(wave), group_by=form.grouping())
        context.update(_metrics_context(request, network, result, form.cleaned_data["sort"]))
    elif not request.htmx:
        status = 400
    template = "network/metrics_page.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context, status=status)


def metrics_export(request: HttpRequest, public_id) -> HttpResponse:
    """?format=csv|xlsx: the per-organization table; ?format=json: every metric."""
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    form = MetricsFilterForm(request.GET)
    if fmt not in (*TABLE_FORMATS, "json"):
        message = _("Unknown format “%(format)s”; use csv, xlsx or json.") % {"format": fmt}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if not form.is_valid():
        return HttpResponse(" ".join(form.error_list()), status=400, content_type="text/plain; charset=utf-8")
    network, result = wave_metrics(form.network_filter(wave), group_by=form.grouping())
    if fmt == "json":
        response = JsonResponse(result.to_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        headers, rows = _organization_table(network, result, form.cleaned_data["sort"])
        content, content_type = tabular.export_bytes(fmt, headers, rows)
        response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="network-metrics-{wave.public_id}.{fmt}"'
    return response


def _metrics_context(request: HttpRequest, network: Network, result: NetworkMetrics, sort: str) -> dict:
    nodes = network.nodes
    groups = result.group_matrix["groups"]
    return {
        "result": result,
        "headline": [_measure_row(key, getattr(result, key)) for key in HEADLINE],
        "ei_rows": [
            {
                "label": _group_label(result, group),
                "value": format_measure(result.ei_by_group[group], "signed"),
                **result.ei_counts[group],
            }
            for group in groups
        ],
        "matrix": _matrix(result),
        "matrix_spec": _heatmap_spec(result),
        "organizations": paginate(request, _organization_rows(network, result, sort), PER_PAGE),
        "sort": sort,
        "sort_columns": _sort_headers(sort),
        "brokers": [{**broker, "public_id": nodes[broker["id"]].public_id} for broker in result.brokers],
        "communities": _communities(network, result),
        "modularity": format_measure(result.modularity, "ratio"),
        "trust_value": _trust_value(network, result),
        "collaboration": _collaboration(network, result),
        "chart_options": chart_options("network-chart"),
    }


def _matrix(result: NetworkMetrics) -> dict[str, Any]:
    groups, counts = result.group_matrix["groups"], result.group_matrix["counts"]
    labels = [_group_label(result, group) for group in groups]
    rows = [{"label": label, "counts": counts[index]} for index, label in enumerate(labels)]
    return {"labels": labels, "rows": rows}


def _heatmap_spec(result: NetworkMetrics) -> dict[str, Any] | None:
    groups, counts = result.group_matrix["groups"], result.group_matrix["counts"]
    if not groups:
        return None
    labels = [_group_label(result, group) for group in groups]
    values = [
        {"row": labels[i], "col": labels[j], "count": counts[i][j]}
        for i in range(len(groups))
        for j in range(len(groups))
    ]
    largest = max((value["count"] for value in values), default=0) or 1
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Ties between and within groups; the table beside holds the same numbers."),
        "data": {"values": values},
        "width": {"step": 56},
        "height": {"step": 34},
        "encoding": {
            "x": {
                "field": "col",
                "type": "nominal",
                "sort": labels,
                "title": None,
                "axis": {"orient": "top", "labelAngle": -35},
            },
            "y": {"field": "row", "type": "nominal", "sort": labels, "title": None},
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff"},
                "encoding": {
                    "color": {
                        "field": "count",
                        "type": "quantitative",
                        "title": _("Ties"),
                        "scale": {"scheme": "blues"},
                    },
                    "tooltip": [
                        {"field": "row", "title": _("From")},
                        {"field": "col", "title": _("To")},
                        {"field": "count", "type": "quantitative", "title": _("Ties")},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 12},
                "encoding": {
                    "text": {"field": "count", "type": "quantitative"},
                    "color": {
                        "condition": {"test": f"datum.count > {largest * 0.6}", "value": "#ffffff"},
                        "value": "#1c2430",
                    },
                },
            },
        ],
        "config": {"view": {"stroke": None}},
    }


def _organization_rows(network: Network, result: NetworkMetrics, sort: str) -> list[dict[str, Any]]:
    rows = [
        {
            **values,
            "id": node_id,
            "public_id": network.nodes[node_id].public_id,
            "group_label": _group_label(result, values["group"]),
            "community": values["community"] + 1,  # people count from 1
        }
        for node_id, values in result.per_node.items()
    ]
    column = sort.lstrip("-")
    key = {"name": "name", "group": "group_label"}.get(column, column)
    present = [row for row in rows if row[key] is not None]
    missing = [row for row in rows if row[key] is None]
    present.sort(key=lambda row: row["name"].casefold())
    present.sort(
        key=lambda row: row[key].casefold() if isinstance(row[key], str) else row[key],
        reverse=sort.startswith("-"),
    )
    return present + missing


def _sort_headers(sort: str) -> list[dict[str, Any]]:
    labels = {
        "name": _("Organization"),
        "group": _("Group"),
        "degree_in": _("Degree in"),
        "degree_out": _("Degree out"),
        "degree": _("Degree"),
        "betweenness": _("Betweenness"),
        "closeness": _("Closeness"),
        "eigenvector": _("Eigenvector"),
        "ei": _("E-I"),
        "community": _("Community"),
    }
    headers = []
    for column in SORT_COLUMNS:
        current = sort.lstrip("-") == column
        descending = current and sort.startswith("-")
        # Names sort A→Z first; numbers largest first.
        first = column if column in ("name", "group", "community") else f"-{column}"
        target = (column if descending else f"-{column}") if current else first
        aria = ("descending" if descending else "ascending") if current else "none"
        headers.append({"column": column, "label": labels[column], "target": target, "aria_sort": aria})
    return headers


def _organization_table(network: Network, result: NetworkMetrics, sort: str) -> tuple[list[str], list[list]]:
    headers = [
        _("Organization"),
        _("Public id"),
        _("Group"),
        _("Family"),
        _("Degree in"),
        _("Degree out"),
        _("Degree"),
        _("Betweenness"),
        _("Closeness"),
        _("Eigenvector"),
        _("E-I"),
        _("Community"),
    ]
    rows = [
        [
            row["name"],
            row["public_id"],
            row["group_label"],
            row["family"],
            row["degree_in"],
            row["degree_out"],
            row["degree"],
            _rounded(row["betweenness"]),
            _rounded(row["closeness"]),
            _rounded(row["eigenvector"]),
            _rounded(row["ei"]),
            row["community"],
        ]
        for row in _organization_rows(network, result, sort)
    ]
    return headers, rows


def _rounded(value: Any) -> float | None:
    value = _finite(value)
    return None if value is None else round(value, 6)


def _communities(network: Network, result: NetworkMetrics) -> list[dict[str, Any]]:
    communities = []
    for number, members in enumerate(result.communities, start=1):
        if len(members) < 2:
            continue  # an isolate is not a community worth listing
        shown = sorted((network.nodes[member] for member in members), key=lambda node: node.name.casefold())
        communities.append(
            {
                "number": number,
                "size": len(members),
                "members": shown[:COMMUNITY_MEMBERS_SHOWN],
                "more": max(0, len(members) - COMMUNITY_MEMBERS_SHOWN),
            }
        )
    return communities


def _trust_value(network: Network, result: NetworkMetrics) -> dict[str, Any] | None:
    if not result.trust and not result.value:
        return None
    trust = result.trust or {"per_organization": {}}
    value = result.value or {"per_organization": {}}
    rated = set(trust["per_organization"]) | set(value["per_organization"])
    rows = []
    for node_id in sorted(rated, key=lambda pk: network.nodes[pk].name.casefold()):
        rows.append(
            {
                "node": network.nodes[node_id],
                "trust": trust["per_organization"].get(node_id),
                "value": value["per_organization"].get(node_id),
            }
        )
    return {"trust": result.trust, "value": result.value, "rows": rows}


def _collaboration(network: Network, result: NetworkMetrics) -> dict[str, Any]:
    data = result.collaboration
    labels = dict(CollaborationLevel.choices)
    distribution = [
        {
            "level": level,
            "label": str(labels[level]),
            "count": data["counts"][level],
            "share": format_measure(data["distribution"][level], "percent"),
        }
        for level in range(6)
    ]
    disagreements = [
        {
            "a": network.nodes[pair["a"]],
            "b": network.nodes[pair["b"]],
            "a_to_b": pair["a_to_b"],
            "b_to_a": pair["b_to_a"],
        }
        for pair in data["disagreements"]
    ]
    spec = None
    if data["ratings"]:
        spec = {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "description": _(
                "Ratings at each level of collaboration; the table beside holds the same numbers."
            ),
            "data": {
                "values": [
                    {"level": f"{row['level']} · {row['label']}", "count": row["count"]}
                    for row in distribution
                ]
            },
            "mark": {"type": "bar", "tooltip": True},
            "width": 320,
            "encoding": {
                "y": {
                    "field": "level",
                    "type": "nominal",
                    "sort": None,
                    "title": _("Level of collaboration"),
                },
                "x": {
                    "field": "count",
                    "type": "quantitative",
                    "title": _("Ratings"),
                    "axis": {"tickMinStep": 1},
                },
            },
        }
    return {
        "ratings": data["ratings"],
        "mean": format_measure(data["mean"], "score"),
        "distribution": distribution,
        "disagreements": disagreements,
        "spec": spec,
    }


# --- comparing two waves --------------------------------------------------------------------


def compare_waves(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("from") and request.GET.get("to")
    initial = {"from_wave": request.GET.get("from"), "to_wave": request.GET.get("to")}
    form = CompareForm(request.GET if chosen else None, user=request.user, initial=initial)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        context.update(_compare_context(form.cleaned_data["from_wave"], form.cleaned_data["to_wave"]))
    elif form.is_bound:
        status = 400
    return render(request, "network/compare_page.html", context, status=status)


def _compare_context(before_wave: Wave, after_wave: Wave) -> dict[str, Any]:
    before_network, before = wave_metrics(NetworkFilter(wave=before_wave))
    after_network, after = wave_metrics(NetworkFilter(wave=after_wave))
    nodes = {**before_network.nodes, **after_network.nodes}
    result = compare(before, after, before_network.edges, after_network.edges, nodes)
    measures = []
    for row in result["measures"]:
        if row["key"] not in MEASURES or (row["before"] is None and row["after"] is None):
            continue
        label, explanation, style = MEASURES[row["key"]]
        measures.append(
            {
                "label": label,
                "explanation": explanation,
                "before": format_measure(row["before"], style),
                "after": format_measure(row["after"], style),
                "change": format_change(row["change"], style),
            }
        )
    ei_rows = [
        {
            "label": _group_label(after if row["key"] in after.ei_by_group else before, row["key"]),
            "before": format_measure(row["before"], "signed"),
            "after": format_measure(row["after"], "signed"),
            "change": format_change(row["change"], "signed"),
        }
        for row in result["ei_by_group"]
    ]
    health_labor = {
        name: [
            {**pair, "health_node": nodes[pair["health"]], "labor_node": nodes[pair["labor"]]}
            for pair in pairs
        ]
        for name, pairs in result["health_labor"].items()
    }
    return {
        "before_wave": before_wave,
        "after_wave": after_wave,
        "measures": measures,
        "ei_rows": ei_rows,
        "health_labor": health_labor,
    }

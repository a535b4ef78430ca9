"""Retrieval of coded segments and their exports, the code-by-sector and co-occurrence matrices,
and the page that turns a quote into an initiative of the catalog."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from healthywork.catalog.models import Initiative
from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404, require
from healthywork.scan import quotes, retrieval
from healthywork.scan.forms_analysis import (
    CooccurrenceForm,
    LinkForm,
    MatrixForm,
    QuoteInitiativeForm,
    SegmentFilterForm,
)
from healthywork.scan.models import Code, Coding, Project, QuoteLink

SEGMENT_FORMATS = ("csv", "xlsx", "docx")
TABLE_FORMATS = ("csv", "xlsx")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bad_format(fmt: str, allowed: tuple[str, ...]) -> HttpResponse:
    return HttpResponseBadRequest(
        _("Unknown format “%(format)s”; use %(formats)s.") % {"format": fmt, "formats": ", ".join(allowed)},
        content_type="text/plain; charset=utf-8",
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    )


# --- Retrieval ---------------------------------------------------------------------------------


def segments(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    form = SegmentFilterForm(request.GET, project=project)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in SEGMENT_FORMATS:
        return _bad_format(fmt, SEGMENT_FORMATS)
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest(_form_errors(form), content_type="text/plain; charset=utf-8")
        return render(request, "scan/analysis_segments.html", {"project": project, "form": form}, status=400)
    chosen = form.to_filter()
    codings = retrieval.selected_codings(request.user, project, chosen)
    if fmt:
        return _export_segments(project, chosen, codings, fmt)
    ordered = retrieval.OrderedSegments(codings, project)
    context = {
        "project": project,
        "form": form,
        "has_selection": form.has_selection(),
        "page": paginate(request, ordered) if form.has_selection() else None,
        "export_formats": SEGMENT_FORMATS,
        "can_link": request.user.can("catalog.edit"),
    }
    if context["page"] is not None:
        context["segments"] = list(retrieval.describe(context["page"].object_list))
    template = "scan/analysis_segments.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


SEGMENT_HEADERS = [
    ("code_name", "Code"),
    ("snippet", "Quote"),
    ("document_title", "Document"),
    ("organization_name", "Organization"),
    ("sector_name", "Sector"),
    ("family_label", "Sector family"),
    ("level_label", "Level"),
    ("interview_date", "Interview date"),
    ("coder_label", "Coder"),
    ("start_offset", "Start"),
    ("end_offset", "End"),
    ("public_id", "Coding id"),
]


def _segment_headers() -> list[str]:
    labels = {
        "Code": _("Code"),
        "Quote": _("Quote"),
        "Document": _("Document"),
        "Organization": _("Organization"),
        "Sector": _("Sector"),
        "Sector family": _("Sector family"),
        "Level": _("Level"),
        "Interview date": _("Interview date"),
        "Coder": _("Coder"),
        "Start": _("Start"),
        "End": _("End"),
        "Coding id": _("Coding id"),
    }
    return [labels[label] for _key, label in SEGMENT_HEADERS]


CSV_FIELDS = [
    "code_name",
    "snippet",
    "document_title",
    "organization_name",
    "sector_name",
    "sector_family",
    "organization_level",
    "interview_at",
    "is_consensus",
    "coder_username",
    "coder_first_name",
    "coder_last_name",
    "start_offset",
    "end_offset",
    "public_id",
]


def _export_segments(project: Project, chosen, codings, fmt: str) -> HttpResponse:
    name = slugify(chosen.code.name if chosen.code else project.name) or "segments"
    if fmt == "csv":
        return _segments_csv(retrieval.OrderedSegments(codings, project), f"segments-{name}.csv")
    rows = retrieval.as_segment_rows(codings).order_by(*retrieval.SEGMENT_ORDER)
    if fmt == "docx":
        ordered = retrieval.by_codebook_order(rows, project)
        content = _segments_docx(project, retrieval.describe(ordered.iterator()))
        return _download(content, DOCX_TYPE, f"segments-{name}.docx")
    table = (
        [str(row[key]) if key == "public_id" else row[key] for key, _label in SEGMENT_HEADERS]
        for row in retrieval.describe(rows.iterator())
    )
    content, content_type = tabular.export_bytes(fmt, _segment_headers(), table)
    return _download(content, content_type, f"segments-{name}.{fmt}")


class _Echo:
    """A file-like object whose write() hands the text back (for csv.writer in a stream)."""

    def write(self, value: str) -> str:
        return value


def _segments_csv(ordered: retrieval.OrderedSegments, filename: str) -> HttpResponse:
    """The CSV export: the same cells as `tabular.write_csv` writes (labels, formula
    neutralisation, a byte-order mark), built from tuples read in order a few thousand at a time.

    `lines()` yields the file piece by piece, ready for a StreamingHttpResponse; the response is
    still a plain one because the segment tests (and API clients) read `response.content`."""
    neutralise = tabular.neutralise
    families, levels = retrieval.labels()  # translated once, not once per row
    consensus = _("consensus")

    def cells(row: tuple) -> list[Any]:
        (code, quote, title, organization, sector, family, level, when, is_consensus) = row[:9]
        (username, first_name, last_name, start, end, public_id) = row[9:]
        coder = consensus if is_consensus else (f"{first_name} {last_name}".strip() or username)
        return [
            neutralise(code),
            neutralise(quote),
            neutralise(title),
            "" if organization is None else neutralise(organization),
            "" if sector is None else neutralise(sector),
            neutralise(str(families.get(family, family or ""))),
            neutralise(str(levels.get(level, level or ""))),
            "" if when is None else when.date(),
            neutralise(coder),
            start,
            end,
            str(public_id),
        ]

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(_segment_headers())
        chunk: list[str] = []
        for row in ordered.iterate(CSV_FIELDS):
            chunk.append(writer.writerow(cells(row)))
            if len(chunk) >= 500:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)

    return _download("".join(lines()).encode("utf-8"), "text/csv; charset=utf-8", filename)


def _attribution(row: dict[str, Any]) -> str:
    where = row["organization_name"] or _("no organization")
    if row["sector_name"]:
        where = f"{where} ({row['sector_name']})"
    when = row["interview_date"].isoformat() if row["interview_date"] else _("undated")
    return _("— %(where)s, interview of %(date)s; %(document)s; coded by %(coder)s") % {
        "where": where,
        "date": when,
        "document": row["document_title"],
        "coder": row["coder_label"],
    }


def _segments_docx(project: Project, rows) -> bytes:
    """A heading per code, each quote a block quote with its attribution line."""
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(_("Coded segments: %(project)s") % {"project": project.name}, level=1)
    current = None
    count = 0
    for row in rows:
        if row["code_id"] != current:
            current = row["code_id"]
            word.add_heading(row["code_name"], level=2)
        word.add_paragraph(row["snippet"], style="Quote")
        attribution = word.add_paragraph(_attribution(row))
        attribution.runs[0].italic = True
        count += 1
    if not count:
        word.add_paragraph(_("No segment matches these filters."))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- Code by sector ----------------------------------------------------------------------------


def code_sector_matrix(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    form = MatrixForm(request.GET, project=project)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in TABLE_FORMATS:
        return _bad_format(fmt, TABLE_FORMATS)
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest(_form_errors(form), content_type="text/plain; charset=utf-8")
        return render(request, "scan/analysis_matrix.html", {"project": project, "form": form}, status=400)
    by_family = form.cleaned_data["by"] == "family"
    measure = form.cleaned_data["measure"] or "organizations"
    matrix = retrieval.code_sector_matrix(
        request.user,
        project,
        form.to_filter(),
        by_family=by_family,
        all_codes=form.cleaned_data["codes"] == "all",
    )
    if fmt:
        headers, table = _matrix_export(matrix, by_family)
        content, content_type = tabular.export_bytes(fmt, headers, table)
        return _download(content, content_type, f"code-by-{'family' if by_family else 'sector'}.{fmt}")
    context = {"project": project, "form": form, "measure": measure, "by_family": by_family}
    context.update(_matrix_context(matrix, measure, by_family, form))
    return render(request, "scan/analysis_matrix.html", context)


def _matrix_context(
    matrix: retrieval.Matrix, measure: str, by_family: bool, form: MatrixForm
) -> dict[str, Any]:
    index = 0 if measure == "organizations" else 1
    rolls_up = form.cleaned_data["codes"] != "all"  # top-level rows count their sub-codes' segments
    base = reverse("scan:segments", args=[form.project.public_id])
    shared = {
        key: value for key, value in form.data.items() if key in ("level", "coder", "consensus") and value
    }
    table = []
    for code in matrix.rows:
        cells = []
        for key, label in matrix.columns:
            value = matrix.value(code.pk, key, measure)
            params = {"code": code.public_id, "children": "on" if rolls_up else "", **shared}
            params["family" if by_family else "sector"] = key
            cells.append({"value": value, "label": label, "url": _with_query(base, params)})
        table.append(
            {
                "code": code,
                "depth": getattr(code, "depth", 0),
                "cells": cells,
                "total": matrix.row_totals.get(code.pk, (0, 0))[index],
            }
        )
    columns = [
        {"label": label, "total": matrix.column_totals.get(key, (0, 0))[index]}
        for key, label in matrix.columns
    ]
    measure_label = _("Organizations") if measure == "organizations" else _("Segments")
    values = [
        {"row": row["code"].name, "col": cell["label"], "value": cell["value"]}
        for row in table
        for cell in row["cells"]
    ]
    spec = None
    if values and matrix.columns:
        spec = _heatmap_spec(
            values,
            rows=[row["code"].name for row in table],
            cols=[label for _key, label in matrix.columns],
            row_title=_("Code"),
            col_title=_("Sector family") if by_family else _("Sector"),
            value_title=measure_label,
            description=_("Heatmap of codes by %(columns)s: %(measure)s per cell.")
            % {"columns": _("sector family") if by_family else _("sector"), "measure": measure_label.lower()},
        )
    return {
        "matrix": matrix,
        "table": table,
        "columns": columns,
        "grand_total": matrix.total[index],
        "measure_label": measure_label,
        "spec": spec,
        "chart_options": chart_options("code-by-sector"),
        "export_formats": TABLE_FORMATS,
    }


def _with_query(base: str, params: dict[str, Any]) -> str:
    return f"{base}?{urlencode({key: value for key, value in params.items() if value})}"


def _matrix_export(matrix: retrieval.Matrix, by_family: bool) -> tuple[list[str], list[list[Any]]]:
    """One line per cell, both measures (a tidy table a spreadsheet can pivot)."""
    headers = [
        _("Code"),
        _("Sector family") if by_family else _("Sector"),
        _("Organizations"),
        _("Segments"),
    ]
    table = []
    for code in matrix.rows:
        for key, label in matrix.columns:
            organizations, count = matrix.cells.get((code.pk, key), (0, 0))
            table.append([code.name, label, organizations, count])
    for key, label in matrix.columns:
        organizations, count = matrix.column_totals.get(key, (0, 0))
        table.append([_("Total"), label, organizations, count])
    return headers, table


def _heatmap_spec(
    values: list[dict[str, Any]],
    *,
    rows: list[str],
    cols: list[str],
    row_title: str,
    col_title: str,
    value_title: str,
    description: str,
) -> dict[str, Any]:
    """A Vega-Lite heatmap, each cell labelled with its number (colour is never the only sign)."""
    largest = max((item["value"] for item in values), default=0) or 1
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "data": {"values": values},
        "width": {"step": 56},
        "height": {"step": 30},
        "encoding": {
            "x": {
                "field": "col",
                "type": "nominal",
                "sort": cols,
                "title": col_title,
                "axis": {"orient": "top", "labelAngle": -35, "labelLimit": 180, "domain": False},
            },
            "y": {
                "field": "row",
                "type": "nominal",
                "sort": rows,
                "title": row_title,
                "axis": {"labelLimit": 220, "domain": False},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": value_title,
                        "scale": {"scheme": "blues", "domain": [0, largest]},
                    },
                    "tooltip": [
                        {"field": "row", "type": "nominal", "title": row_title},
                        {"field": "col", "type": "nominal", "title": col_title},
                        {"field": "value", "type": "quantitative", "title": value_title},
                    ],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 12},
                "encoding": {
                    "text": {"field": "value", "type": "quantitative"},
                    "color": {
                        "condition": {"test": f"datum.value > {largest * 0.6}", "value": "#ffffff"},
                        "value": "#1c2430",
                    },
                },
            },
        ],
        "config": {"axis": {"labelFontSize": 12, "titleFontSize": 13}, "view": {"stroke": None}},
    }


# --- Co-occurrence -----------------------------------------------------------------------------


def cooccurrence(request: HttpRequest, public_id) -> HttpResponse:
    project = get_visible_or_404(Project, request.user, public_id=public_id)
    form = CooccurrenceForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt and fmt != "csv":
        return _bad_format(fmt, ("csv",))
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest(_form_errors(form), content_type="text/plain; charset=utf-8")
        return render(
            request, "scan/analysis_cooccurrence.html", {"project": project, "form": form}, status=400
        )
    same_coder = form.cleaned_data["coders"] != "any"
    pairs = retrieval.cooccurrence(request.user, project, same_coder=same_coder)
    codes = retrieval.codes_in_pairs(project, pairs)
    counts = retrieval.symmetric(pairs)
    if fmt:
        headers = [_("Code"), *(code.name for code in codes)]
        table = [[row.name, *(counts.get((row.pk, col.pk), 0) for col in codes)] for row in codes]
        content, content_type = tabular.export_bytes("csv", headers, table)
        return _download(content, content_type, "code-cooccurrence.csv")
    context = {"project": project, "form": form, "codes": codes, "same_coder": same_coder}
    context.update(_cooccurrence_context(project, codes, counts, same_coder))
    return render(request, "scan/analysis_cooccurrence.html", context)


def _cooccurrence_context(
    project: Project, codes: list[Code], counts: dict, same_coder: bool
) -> dict[str, Any]:
    base = reverse("scan:segments", args=[project.public_id])
    table = []
    for row in codes:
        cells = []
        for col in codes:
            value = counts.get((row.pk, col.pk), 0)
            params = {
                "code": row.public_id,
                "overlapping": col.public_id,
                "same_coder": "on" if same_coder else "",
            }
            cells.append(
                {
                    "code": col,
                    "value": value,
                    "is_diagonal": row.pk == col.pk,
                    "url": _with_query(base, params),
                }
            )
        table.append({"code": row, "cells": cells})
    values = [
        {"row": row["code"].name, "col": cell["code"].name, "value": cell["value"]}
        for row in table
        for cell in row["cells"]
        if not cell["is_diagonal"]
    ]
    names = [code.name for code in codes]
    spec = None
    if values:
        spec = _heatmap_spec(
            values,
            rows=names,
            cols=names,
            row_title=_("Code"),
            col_title=_("Code"),
            value_title=_("Overlapping pairs"),
            description=_("Heatmap of code co-occurrence: pairs of overlapping segments per pair of codes."),
        )
    return {"table": table, "spec": spec, "chart_options": chart_options("code-cooccurrence")}


# --- From quote to catalog ---------------------------------------------------------------------

CANDIDATES = 20


def _candidates(user, coding: Coding, query: str) -> list[Initiative]:
    """The interview organization's initiatives first, then those whose title matches the search."""
    visible = Initiative.objects.visible_to(user).select_related("lead_organization", "action_type")
    organization = coding.document.organization
    found = list(visible.involving(organization)[:CANDIDATES]) if organization else []
    if query:
        seen = [initiative.pk for initiative in found]
        found += list(visible.filter(title__icontains=query).exclude(pk__in=seen)[:CANDIDATES])
    return found


def quote_to_initiative(request: HttpRequest, public_id) -> HttpResponse:
    coding = get_object_or_404(
        Coding.objects.visible_to(request.user)
        .select_related("code", "coder", "document__project", "document__interview__organization__sector")
        .defer("document__text", "document__original_text"),
        public_id=public_id,
    )
    require(request.user, "catalog.edit")
    action = request.POST.get("action") if request.method == "POST" else None
    organization = coding.document.organization
    create_form = QuoteInitiativeForm(
        request.POST if action == "create" else None,
        initial={"summary": coding.snippet, "lead_organization": organization},
    )
    link_form = LinkForm(request.POST if action == "link" else None, user=request.user)
    if action == "create" and create_form.is_valid():
        initiative = quotes.create_initiative_from_quote(coding, create_form.cleaned_data, by=request.user)
        messages.success(
            request, _("%(title)s is added, with this quote as its source.") % {"title": initiative.title}
        )
        return redirect(initiative)
    if action == "link" and link_form.is_valid():
        initiative = link_form.cleaned_data["initiative"]
        try:
            quotes.link_quote(coding, initiative, by=request.user)
        except quotes.QuoteLinkError as error:
            link_form.add_error("initiative", str(error))
        else:
            messages.success(request, _("The quote is linked to %(title)s.") % {"title": initiative.title})
            return redirect(initiative)
    query = request.GET.get("q", "").strip()[:200]
    context = {
        "coding": coding,
        "project": coding.document.project,
        "organization": organization,
        "create_form": create_form,
        "link_form": link_form,
        "query": query,
        "candidates": _candidates(request.user, coding, query),
        "linked": set(QuoteLink.objects.filter(coding=coding).values_list("initiative_id", flat=True)),
        "source": quotes.source_text(coding),
    }
    status = 400 if create_form.errors or link_form.errors else 200
    return render(request, "scan/analysis_quote.html", context, status=status)

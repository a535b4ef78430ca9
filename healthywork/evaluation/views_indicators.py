"""The indicators pages: the indicators of the teams a person may see with their latest value
against target, and one indicator's measurements (chart and table, add, compute from an
administration, delete, export, import with preview)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.permissions import get_visible_or_404
from healthywork.core.staging import stage_upload, staged_table
from healthywork.evaluation import indicators
from healthywork.evaluation.forms_indicators import (
    ChooseAdministrationForm,
    ComputeForm,
    IndicatorFilterForm,
    MeasurementForm,
    MeasurementImportForm,
)
from healthywork.evaluation.models import Administration, Measurement
from healthywork.planning.models import Indicator

EXPORT_FORMATS = ("csv", "xlsx")
IMPORT_KIND = "evaluation-measurements"


def _indicator(request: HttpRequest, public_id) -> Indicator:
    return get_object_or_404(indicators.visible_indicators(request.user), public_id=public_id)


def _require_write(request: HttpRequest, indicator: Indicator) -> None:
    if not indicators.can_write(request.user, indicator):
        raise PermissionDenied("evaluation indicators")


def indicator_list(request: HttpRequest) -> HttpResponse:
    form = IndicatorFilterForm(request.GET or None, user=request.user)
    rows = indicators.visible_indicators(request.user).order_by(
        "outcome__theory__team__name", "outcome_id", "pk"
    )
    team = form.cleaned_data.get("team") if form.is_valid() else None
    if team:
        rows = rows.filter(outcome__theory__team=team)
    rows = list(rows)
    latest = indicators.latest_by_indicator(rows)
    table = [
        {
            "indicator": indicator,
            "team": indicators.team_of(indicator),
            "latest": latest.get(indicator.pk),
            "target_number": indicators.parse_target(indicator.target),
        }
        for indicator in rows
    ]
    status = 200 if not form.errors else 400
    return render(request, "evaluation/indicator_list.html", {"form": form, "rows": table}, status=status)


def _detail_context(request: HttpRequest, indicator: Indicator, **extra) -> dict:
    measurements = list(indicator.measurements.select_related("administration", "created_by"))
    context = {
        "indicator": indicator,
        "team": indicators.team_of(indicator),
        "measurements": measurements,
        "target_number": indicators.parse_target(indicator.target),
        "spec": indicators.chart_spec(indicator, measurements),
        "chart_options": chart_options("indicator"),
        "can_write": indicators.can_write(request.user, indicator),
        "formats": EXPORT_FORMATS,
        "form": MeasurementForm(),
    }
    context.update(extra)
    return context


def indicator_detail(request: HttpRequest, public_id) -> HttpResponse:
    indicator = _indicator(request, public_id)
    return render(request, "evaluation/indicator_detail.html", _detail_context(request, indicator))


def measurement_add(request: HttpRequest, public_id) -> HttpResponse:
    indicator = _indicator(request, public_id)
    _require_write(request, indicator)
    if request.method != "POST":
        return redirect("evaluation:indicator-detail", indicator.public_id)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        indicators.create_measurement(indicator, form.cleaned_data, by=request.user)
        messages.success(request, _("The measurement is saved."))
        return redirect("evaluation:indicator-detail", indicator.public_id)
    context = _detail_context(request, indicator, form=form)
    return render(request, "evaluation/indicator_detail.html", context, status=400)


def measurement_compute(request: HttpRequest, public_id) -> HttpResponse:
    indicator = _indicator(request, public_id)
    _require_write(request, indicator)
    administrations = (
        Administration.objects.visible_to(request.user)
        .select_related("instrument")
        .order_by("-opens_at", "-pk")
    )
    choose = ChooseAdministrationForm(request.GET or None, administrations=administrations)
    administration = choose.cleaned_data["administration"] if choose.is_valid() else None
    form = None
    error = None
    status = 200
    if administration is not None:
        targets = indicators.targets_of(administration)
        form = ComputeForm(request.POST or None, targets=targets)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    indicators.create_computed(
                        indicator,
                        administration,
                        what=data["what"],
                        statistic=data["statistic"],
                        threshold=data.get("threshold"),
                        on=data["date"],
                        note=data.get("note", ""),
                        by=request.user,
                    )
                except indicators.ComputeError as problem:
                    error = str(problem)
                    status = 400
                else:
                    messages.success(request, _("The measurement is computed and saved."))
                    return redirect("evaluation:indicator-detail", indicator.public_id)
            else:
                status = 400
    elif request.GET.get("administration"):
        status = 400
    context = {
        "indicator": indicator,
        "team": indicators.team_of(indicator),
        "choose": choose,
        "administration": administration,
        "form": form,
        "error": error,
    }
    return render(request, "evaluation/indicator_compute.html", context, status=status)


def measurement_delete(request: HttpRequest, public_id) -> HttpResponse:
    measurement = get_visible_or_404(Measurement, request.user, public_id=public_id)
    indicator = _indicator(request, measurement.indicator.public_id)
    _require_write(request, indicator)
    if request.method == "POST":
        indicators.delete_measurement(measurement, by=request.user)
        messages.success(request, _("The measurement is deleted."))
        return redirect("evaluation:indicator-detail", indicator.public_id)
    return render(
        request, "evaluation/indicator_delete.html", {"measurement": measurement, "indicator": indicator}
    )


def indicator_export(request: HttpRequest, public_id) -> HttpResponse:
    indicator = _indicator(request, public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    headers, rows = indicators.export_rows(indicator)
    content, content_type = tabular.export_bytes(fmt, headers, rows)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="indicator-measurements.{fmt}"'
    return response


def measurement_import(request: HttpRequest, public_id) -> HttpResponse:
    indicator = _indicator(request, public_id)
    _require_write(request, indicator)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(request.user, IMPORT_KIND, upload.name, upload.read())
        return redirect("evaluation:indicator-import-preview", indicator.public_id, staged.pk)
    status = 400 if form.errors else 200
    context = {"indicator": indicator, "form": form, "columns": indicators.IMPORT_COLUMNS}
    return render(request, "evaluation/indicator_import.html", context, status=status)


def measurement_import_preview(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    indicator = _indicator(request, public_id)
    _require_write(request, indicator)
    staged, table = staged_table(request, pk, IMPORT_KIND)
    if table is None:
        return redirect("evaluation:indicator-import", indicator.public_id)
    preview = indicators.preview_import(table)
    if request.method == "POST" and request.POST.get("confirm") and preview.can_apply:
        summary = indicators.apply_import(indicator, preview, by=request.user)
        staged.delete()
        messages.success(request, _("Import done: %(create)s measurements saved.") % summary)
        return redirect("evaluation:indicator-detail", indicator.public_id)
    context = {
        "indicator": indicator,
        "staged": staged,
        "preview": preview,
        "columns": indicators.IMPORT_COLUMNS,
    }
    return render(
        request, "evaluation/indicator_import_preview.html", context, status=200 if preview.can_apply else 400
    )

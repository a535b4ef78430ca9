"""Results pages: an administration's item and dimension statistics with filters and group
comparison, its response export (CSV, XLSX, SPSS .sav), and the pre/post change page."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.pagination import paginate
from healthywork.core.permissions import get_visible_or_404
from healthywork.evaluation import exporting, results
from healthywork.evaluation.models import Administration, TimePoint
from healthywork.partners.models import Family

TABLE_FORMATS = ("csv", "xlsx")


def _language() -> str:
    return (get_language() or "en")[:2]


class ResultsFilterForm(forms.Form):
    team = forms.ChoiceField(label=gettext_lazy("Team of the respondent"), required=False)
    family = forms.ChoiceField(
        label=gettext_lazy("Sector family of the respondent's organization"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(Family.choices),
    )
    compare = forms.ChoiceField(
        label=gettext_lazy("Compare groups"),
        required=False,
        choices=[
            ("", gettext_lazy("No comparison")),
            ("family", gettext_lazy("By sector family")),
            ("team", gettext_lazy("By team")),
        ],
    )

    def __init__(self, *args: Any, teams: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All"))] + [(str(pk), name) for pk, name in teams.items()]


def _teams_of(scored: results.Scored) -> dict[int, str]:
    wanted = {pk for pk in scored.matrix.team_ids if pk is not None}
    return dict(Team.objects.filter(pk__in=wanted).order_by("name").values_list("pk", "name"))


def results_page(request: HttpRequest, public_id) -> HttpResponse:
    administration = get_visible_or_404(Administration, request.user, public_id=public_id)
    language = _language()
    scored = results.load_scored(administration)
    teams = _teams_of(scored)
    form = ResultsFilterForm(request.GET or None, teams=teams)
    team_id = family = compare = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            team_id = int(form.cleaned_data["team"]) if form.cleaned_data["team"] else None
            family = form.cleaned_data["family"] or None
            compare = form.cleaned_data["compare"] or None
        else:
            status = 400
    shown = results.filter_rows(scored, team_id=team_id, family=family)
    statistics = results.results(shown, language)
    context: dict[str, Any] = {
        "administration": administration,
        "instrument": administration.instrument,
        "form": form,
        "counts": results.response_counts(administration),
        "n_shown": shown.n,
        "is_filtered": shown is not scored,
        "statistics": statistics,
        "item_spec": _item_chart(statistics["items"]),
        "item_options": chart_options("items"),
        "texts": paginate(request, results.text_answers(administration, team_id, family)),
        "export_formats": exporting.FORMATS,
        "may_identify": administration.may_identify(request.user),
        "prepost_url": _prepost_url(administration),
    }
    if compare:
        labels = dict(Family.choices) if compare == "family" else teams
        groups = results.compare_groups(shown, compare, {key: str(label) for key, label in labels.items()})
        context.update(
            compare=compare,
            groups=groups,
            compare_spec=_compare_chart(groups, statistics["dimensions"]),
            compare_options=chart_options("comparison"),
        )
    return render(request, "evaluation/results_page.html", context, status=status)


def _prepost_url(administration: Administration) -> str:
    if administration.time_point not in (TimePoint.POST, TimePoint.FOLLOW_UP):
        return ""
    return reverse("evaluation:prepost") + f"?post={administration.public_id}"


def _bar_chart(values: list[dict[str, Any]], encoding: dict[str, Any], **extra: Any) -> dict[str, Any] | None:
    """A Vega-Lite bar chart of `values`, as wide as its box; None when there is nothing to draw."""
    if not values:
        return None
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        **extra,
        "data": {"values": values},
        "mark": "bar",
        "encoding": encoding,
    }


def _item_chart(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A stacked bar per item: the share of answers at each choice (the table holds the counts)."""
    values = [
        {
            "item": row["code"] + (" (R)" if row["reverse"] else ""),
            "choice": choice["label"],
            "order": index,
            "count": choice["count"],
            "percent": round(choice["percent"], 1),
        }
        for row in items
        for index, choice in enumerate(row["distribution"])
    ]
    return _bar_chart(
        values,
        height={"step": 18},
        encoding={
            "y": {"field": "item", "type": "nominal", "sort": None, "title": _("Item")},
            "x": {
                "field": "percent",
                "type": "quantitative",
                "stack": "normalize",
                "title": _("Share of answers"),
            },
            "color": {
                "field": "choice",
                "type": "nominal",
                "sort": {"field": "order"},
                "title": _("Answer"),
                "scale": {"scheme": "blueorange"},
            },
            "order": {"field": "order"},
            "tooltip": [
                {"field": "item", "title": _("Item")},
                {"field": "choice", "title": _("Answer")},
                {"field": "count", "title": _("Count")},
                {"field": "percent", "title": "%"},
            ],
        },
    )


def _compare_chart(groups: list[dict[str, Any]], dimensions: list[dict[str, Any]]) -> dict[str, Any] | None:
    labels = {row["code"]: row["label"] for row in dimensions}
    values = [
        {
            "group": group["label"],
            "dimension": labels.get(cell["code"], cell["code"]),
            "mean": cell["mean"],
            "n": cell["n"],
        }
        for group in groups
        for cell in group["dimensions"]
        if cell["mean"] is not None
    ]
    return _bar_chart(
        values,
        encoding={
            "y": {"field": "dimension", "type": "nominal", "title": _("Dimension")},
            "yOffset": {"field": "group"},
            "x": {"field": "mean", "type": "quantitative", "title": _("Mean score")},
            "color": {"field": "group", "type": "nominal", "title": _("Group")},
            "tooltip": [
                {"field": "group", "title": _("Group")},
                {"field": "dimension", "title": _("Dimension")},
                {"field": "mean", "title": _("Mean score"), "format": ".2f"},
                {"field": "n", "title": "n"},
            ],
        },
    )


def results_export(request: HttpRequest, public_id) -> HttpResponse:
    """The responses as CSV (streamed), XLSX or SPSS .sav; identifiers only for managers and
    evaluators, and only when not left out (?identifiers=no)."""
    administration = get_visible_or_404(Administration, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in exporting.FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”; use csv, xlsx or sav.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    identifiers = request.GET.get("identifiers", "yes") not in ("no", "0", "false")
    identifiers = identifiers and administration.may_identify(request.user)
    table = exporting.response_table(administration, include_identifiers=identifiers)
    filename = f"responses-{administration.public_id}.{fmt}"
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            exporting.csv_chunks(table), content_type=exporting.CONTENT_TYPES["csv"]
        )
    else:
        writer = exporting.write_xlsx if fmt == "xlsx" else exporting.write_sav
        response = HttpResponse(writer(table), content_type=exporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Pre/post -------------------------------------------------------------------------------------


class PrePostForm(forms.Form):
    post = forms.ModelChoiceField(
        label=gettext_lazy("Post or follow-up administration"),
        queryset=Administration.objects.none(),
        to_field_name="public_id",
    )
    pre = forms.ModelChoiceField(
        label=gettext_lazy("Baseline (pre) administration"),
        queryset=Administration.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=gettext_lazy("Leave empty to use the post administration's own pre administration."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Administration.objects.visible_to(user).select_related("instrument")
        self.fields["post"].queryset = visible
        self.fields["pre"].queryset = visible
        self.fields["post"].label_from_instance = self.fields["pre"].label_from_instance = _label

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        post, pre = cleaned.get("post"), cleaned.get("pre")
        if post is None:
            return cleaned
        if pre is None:
            pre = post.pre
            if pre is None or not self.fields["pre"].queryset.filter(pk=pre.pk).exists():
                self.add_error(
                    "pre", _("This administration names no pre administration: choose the baseline.")
                )
                return cleaned
            cleaned["pre"] = pre
        if pre.pk == post.pk:
            self.add_error("pre", _("Choose two different administrations."))
        elif pre.instrument_id != post.instrument_id:
            self.add_error(
                "pre", _("The baseline uses another instrument; choose one of the same instrument.")
            )
        return cleaned


def _label(administration: Administration) -> str:
    return f"{administration.title} — {administration.get_time_point_display()} ({administration.instrument})"


def prepost_page(request: HttpRequest) -> HttpResponse:
    form = PrePostForm(request.GET or None, user=request.user)
    context: dict[str, Any] = {"form": form, "export_formats": TABLE_FORMATS}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        pre, post = form.cleaned_data["pre"], form.cleaned_data["post"]
        language = _language()
        result = results.prepost(*results.load_pair(pre, post), language)
        fmt = request.GET.get("format")
        if fmt:
            if fmt not in TABLE_FORMATS:
                return HttpResponseBadRequest(
                    _("Unknown format “%(format)s”; use csv or xlsx.") % {"format": fmt},
                    content_type="text/plain; charset=utf-8",
                )
            headers, rows = results.prepost_table(result)
            content, content_type = tabular.export_bytes(fmt, headers, rows)
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="prepost-{post.public_id}.{fmt}"'
            return response
        context.update(
            pre=pre,
            post=post,
            result=result,
            matching=result["matching"],
            spec=_prepost_chart(result["rows"]),
            chart_options=chart_options("prepost"),
        )
    return render(request, "evaluation/results_prepost.html", context, status=status)


def _prepost_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    pre, post = _("Pre"), _("Post")
    values = []
    for row in rows:
        if row["kind"] == "item" or row["mean_pre"] is None:
            continue
        values.append(
            {"measure": row["label"], "time": pre, "order": 0, "mean": row["mean_pre"], "n": row["n"]}
        )
        values.append(
            {"measure": row["label"], "time": post, "order": 1, "mean": row["mean_post"], "n": row["n"]}
        )
    return _bar_chart(
        values,
        encoding={
            "y": {"field": "measure", "type": "nominal", "sort": None, "title": None},
            "yOffset": {"field": "time", "sort": {"field": "order"}},
            "x": {
                "field": "mean",
                "type": "quantitative",
                "title": _("Mean score of the matched respondents"),
            },
            "color": {"field": "time", "type": "nominal", "sort": [pre, post], "title": _("Time point")},
            "tooltip": [
                {"field": "measure", "title": _("Measure")},
                {"field": "time", "title": _("Time point")},
                {"field": "mean", "title": _("Mean"), "format": ".2f"},
                {"field": "n", "title": _("Pairs")},
            ],
        },
    )

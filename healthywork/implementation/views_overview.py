"""The implementation's overview pages: the cohorts a person can see, a cohort's overview (one row
per visible team, a totals row, a chart with its table, CSV/XLSX), and a team's page (money, hours,
milestones, reports and changes, with links to add each)."""

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Cohort, Team
from healthywork.core import tabular
from healthywork.core.charts import chart_options
from healthywork.core.permissions import get_visible_or_404
from healthywork.implementation import milestones as milestone_rules
from healthywork.implementation import overview
from healthywork.implementation.models import AssistanceKind, ChangeKind, can_edit_money

EXPORT_FORMATS = ("csv", "xlsx")


def index(request: HttpRequest) -> HttpResponse:
    cohorts = Cohort.objects.visible_to(request.user).order_by("-start_date", "name")
    visible_teams = Team.objects.visible_to(request.user)
    context = {"cohorts": cohorts, "team_count": visible_teams.count()}
    return render(request, "implementation/overview_index.html", context)


def cohort(request: HttpRequest, public_id) -> HttpResponse:
    cohort_obj = get_visible_or_404(Cohort, request.user, public_id=public_id)
    result = overview.cohort_overview(cohort_obj, request.user)
    kinds = [(kind.value, kind.label) for kind in ChangeKind]
    rows = [
        {**row, "kind_counts": [row["changes_by_kind"].get(value, 0) for value, _label in kinds]}
        for row in result.rows
    ]
    totals = {
        **result.totals,
        "kind_counts": [result.totals["changes_by_kind"].get(value, 0) for value, _label in kinds],
    }
    context = {
        "cohort": cohort_obj,
        "overview": result,
        "rows": rows,
        "totals": totals,
        "kinds": kinds,
        "spec": overview.chart_spec(result),
        "chart_options": chart_options(f"overview-{cohort_obj.public_id}"),
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "implementation/overview_cohort.html", context)


def cohort_export(request: HttpRequest, public_id) -> HttpResponse:
    cohort_obj = get_visible_or_404(Cohort, request.user, public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”; use csv or xlsx.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    headers, rows = overview.export_table(overview.cohort_overview(cohort_obj, request.user))
    content, content_type = tabular.export_bytes(fmt, headers, rows)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="implementation-overview.{fmt}"'
    return response


def team(request: HttpRequest, public_id) -> HttpResponse:
    team_obj = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("cohort"), public_id=public_id
    )
    today = timezone.localdate()
    summary = overview.team_overview(team_obj, today)
    milestones = list(team_obj.milestones.select_related("action_step"))
    for milestone in milestones:
        milestone.state = milestone_rules.state(milestone, today)
        milestone.state_label = milestone_rules.STATE_LABELS[milestone.state]
    context = {
        "team": team_obj,
        "cohort": team_obj.cohort,
        "summary": summary,
        "grants": team_obj.grants.select_related("funder").annotate(paid=Sum("disbursements__amount")),
        "hours_by_kind": [
            (kind.label, summary["hours_by_kind"].get(kind.value, 0)) for kind in AssistanceKind
        ],
        "changes_by_kind": [
            (kind.label, summary["changes_by_kind"].get(kind.value, 0)) for kind in ChangeKind
        ],
        "milestones": milestones,
        "reports": team_obj.progress_reports.select_related("submitted_by"),
        "changes": team_obj.changes.select_related("organization"),
        "can_edit": team_obj.can_edit(request.user),
        "can_edit_money": can_edit_money(request.user, team_obj),
    }
    return render(request, "implementation/overview_team.html", context)

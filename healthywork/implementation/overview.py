"""What a team page and the cohort overview show: money and hours (from `money`), milestones done on
time, done and overdue, PSE changes by kind and workers reached.

`progress_summaries(team_ids, today)` runs two queries (milestones counted by team, changes grouped
by team and kind) whatever the number of teams, and `cohort_overview` adds the two of
`money.summaries`, so the overview page's query count does not grow with the cohort.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Cohort, Team
from healthywork.implementation import money
from healthywork.implementation.models import AssistanceKind, Change, ChangeKind, Milestone, MilestoneStatus

ZERO = Decimal("0")


def empty_progress() -> dict[str, Any]:
    return {
        "milestones": 0,
        "done": 0,
        "on_time": 0,
        "late": 0,
        "overdue": 0,
        "changes": 0,
        "changes_by_kind": {kind.value: 0 for kind in ChangeKind},
        "workers_reached": 0,
    }


def progress_summaries(team_ids, today: date | None = None) -> dict[int, dict[str, Any]]:
    """team id -> milestone and change counts (two queries)."""
    today = today or timezone.localdate()
    team_ids = list(team_ids)
    result = {team_id: empty_progress() for team_id in team_ids}
    if not team_ids:
        return result
    done = Q(status=MilestoneStatus.DONE)
    open_ = ~Q(status__in=[MilestoneStatus.DONE, MilestoneStatus.DROPPED])
    milestones = (
        Milestone.objects.filter(team_id__in=team_ids)
        .order_by()
        .values("team_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(completed_on__lte=F("due_date"))),
            late=Count("pk", filter=done & Q(completed_on__gt=F("due_date"))),
            overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
        )
    )
    for row in milestones:
        summary = result[row["team_id"]]
        summary.update(
            milestones=row["total"],
            done=row["done"],
            on_time=row["on_time"],
            late=row["late"],
            overdue=row["overdue"],
        )
    changes = (
        Change.objects.filter(team_id__in=team_ids)
        .order_by()
        .values("team_id", "kind")
        .annotate(count=Count("pk"), workers=Sum("workers_reached"))
    )
    for row in changes:
        summary = result[row["team_id"]]
        summary["changes"] += row["count"]
        summary["changes_by_kind"][row["kind"]] = (
            summary["changes_by_kind"].get(row["kind"], 0) + row["count"]
        )
        summary["workers_reached"] += row["workers"] or 0
    return result


def team_overview(team: Team, today: date | None = None) -> dict[str, Any]:
    """Money, hours and progress of one team, merged in one dict."""
    return {**money.team_summary(team), **progress_summaries([team.pk], today)[team.pk]}


@dataclass
class CohortOverview:
    cohort: Cohort
    rows: list[dict[str, Any]] = field(default_factory=list)  # {"team": Team, **summary}
    totals: dict[str, Any] = field(default_factory=dict)
    team_total: int = 0  # teams in the cohort, visible or not

    @property
    def hidden_teams(self) -> int:
        return self.team_total - len(self.rows)


SUMMED = ["awarded", "disbursed", "balance", "hours", "milestones", "done", "on_time", "late", "overdue",
          "changes", "workers_reached"]  # fmt: skip


def cohort_overview(cohort: Cohort, user: Any, today: date | None = None) -> CohortOverview:
    """One row per team of the cohort the user may see, and a totals row (five queries)."""
    teams = list(Team.objects.visible_to(user).filter(cohort=cohort).order_by("name"))
    ids = [team.pk for team in teams]
    money_by_team = money.summaries(ids)
    progress_by_team = progress_summaries(ids, today)
    overview = CohortOverview(cohort=cohort, team_total=Team.objects.filter(cohort=cohort).count())
    totals: dict[str, Any] = {name: 0 for name in SUMMED}
    totals.update(awarded=ZERO, disbursed=ZERO, balance=ZERO, hours=ZERO)
    totals["changes_by_kind"] = {kind.value: 0 for kind in ChangeKind}
    totals["hours_by_kind"] = {kind.value: ZERO for kind in AssistanceKind}
    for team in teams:
        row = {"team": team, **money_by_team[team.pk], **progress_by_team[team.pk]}
        overview.rows.append(row)
        for name in SUMMED:
            totals[name] += row[name]
        for kind, count in row["changes_by_kind"].items():
            totals["changes_by_kind"][kind] = totals["changes_by_kind"].get(kind, 0) + count
        for kind, hours in row["hours_by_kind"].items():
            totals["hours_by_kind"][kind] = totals["hours_by_kind"].get(kind, ZERO) + hours
    overview.totals = totals
    return overview


def export_table(overview: CohortOverview) -> tuple[list[str], list[list[Any]]]:
    """The overview as a table: one row per team, then the totals."""
    kinds = list(ChangeKind)
    headers = [
        _("team"),
        _("awarded"),
        _("disbursed"),
        _("balance"),
        _("technical-assistance hours"),
        _("milestones"),
        _("milestones done"),
        _("done on time"),
        _("done late"),
        _("overdue"),
        *[str(kind.label) for kind in kinds],
        _("workers reached"),
    ]

    def cells(label: str, row: dict[str, Any]) -> list[Any]:
        return [
            label,
            row["awarded"],
            row["disbursed"],
            row["balance"],
            row["hours"],
            row["milestones"],
            row["done"],
            row["on_time"],
            row["late"],
            row["overdue"],
            *[row["changes_by_kind"].get(kind.value, 0) for kind in kinds],
            row["workers_reached"],
        ]

    rows = [cells(row["team"].name, row) for row in overview.rows]
    rows.append(cells(_("Total"), overview.totals))
    return headers, rows


def chart_spec(overview: CohortOverview) -> dict[str, Any]:
    """A Vega-Lite grouped bar chart: amount awarded and disbursed per team."""
    awarded, disbursed = _("Awarded"), _("Disbursed")
    values = []
    for row in overview.rows:
        values.append({"team": row["team"].name, "measure": awarded, "amount": float(row["awarded"])})
        values.append({"team": row["team"].name, "measure": disbursed, "amount": float(row["disbursed"])})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Amount awarded and disbursed per team"),
        "data": {"values": values},
        "mark": "bar",
        "width": "container",
        "encoding": {
            "y": {"field": "team", "type": "nominal", "title": _("Team"), "sort": None},
            "yOffset": {"field": "measure"},
            "x": {"field": "amount", "type": "quantitative", "title": _("Amount")},
            "color": {"field": "measure", "type": "nominal", "title": None, "sort": [awarded, disbursed]},
            "tooltip": [
                {"field": "team", "title": _("Team")},
                {"field": "measure", "title": _("Measure")},
                {"field": "amount", "title": _("Amount"), "format": ",.2f"},
            ],
        },
    }

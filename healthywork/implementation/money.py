"""Money and hours per team: the sums the team page and the cohort overview show.

`team_summary(team)` and `cohort_summary(cohort)` return the same dict per team:

- ``awarded``: sum of the amounts of the team's grants that are awarded or closed (planned and
  withdrawn grants are not money the team has); ``disbursed``: sum of those grants' disbursements;
  ``balance``: awarded - disbursed (negative when more was paid than awarded);
- ``grants``: how many awarded or closed grants;
- ``hours``: technical-assistance hours; ``assistance_count``: entries in the log;
  ``hours_by_kind``: {kind value: hours} with every kind present (zero when none);
- ``over_disbursed``: True when any one grant of the team (whatever its status) got more than its award.

Amounts are summed as numbers: the grants of one cohort share one currency (`Grant.clean` refuses
another), so a team's or a cohort's sums never add two currencies.

Both functions run a fixed number of queries (grants with their disbursed totals in one, assistance
grouped by team and kind in another), whatever the number of teams.
"""

from decimal import Decimal

from django.db.models import Count, Sum

from healthywork.collaborative.models import Cohort, Team
from healthywork.implementation.models import AssistanceKind, AssistanceLog, Grant, GrantStatus

ZERO = Decimal("0")
CENT = Decimal("0.01")
COUNTED_STATUSES = (GrantStatus.AWARDED, GrantStatus.CLOSED)


def empty_summary() -> dict:
    return {
        "awarded": ZERO,
        "disbursed": ZERO,
        "balance": ZERO,
        "grants": 0,
        "hours": ZERO,
        "assistance_count": 0,
        "hours_by_kind": {kind.value: ZERO for kind in AssistanceKind},
        "over_disbursed": False,
    }


def summaries(team_ids) -> dict[int, dict]:
    """The summary of each team id given (two queries)."""
    team_ids = list(team_ids)
    result = {team_id: empty_summary() for team_id in team_ids}
    if not team_ids:
        return result
    grants = (
        Grant.objects.filter(team_id__in=team_ids)
        .order_by()
        .values("pk", "team_id", "amount", "status")
        .annotate(paid=Sum("disbursements__amount"))
    )
    for row in grants:
        summary = result[row["team_id"]]
        paid = row["paid"] or ZERO
        if paid > row["amount"]:
            summary["over_disbursed"] = True
        if row["status"] in COUNTED_STATUSES:
            summary["awarded"] += row["amount"]
            summary["disbursed"] += paid
            summary["grants"] += 1
    assistance = (
        AssistanceLog.objects.filter(team_id__in=team_ids)
        .order_by()
        .values("team_id", "kind")
        .annotate(hours=Sum("hours"), entries=Count("pk"))
    )
    for row in assistance:
        summary = result[row["team_id"]]
        hours = row["hours"] or ZERO
        summary["hours"] += hours
        summary["assistance_count"] += row["entries"]
        summary["hours_by_kind"][row["kind"]] = summary["hours_by_kind"].get(row["kind"], ZERO) + hours
    for summary in result.values():
        for name in ("awarded", "disbursed", "hours"):
            summary[name] = summary[name].quantize(CENT)
        summary["balance"] = summary["awarded"] - summary["disbursed"]
    return result


def team_summary(team: Team) -> dict:
    return summaries([team.pk])[team.pk]


def cohort_summary(cohort: Cohort) -> dict[int, dict]:
    """team id -> summary, for every team of the cohort (three queries)."""
    team_ids = Team.objects.filter(cohort=cohort).order_by().values_list("pk", flat=True)
    return summaries(team_ids)

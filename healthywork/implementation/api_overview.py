"""A cohort's implementation overview as JSON: one row per team the caller may see, and the totals."""

from decimal import Decimal
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from healthywork.collaborative.models import Cohort
from healthywork.core.apitools import READ_ERRORS, api_user
from healthywork.implementation import overview

router = Router(tags=["implementation"])


class Figures(Schema):
    awarded: Decimal
    disbursed: Decimal
    balance: Decimal
    hours: Decimal
    hours_by_kind: dict[str, Decimal]
    milestones: int
    done: int
    on_time: int
    late: int
    overdue: int
    changes: int
    changes_by_kind: dict[str, int]
    workers_reached: int


class TeamRow(Figures):
    team: UUID
    name: str
    over_disbursed: bool


class OverviewOut(Schema):
    cohort: UUID
    name: str
    teams_in_cohort: int
    teams: list[TeamRow]
    totals: Figures


@router.get("/implementation/cohorts/{cohort_id}/overview", response={200: OverviewOut, **READ_ERRORS})
def cohort_overview(request: HttpRequest, cohort_id: UUID):
    user = api_user(request)
    cohort = get_object_or_404(Cohort.objects.visible_to(user), public_id=cohort_id)
    result = overview.cohort_overview(cohort, user)
    rows = [
        {
            **{key: value for key, value in row.items() if key != "team"},
            "team": row["team"].public_id,
            "name": row["team"].name,
        }  # fmt: skip
        for row in result.rows
    ]
    return {
        "cohort": cohort.public_id,
        "name": cohort.name,
        "teams_in_cohort": result.team_total,
        "teams": rows,
        "totals": result.totals,
    }

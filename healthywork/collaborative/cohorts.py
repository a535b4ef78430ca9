"""Writes to cohorts (one transaction, one audit event each) and what a cohort's page shows."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from healthywork.collaborative.models import (
    Application,
    ApplicationStatus,
    Cohort,
    CohortStatus,
    Team,
    composition_warnings,
)
from healthywork.core import audit

COHORT_FIELDS = [
    "name",
    "description",
    "start_date",
    "end_date",
    "status",
    "applications_close",
    "shares_work",
]


def _assign(cohort: Cohort, data: dict[str, Any]) -> None:
    for name in COHORT_FIELDS:
        if name in data:
            setattr(cohort, name, data[name])


@transaction.atomic
def create_cohort(data: dict[str, Any], *, by: Any) -> Cohort:
    """Create a cohort from cleaned data (facilitators as a list of users)."""
    cohort = Cohort()
    _assign(cohort, data)
    cohort.full_clean()
    cohort.save()
    if data.get("facilitators") is not None:
        cohort.facilitators.set(data["facilitators"])
    audit.record(by, "create", cohort, audit.diff({}, audit.snapshot(cohort)))
    return cohort


@transaction.atomic
def update_cohort(cohort: Cohort, data: dict[str, Any], *, by: Any) -> Cohort:
    before = audit.snapshot(Cohort.objects.get(pk=cohort.pk))
    _assign(cohort, data)
    cohort.full_clean()
    cohort.save()
    if data.get("facilitators") is not None:
        cohort.facilitators.set(data["facilitators"])
    changes = audit.diff(before, audit.snapshot(cohort))
    if changes:
        audit.record(by, "change", cohort, changes)
    return cohort


@transaction.atomic
def set_shares_work(cohort: Cohort, shares_work: bool, *, by: Any) -> Cohort:
    """Let the cohort's teams read each other's work, or stop it."""
    before = cohort.shares_work
    if before != shares_work:
        cohort.shares_work = shares_work
        cohort.save(update_fields=["shares_work", "updated_at"])
        audit.record(by, "change", cohort, {"shares_work": [before, shares_work]})
    return cohort


def is_taking_applications(cohort: Cohort, today: date | None = None) -> bool:
    """Open while the status is "taking applications" and the closing day has not passed."""
    today = today or timezone.localdate()
    if cohort.status != CohortStatus.APPLICATIONS:
        return False
    return cohort.applications_close is None or today <= cohort.applications_close


@dataclass
class TeamRow:
    team: Team
    organizations: list[Any]
    warnings: list[str]


def team_rows(cohort: Cohort, teams) -> list[TeamRow]:
    """The teams of a cohort with their organizations and composition warnings."""
    rows = []
    for team in teams.filter(cohort=cohort).prefetch_related("memberships__organization__sector"):
        memberships = list(team.memberships.all())
        families = {membership.organization.sector.family for membership in memberships}
        rows.append(TeamRow(team, memberships, composition_warnings(families)))
    return rows


def application_counts(cohort: Cohort) -> dict[str, int]:
    counts = {status: 0 for status in ApplicationStatus.values}
    for status in Application.objects.filter(cohort=cohort).values_list("status", flat=True):
        counts[status] += 1
    return counts

"""Writes to progress reports: the report's text and, for each milestone it covers, the status the
report gives it (a `MilestoneUpdate` row), which becomes the milestone's status.

One transaction per save; one audit event on the report (with the milestones' changes in it) and
one on each milestone whose status or completion date changed, so each milestone's history shows
which report moved it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from healthywork.collaborative.models import Team
from healthywork.core import audit
from healthywork.implementation.milestones import OPEN_STATUSES
from healthywork.implementation.models import Milestone, MilestoneStatus, MilestoneUpdate, ProgressReport

FIELDS = ["period_start", "period_end", "done", "challenges", "next_steps"]


@dataclass
class Update:
    milestone: Milestone
    status: str
    note: str = ""
    completed_on: date | None = None


def milestones_to_report(team: Team, report: ProgressReport | None = None) -> QuerySet[Milestone]:
    """The team's open milestones, plus those the report already covers (when editing it)."""
    milestones = Milestone.objects.filter(team=team)
    if report is not None and report.pk:
        covered = report.milestone_updates.values("milestone_id")
        return milestones.filter(status__in=OPEN_STATUSES) | milestones.filter(pk__in=covered)
    return milestones.filter(status__in=OPEN_STATUSES)


def _apply(update: Update, report: ProgressReport, changes: dict[str, Any], by: Any) -> None:
    milestone = update.milestone
    if milestone.team_id != report.team_id:
        raise ValueError("a report updates its own team's milestones only")
    MilestoneUpdate.objects.update_or_create(
        report=report, milestone=milestone, defaults={"status": update.status, "note": update.note[:300]}
    )
    before = audit.snapshot(milestone)
    milestone.status = update.status
    milestone.completed_on = update.completed_on if update.status == MilestoneStatus.DONE else None
    milestone.full_clean()
    milestone.save(update_fields=["status", "completed_on", "updated_at"])
    milestone_changes = audit.diff(before, audit.snapshot(milestone))
    if milestone_changes:
        audit.record(by, "change", milestone, milestone_changes, note=f"report {report.public_id}")
        changes[f"milestone: {milestone.title}"[:120]] = milestone_changes.get("status", [None, None])


@transaction.atomic
def save_report(
    team: Team, report: ProgressReport | None, data: dict[str, Any], updates: list[Update], *, by: Any
) -> ProgressReport:
    """Create (report None) or update a progress report with its milestone updates."""
    is_new = report is None or report.pk is None
    report = report if report is not None else ProgressReport(team=team)
    before = {} if is_new else audit.snapshot(ProgressReport.objects.get(pk=report.pk))
    for name in FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if is_new:
        report.submitted_by = by if getattr(by, "is_authenticated", False) else None
    report.full_clean()
    report.save()
    changes = audit.diff(before, audit.snapshot(report))
    for update in updates:
        _apply(update, report, changes, by)
    if is_new or changes:
        audit.record(by, "create" if is_new else "change", report, changes)
    return report


@transaction.atomic
def delete_report(report: ProgressReport, *, by: Any) -> None:
    """Delete the report and its updates; the milestones keep the status they have now."""
    audit.record(by, "delete", report, audit.diff(audit.snapshot(report), {}))
    report.delete()

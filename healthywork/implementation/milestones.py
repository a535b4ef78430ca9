"""Writes to milestones (one transaction, one audit event each) and how a milestone stands.

A milestone may point at an action step of its own team's plan; `step_choices(team)` is the only
list a form offers, and the model's `clean` refuses another team's step.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from healthywork.collaborative.models import Team
from healthywork.core import audit
from healthywork.implementation.models import Milestone, MilestoneStatus
from healthywork.planning.models import ActionStep

FIELDS = ["title", "description", "due_date", "action_step", "status", "completed_on"]
OPEN_STATUSES = (MilestoneStatus.PLANNED, MilestoneStatus.ON_TRACK, MilestoneStatus.AT_RISK)

STATE_LABELS = {
    "on_time": _("Done on time"),
    "late": _("Done late"),
    "overdue": _("Overdue"),
    "open": _("Open"),
    "dropped": _("Dropped"),
}


def step_choices(team: Team) -> QuerySet[ActionStep]:
    """The action steps of the team's own plan, in plan order."""
    return ActionStep.objects.filter(objective__plan__team=team).select_related("objective")


def state(milestone: Milestone, today: date | None = None) -> str:
    """on_time, late (done after the due date), overdue (not done, due date passed), open or dropped."""
    today = today or timezone.localdate()
    if milestone.status == MilestoneStatus.DONE:
        return "on_time" if milestone.on_time else "late"
    if milestone.status == MilestoneStatus.DROPPED:
        return "dropped"
    return "overdue" if milestone.due_date < today else "open"


def _assign(milestone: Milestone, data: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in data:
            setattr(milestone, name, data[name])
    if milestone.status != MilestoneStatus.DONE:
        milestone.completed_on = None


@transaction.atomic
def create_milestone(team: Team, data: dict[str, Any], *, by: Any) -> Milestone:
    milestone = Milestone(team=team)
    _assign(milestone, data)
    milestone.full_clean()
    milestone.save()
    audit.record(by, "create", milestone, audit.diff({}, audit.snapshot(milestone)))
    return milestone


@transaction.atomic
def update_milestone(milestone: Milestone, data: dict[str, Any], *, by: Any) -> Milestone:
    before = audit.snapshot(Milestone.objects.get(pk=milestone.pk))
    _assign(milestone, data)
    milestone.full_clean()
    milestone.save()
    changes = audit.diff(before, audit.snapshot(milestone))
    if changes:
        audit.record(by, "change", milestone, changes)
    return milestone


@transaction.atomic
def delete_milestone(milestone: Milestone, *, by: Any) -> None:
    audit.record(by, "delete", milestone, audit.diff(audit.snapshot(milestone), {}))
    milestone.delete()

"""Writes to PSE changes (one transaction, one audit event each), and the list with its filters and
export rows."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.core import audit
from healthywork.implementation.models import Change

FIELDS = [
    "kind",
    "title",
    "description",
    "level",
    "date",
    "organization",
    "evidence",
    "evidence_url",
    "workers_reached",
    "initiative",
    "milestone",
]


def _assign(change: Change, data: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in data:
            setattr(change, name, data[name])


def _check_milestone(change: Change) -> None:
    if change.milestone_id and change.milestone.team_id != change.team_id:
        raise ValidationError({"milestone": _("The milestone belongs to another team.")})


@transaction.atomic
def create_change(team: Team, data: dict[str, Any], *, by: Any) -> Change:
    change = Change(team=team)
    _assign(change, data)
    change.created_by = by if getattr(by, "is_authenticated", False) else None
    change.full_clean()
    _check_milestone(change)
    change.save()
    audit.record(by, "create", change, audit.diff({}, audit.snapshot(change)))
    return change


@transaction.atomic
def update_change(change: Change, data: dict[str, Any], *, by: Any) -> Change:
    before = audit.snapshot(Change.objects.get(pk=change.pk))
    _assign(change, data)
    change.full_clean()
    _check_milestone(change)
    change.save()
    changes = audit.diff(before, audit.snapshot(change))
    if changes:
        audit.record(by, "change", change, changes)
    return change


@transaction.atomic
def delete_change(change: Change, *, by: Any) -> None:
    audit.record(by, "delete", change, audit.diff(audit.snapshot(change), {}))
    change.delete()


def filter_changes(changes: QuerySet[Change], params: dict[str, Any]) -> QuerySet[Change]:
    """Apply the list's filters: cohort and team (public ids), kind, level, year."""
    if params.get("cohort"):
        changes = changes.filter(team__cohort__public_id=params["cohort"])
    if params.get("team"):
        changes = changes.filter(team__public_id=params["team"])
    if params.get("kind"):
        changes = changes.filter(kind=params["kind"])
    if params.get("level"):
        changes = changes.filter(level=params["level"])
    if params.get("year"):
        changes = changes.filter(date__year=params["year"])
    return changes.select_related("team__cohort", "organization", "initiative", "milestone")


def export_headers() -> list[str]:
    return [
        _("cohort"),
        _("team"),
        _("kind"),
        _("change"),
        _("description"),
        _("level"),
        _("date achieved"),
        _("where it was adopted"),
        _("evidence"),
        _("evidence link"),
        _("workers reached"),
        _("catalog initiative"),
        _("milestone"),
    ]


def export_rows(changes: QuerySet[Change]) -> list[list[Any]]:
    return [
        [
            change.team.cohort.name,
            change.team.name,
            change.get_kind_display(),
            change.title,
            change.description,
            change.get_level_display(),
            change.date,
            change.organization.name if change.organization_id else "",
            change.evidence,
            change.evidence_url,
            change.workers_reached,
            change.initiative.title if change.initiative_id else "",
            change.milestone.title if change.milestone_id else "",
        ]
        for change in changes
    ]

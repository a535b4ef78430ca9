"""Milestones, progress reports and PSE changes as JSON: read a visible team's lists, record a change.

Reads go through `Team.objects.visible_to(user)` (a stranger's team is a 404); recording a change
needs `team.can_edit(user)` (403 otherwise), names each invalid field (422) and writes one audit
event through `changes.create_change`.
"""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError as ModelValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from healthywork.catalog.models import Initiative
from healthywork.collaborative.models import Team
from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS, api_user, invalid
from healthywork.implementation import changes as change_service
from healthywork.implementation import milestones as milestone_rules
from healthywork.implementation.models import Change, ChangeKind, ChangeLevel, Milestone, ProgressReport
from healthywork.partners.models import Organization

router = Router(tags=["implementation"])

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class MilestoneOut(Schema):
    id: UUID
    title: str
    description: str
    due_date: date
    status: str
    completed_on: date | None
    state: str
    action_step: UUID | None

    @staticmethod
    def resolve_id(obj: Milestone) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_state(obj: Milestone) -> str:
        return milestone_rules.state(obj)

    @staticmethod
    def resolve_action_step(obj: Milestone) -> UUID | None:
        return obj.action_step.public_id if obj.action_step_id else None


class UpdateOut(Schema):
    milestone: UUID
    title: str
    status: str
    note: str


class ReportOut(Schema):
    id: UUID
    period_start: date
    period_end: date
    done: str
    challenges: str
    next_steps: str
    submitted_at: datetime
    milestone_updates: list[UpdateOut]

    @staticmethod
    def resolve_id(obj: ProgressReport) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_milestone_updates(obj: ProgressReport) -> list[dict]:
        return [
            {
                "milestone": update.milestone.public_id,
                "title": update.milestone.title,
                "status": update.status,
                "note": update.note,
            }
            for update in obj.milestone_updates.all()
        ]


class ChangeOut(Schema):
    id: UUID
    team: UUID
    kind: str
    title: str
    description: str
    level: str
    date: date
    organization: UUID | None
    organization_name: str | None
    evidence: str
    evidence_url: str
    workers_reached: int | None
    initiative: UUID | None
    milestone: UUID | None

    @staticmethod
    def resolve_id(obj: Change) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_team(obj: Change) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_organization(obj: Change) -> UUID | None:
        return obj.organization.public_id if obj.organization_id else None

    @staticmethod
    def resolve_organization_name(obj: Change) -> str | None:
        return obj.organization.name if obj.organization_id else None

    @staticmethod
    def resolve_initiative(obj: Change) -> UUID | None:
        return obj.initiative.public_id if obj.initiative_id else None

    @staticmethod
    def resolve_milestone(obj: Change) -> UUID | None:
        return obj.milestone.public_id if obj.milestone_id else None


class ChangeIn(Schema):
    kind: ChangeKind
    title: Text
    description: str = ""
    level: ChangeLevel
    date: date
    organization: UUID | None = None
    evidence: Text
    evidence_url: str = ""
    workers_reached: int | None = None
    initiative: UUID | None = None
    milestone: UUID | None = None


def _team(request: HttpRequest, public_id: UUID) -> Team:
    return get_object_or_404(
        Team.objects.visible_to(api_user(request)).select_related("cohort"), public_id=public_id
    )


@router.get("/implementation/teams/{team_id}/milestones", response={200: list[MilestoneOut], **READ_ERRORS})
def list_milestones(request: HttpRequest, team_id: UUID):
    return list(_team(request, team_id).milestones.select_related("action_step"))


@router.get("/implementation/teams/{team_id}/reports", response={200: list[ReportOut], **READ_ERRORS})
def list_reports(request: HttpRequest, team_id: UUID):
    return list(_team(request, team_id).progress_reports.prefetch_related("milestone_updates__milestone"))


@router.get("/implementation/teams/{team_id}/changes", response={200: list[ChangeOut], **READ_ERRORS})
def list_changes(request: HttpRequest, team_id: UUID):
    return list(
        _team(request, team_id).changes.select_related("team", "organization", "initiative", "milestone")
    )


def _resolve(payload: ChangeIn, team: Team, errors: dict[str, str]) -> dict:
    data = payload.dict(exclude={"organization", "initiative", "milestone"})
    data["kind"], data["level"] = str(payload.kind.value), str(payload.level.value)
    data["organization"] = data["initiative"] = data["milestone"] = None
    if payload.organization:
        data["organization"] = Organization.objects.filter(
            public_id=payload.organization, merged_into__isnull=True
        ).first()
        if data["organization"] is None:
            errors["organization"] = _("No organization has this id.")
    if payload.initiative:
        data["initiative"] = Initiative.objects.filter(public_id=payload.initiative).first()
        if data["initiative"] is None:
            errors["initiative"] = _("No initiative has this id.")
    if payload.milestone:
        data["milestone"] = Milestone.objects.filter(public_id=payload.milestone, team=team).first()
        if data["milestone"] is None:
            errors["milestone"] = _("The team has no milestone with this id.")
    if payload.workers_reached is not None and payload.workers_reached < 0:
        errors["workers_reached"] = _("Workers reached cannot be negative.")
    return data


@router.post("/implementation/teams/{team_id}/changes", response={201: ChangeOut, **WRITE_ERRORS})
def create_change(request: HttpRequest, team_id: UUID, payload: ChangeIn):
    team = _team(request, team_id)
    user = api_user(request)
    if not team.can_edit(user):
        raise HttpError(
            403, _("Only the team's editors, its facilitators and administrators record changes.")
        )
    errors: dict[str, str] = {}
    data = _resolve(payload, team, errors)
    if errors:
        raise invalid(errors)
    try:
        change = change_service.create_change(team, data, by=user)
    except ModelValidationError as error:
        raise invalid({field: " ".join(messages) for field, messages in error.message_dict.items()}) from None
    return Status(201, change)

"""Writes to scan projects, their members and their interviews: one transaction, one audit event each."""

from typing import Any

from django.db import transaction

from healthywork.core import audit
from healthywork.scan.models import Interview, Project, ProjectMember

PROJECT_FIELDS = ["name", "description", "keep_originals"]
INTERVIEW_FIELDS = [
    "organization",
    "interviewee_note",
    "interviewer",
    "scheduled_at",
    "duration_minutes",
    "mode",
    "guide",
    "consent_recorded",
    "consent_date",
    "status",
    "notes",
]


@transaction.atomic
def create_project(data: dict[str, Any], *, by: Any) -> Project:
    """A new project; its creator, unless an administrator, becomes its lead."""
    project = Project(**{key: data[key] for key in PROJECT_FIELDS if key in data})
    project.full_clean()
    project.save()
    if getattr(by, "is_authenticated", False) and not by.can("scan.manage"):
        ProjectMember.objects.create(project=project, user=by, role="lead")
    audit.record(by, "create", project, audit.diff({}, audit.snapshot(project)))
    return project


@transaction.atomic
def update_project(project: Project, data: dict[str, Any], *, by: Any) -> Project:
    before = audit.snapshot(Project.objects.get(pk=project.pk))
    for key in PROJECT_FIELDS:
        if key in data:
            setattr(project, key, data[key])
    project.full_clean()
    project.save()
    changes = audit.diff(before, audit.snapshot(project))
    if changes:
        audit.record(by, "change", project, changes)
    return project


@transaction.atomic
def set_member(project: Project, user: Any, role: str, *, by: Any) -> ProjectMember:
    """Add `user` to the project with `role`, or change the role of a member."""
    member = ProjectMember.objects.filter(project=project, user=user).first()
    if member is None:
        member = ProjectMember.objects.create(project=project, user=user, role=role)
        audit.record(by, "create", member, {"user": [None, str(user)], "role": [None, role]})
    elif member.role != role:
        old = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit.record(by, "change", member, {"role": [old, role]})
    return member


@transaction.atomic
def remove_member(member: ProjectMember, *, by: Any) -> None:
    audit.record(by, "delete", member, {"user": [str(member.user), None], "role": [member.role, None]})
    member.delete()


def _interview_snapshot(interview: Interview) -> dict[str, Any]:
    return audit.snapshot(interview)


def _apply_interview(interview: Interview, data: dict[str, Any]) -> None:
    for key in INTERVIEW_FIELDS:
        if key in data:
            setattr(interview, key, data[key])
    # The model's rules (consent recorded and its date together) guard every caller.
    interview.full_clean(validate_unique=False, validate_constraints=False)
    interview.save()
    if data.get("interviewees") is not None:
        interview.interviewees.set(data["interviewees"])


@transaction.atomic
def create_interview(project: Project, data: dict[str, Any], *, by: Any) -> Interview:
    interview = Interview(project=project)
    _apply_interview(interview, data)
    audit.record(by, "create", interview, audit.diff({}, _interview_snapshot(interview)))
    return interview


@transaction.atomic
def update_interview(interview: Interview, data: dict[str, Any], *, by: Any) -> Interview:
    before = _interview_snapshot(Interview.objects.get(pk=interview.pk))
    _apply_interview(interview, data)
    changes = audit.diff(before, _interview_snapshot(interview))
    if changes:
        audit.record(by, "change", interview, changes)
    return interview


@transaction.atomic
def delete_interview(interview: Interview, *, by: Any) -> None:
    """Remove an interview; its documents stay in the project, unlinked."""
    audit.record(by, "delete", interview, audit.diff(_interview_snapshot(interview), {}))
    interview.delete()

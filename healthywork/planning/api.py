"""The planning tools as JSON: the teams a caller may see with their artifacts' versions, each
artifact serialised (power map, theory of change with its validation, action plan, definition),
snapshots and the difference between two, and one concurrent-safe write, adding an actor to a
power map (the `version` it was read at, 409 with both versions on a conflict).

Reads go through `Team.objects.visible_to(user)` (a stranger's team is a 404); the write needs
`team.can_edit(user)` (403 otherwise) and writes one audit event through the power map service.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StringConstraints

from healthywork.collaborative.models import Team
from healthywork.core.apitools import READ_ERRORS, WRITE_ERRORS
from healthywork.core.apitools import api_user as _user
from healthywork.core.apitools import invalid as _invalid
from healthywork.partners.models import Organization
from healthywork.planning import powermap, snapshots, toc
from healthywork.planning.concurrency import EditConflict
from healthywork.planning.models import Actor, ActorKind, ArtifactKind, Snapshot, TheoryOfChange

router = Router(tags=["planning"])

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


# --- Output -----------------------------------------------------------------------------------


class TeamOut(Schema):
    id: UUID
    name: str
    cohort: str
    cohort_id: UUID
    versions: dict[str, int | None]
    url: str


class ArtifactOut(Schema):
    team: UUID
    kind: str
    version: int
    data: dict[str, Any]


class SnapshotOut(Schema):
    id: UUID
    team: UUID
    kind: str
    label: str
    version: int
    session: str | None
    taken_at: datetime
    taken_by: str | None

    @staticmethod
    def resolve_id(obj: Snapshot) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_team(obj: Snapshot) -> UUID:
        return obj.team.public_id

    @staticmethod
    def resolve_session(obj: Snapshot) -> str | None:
        return str(obj.session) if obj.session_id else None

    @staticmethod
    def resolve_taken_by(obj: Snapshot) -> str | None:
        return obj.taken_by.username if obj.taken_by_id else None


class SnapshotDetailOut(SnapshotOut):
    data: dict[str, Any]


class FindingOut(Schema):
    severity: str
    message: str
    kind: str
    item_id: str


class ValidationOut(Schema):
    team: UUID
    version: int
    errors: int
    warnings: int
    findings: list[FindingOut]


class WordOut(Schema):
    op: str
    text: str


class ChangeOut(Schema):
    action: str
    section: str
    item: str
    field: str
    before: Any = None
    after: Any = None
    message: str
    words: list[WordOut]


class DiffOut(Schema):
    kind: str
    a: SnapshotOut
    b: SnapshotOut
    added: int
    removed: int
    changed: int
    changes: list[ChangeOut]


class ActorOut(Schema):
    id: UUID
    name: str
    kind: str
    organization: UUID | None
    power: float
    stance: float
    is_target: bool
    notes: str
    version: int  # the power map's version after the write

    @staticmethod
    def resolve_id(obj: Actor) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_organization(obj: Actor) -> UUID | None:
        return obj.organization.public_id if obj.organization_id else None

    @staticmethod
    def resolve_version(obj: Actor) -> int:
        return obj.power_map.version


class ConflictOut(Schema):
    detail: str
    read_version: int
    current_version: int
    updated_by: str | None
    theirs: dict[str, Any]
    yours: dict[str, Any]


# --- Input ------------------------------------------------------------------------------------


class ActorIn(Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
    kind: str = ActorKind.ORGANIZATION
    organization: UUID | None = None
    power: Decimal
    stance: Decimal
    is_target: bool = False
    notes: Text = ""
    version: int


class DiffQuery(Schema):
    a: UUID
    b: UUID


# --- Helpers ----------------------------------------------------------------------------------


def _team(request: HttpRequest, public_id: UUID) -> Team:
    return get_object_or_404(
        Team.objects.visible_to(_user(request)).select_related("cohort"), public_id=public_id
    )


def _artifact(team: Team, kind: str) -> dict[str, Any]:
    data = snapshots.serialise(team, kind)
    if data is None:
        raise HttpError(404, _("This team has not started its %(kind)s yet.") % {"kind": _kind_label(kind)})
    return {"team": team.public_id, "kind": kind, "version": snapshots.version_of(team, kind), "data": data}


def _kind_label(kind: str) -> str:
    return str(dict(ArtifactKind.choices).get(kind, kind)).lower()


def _snapshots(request: HttpRequest):
    return Snapshot.objects.visible_to(_user(request)).select_related("team", "session", "taken_by")


# --- Reading ----------------------------------------------------------------------------------


@router.get("/planning/teams", response=list[TeamOut], url_name="planning-teams")
def list_teams(request: HttpRequest):
    """The teams the caller may see, with the version of each of their artifacts (null: not started)."""
    teams = (
        Team.objects.visible_to(_user(request))
        .select_related("cohort", "powermap", "theoryofchange", "actionplan")
        .order_by("cohort__name", "name")
    )
    rows = []
    for team in teams:
        versions = {}
        for kind, attribute in (
            (ArtifactKind.POWER_MAP, "powermap"),
            (ArtifactKind.THEORY_OF_CHANGE, "theoryofchange"),
            (ArtifactKind.ACTION_PLAN, "actionplan"),
        ):
            artifact = getattr(team, attribute, None)
            versions[kind] = artifact.version if artifact is not None else None
        versions[ArtifactKind.DEFINITION] = team.version
        rows.append(
            {
                "id": team.public_id,
                "name": team.name,
                "cohort": team.cohort.name,
                "cohort_id": team.cohort.public_id,
                "versions": versions,
                "url": team.get_absolute_url(),
            }
        )
    return rows


@router.get("/planning/teams/{public_id}/powermap", response={200: ArtifactOut, **READ_ERRORS})
def get_power_map(request: HttpRequest, public_id: UUID):
    return _artifact(_team(request, public_id), ArtifactKind.POWER_MAP)


@router.get("/planning/teams/{public_id}/toc", response={200: ArtifactOut, **READ_ERRORS})
def get_theory(request: HttpRequest, public_id: UUID):
    return _artifact(_team(request, public_id), ArtifactKind.THEORY_OF_CHANGE)


@router.get("/planning/teams/{public_id}/toc/validation", response={200: ValidationOut, **READ_ERRORS})
def get_theory_validation(request: HttpRequest, public_id: UUID):
    """The validation report of the theory of change: cycles, outcomes with no path to the goal
    (errors); outcomes below the ceiling without an indicator, links without a rationale,
    interventions without an owner (warnings)."""
    team = _team(request, public_id)
    theory = TheoryOfChange.objects.filter(team=team).first()
    if theory is None:
        raise HttpError(404, _("This team has not started its theory of change yet."))
    findings = toc.validate(toc.load_theory_data(theory))
    errors = sum(1 for finding in findings if finding.is_error)
    return {
        "team": team.public_id,
        "version": theory.version,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": findings,
    }


@router.get("/planning/teams/{public_id}/plan", response={200: ArtifactOut, **READ_ERRORS})
def get_plan(request: HttpRequest, public_id: UUID):
    return _artifact(_team(request, public_id), ArtifactKind.ACTION_PLAN)


@router.get("/planning/teams/{public_id}/definition", response={200: ArtifactOut, **READ_ERRORS})
def get_definition(request: HttpRequest, public_id: UUID):
    return _artifact(_team(request, public_id), ArtifactKind.DEFINITION)


@router.get("/planning/teams/{public_id}/snapshots", response={200: list[SnapshotOut], **READ_ERRORS})
def list_snapshots(request: HttpRequest, public_id: UUID, kind: str | None = None):
    """The team's snapshots, oldest first (optionally of one `kind` only)."""
    team = _team(request, public_id)
    if kind is not None and kind not in snapshots.KINDS:
        raise _invalid({"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(snapshots.KINDS)}})
    rows = _snapshots(request).filter(team=team).defer("data").order_by("kind", "taken_at", "id")
    return rows.filter(kind=kind) if kind else rows


@router.get("/planning/snapshots/{public_id}", response={200: SnapshotDetailOut, **READ_ERRORS})
def get_snapshot(request: HttpRequest, public_id: UUID):
    return get_object_or_404(_snapshots(request), public_id=public_id)


@router.get("/planning/teams/{public_id}/snapshots/diff", response={200: DiffOut, **READ_ERRORS})
def diff_snapshots(request: HttpRequest, public_id: UUID, query: Query[DiffQuery]):
    """What changed from snapshot `a` to snapshot `b` (two snapshots of the same artifact of the
    team; the older one is taken as the starting point whatever the order given)."""
    team = _team(request, public_id)
    found, errors = {}, {}
    for name in ("a", "b"):
        found[name] = _snapshots(request).filter(team=team, public_id=getattr(query, name)).first()
        if found[name] is None:
            errors[name] = _("This team has no snapshot with that id.")
    if not errors and found["a"].kind != found["b"].kind:
        errors["b"] = _("Choose two snapshots of the same artifact.")
    if errors:
        raise _invalid(errors)
    older, newer = sorted(found.values(), key=lambda snapshot: (snapshot.taken_at, snapshot.pk))
    changes = snapshots.diff(older.data, newer.data, older.kind)
    counts = snapshots.summary(changes)
    return {"kind": older.kind, "a": older, "b": newer, **counts, "changes": [c.as_dict() for c in changes]}


# --- Writing ----------------------------------------------------------------------------------


def _actor_errors(payload: ActorIn) -> dict[str, str]:
    errors = {}
    if not Decimal(0) <= payload.power <= Decimal(10):
        errors["power"] = _("Power or influence runs from 0 to 10.")
    if not Decimal(-5) <= payload.stance <= Decimal(5):
        errors["stance"] = _("Stance runs from −5 (strongly opposed) to +5 (strongly supportive).")
    if payload.kind not in ActorKind.values:
        errors["kind"] = _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ActorKind.values)}
    return errors


@router.post(
    "/planning/teams/{public_id}/powermap/actors",
    response={201: ActorOut, 409: ConflictOut, **WRITE_ERRORS},
)
def create_actor(request: HttpRequest, public_id: UUID, payload: ActorIn):
    """Add an actor to the team's power map. Send the map's `version` as you read it: when someone
    changed the map since, nothing is saved and the answer is 409 with both versions."""
    team = _team(request, public_id)
    user = _user(request)
    if not team.can_edit(user):
        raise HttpError(
            403, _("Only the team's members who may edit, its facilitators and administrators may do this.")
        )
    errors = _actor_errors(payload)
    organization = None
    if payload.organization is not None:
        organization = Organization.objects.filter(public_id=payload.organization).first()
        if organization is None:
            errors["organization"] = _("No organization in the registry has that id.")
    if errors:
        raise _invalid(errors)
    values = {
        "name": payload.name,
        "kind": payload.kind,
        "organization": organization,
        "power": payload.power.quantize(Decimal("0.1")),
        "stance": payload.stance.quantize(Decimal("0.1")),
        "is_target": payload.is_target,
        "notes": payload.notes,
    }
    try:
        with transaction.atomic():
            power_map = powermap.ensure_power_map(team, by=user)
            actor = powermap.save_actor(power_map, None, values, version=payload.version, by=user)
    except EditConflict as conflict:
        yours = {**values, "organization": str(organization) if organization else None}
        return Status(409, _conflict(conflict, yours))
    return Status(201, actor)


def _conflict(conflict: EditConflict, yours: dict[str, Any]) -> dict[str, Any]:
    return {
        "detail": conflict.message,
        "read_version": conflict.read_version,
        "current_version": conflict.current_version,
        "updated_by": str(conflict.updated_by) if conflict.updated_by else None,
        "theirs": {key: str(value) for key, value in conflict.theirs.items()},
        "yours": {
            key: value if isinstance(value, (bool, type(None))) else str(value)
            for key, value in yours.items()
        },
    }

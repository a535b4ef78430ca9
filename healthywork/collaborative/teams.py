"""Writes to teams: the team itself, its organizations and people, and its definition of
precarious work (one transaction, one audit event each).

The definition is edited by several members at once, so it carries the optimistic check the
planning tools use (collaborative sits below planning and cannot import it): the form posts the
`Team.version` it was read at; a write at an older version is refused with `DefinitionConflict`,
and a successful write bumps the version with an UPDATE so two writes cannot both pass.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from healthywork.catalog.models import Condition
from healthywork.collaborative.models import Cohort, EPRESDimension, Membership, Team, TeamPerson
from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.partners.models import Organization

TEAM_FIELDS = ["name", "focus", "facilitator"]


def _assign(team: Team, data: dict[str, Any]) -> None:
    for name in TEAM_FIELDS:
        if name in data:
            setattr(team, name, data[name])


@transaction.atomic
def create_team(cohort: Cohort, data: dict[str, Any], *, by: Any) -> Team:
    """A team made by hand (name, focus, facilitator, technical-assistance providers)."""
    team = Team(cohort=cohort)
    _assign(team, data)
    team.full_clean()
    team.save()
    if data.get("assistance_providers") is not None:
        team.assistance_providers.set(data["assistance_providers"])
    audit.record(by, "create", team, audit.diff({}, audit.snapshot(team)))
    return team


@transaction.atomic
def update_team(team: Team, data: dict[str, Any], *, by: Any) -> Team:
    before = audit.snapshot(Team.objects.get(pk=team.pk))
    _assign(team, data)
    team.full_clean()
    team.save()
    if data.get("assistance_providers") is not None:
        team.assistance_providers.set(data["assistance_providers"])
    changes = audit.diff(before, audit.snapshot(team))
    if changes:
        audit.record(by, "change", team, changes)
    return team


@transaction.atomic
def add_organization(team: Team, organization: Organization, role: str, *, by: Any) -> Membership:
    """Put an organization on the team, or change its role when it is already there."""
    membership, created = Membership.objects.get_or_create(
        team=team, organization=organization, defaults={"role": role}
    )
    if created:
        audit.record(by, "change", team, {"organizations": [None, f"{organization} ({role})"]})
    elif membership.role != role:
        audit.record(by, "change", team, {f"role of {organization}": [membership.role, role]})
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_organization(membership: Membership, *, by: Any) -> None:
    audit.record(by, "change", membership.team, {"organizations": [str(membership.organization), None]})
    membership.delete()


@transaction.atomic
def add_person(team: Team, data: dict[str, Any], *, by: Any) -> TeamPerson:
    """A person on the team: a registry person and/or an account, with their organization and
    whether they may edit the team's work. An existing entry for the same person or account is
    updated."""
    person, user = data.get("person"), data.get("user")
    existing = TeamPerson.objects.filter(team=team).filter(
        **({"person": person} if person else {"user": user})
    )
    entry = existing.first() or TeamPerson(team=team)
    before = _describe(entry) if entry.pk else None
    entry.person = person or entry.person
    entry.user = user or entry.user
    entry.organization = data.get("organization")
    entry.can_edit = bool(data.get("can_edit"))
    entry.full_clean(exclude=["team"])
    entry.save()
    audit.record(by, "change", team, {"people": [before, _describe(entry)]})
    return entry


def _describe(entry: TeamPerson) -> str:
    parts = [str(entry)]
    if entry.person_id and entry.user_id:
        parts.append(f"<{entry.user}>")
    if entry.organization_id:
        parts.append(f"[{entry.organization}]")
    parts.append("may edit" if entry.can_edit else "reads only")
    return " ".join(parts)


@transaction.atomic
def remove_person(entry: TeamPerson, *, by: Any) -> None:
    audit.record(by, "change", entry.team, {"people": [_describe(entry), None]})
    entry.delete()


@dataclass
class Definition:
    text: str
    conditions: list[str] = field(default_factory=list)  # names
    dimensions: list[str] = field(default_factory=list)  # labels


def definition_of(team: Team) -> Definition:
    labels = dict(EPRESDimension.choices)
    return Definition(
        text=team.definition,
        conditions=[str(condition) for condition in team.definition_conditions.all()],
        dimensions=[str(labels[value]) for value in team.definition_dimensions if value in labels],
    )


@dataclass
class DefinitionConflict(Exception):
    """Someone saved the definition since this form was read; nothing was written."""

    read_version: int
    current_version: int
    theirs: Definition
    updated_by: Any = None

    @property
    def message(self) -> str:
        who = str(self.updated_by) if self.updated_by else _("someone else")
        return _(
            "%(who)s saved a newer version (version %(current)s) while you were editing version "
            "%(read)s. Nothing of yours was saved: compare both versions below, then save again."
        ) % {"who": who, "current": self.current_version, "read": self.read_version}


def _parse_version(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _last_editor(team: Team) -> Any:
    event = (
        AuditEvent.objects.filter(content_type__model="team", content_type__app_label="collaborative")
        .filter(object_pk=str(team.pk), note="definition")
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    return event.actor if event else None


@transaction.atomic
def save_definition(
    team: Team,
    *,
    text: str,
    conditions: list[Condition],
    dimensions: list[str],
    read_version: Any,
    by: Any,
) -> Team:
    """Save the team's definition of precarious work unless someone saved since `read_version`."""
    current = Team.objects.select_for_update().filter(pk=team.pk).values_list("version", flat=True).first()
    read = _parse_version(read_version)
    if current is None or read != current:
        stored = Team.objects.get(pk=team.pk)
        raise DefinitionConflict(read, current or 0, definition_of(stored), _last_editor(team))
    before = audit.snapshot(Team.objects.get(pk=team.pk))
    valid = set(EPRESDimension.values)
    team.definition = text
    team.definition_dimensions = [
        value for value in EPRESDimension.values if value in set(dimensions) & valid
    ]
    team.save(update_fields=["definition", "definition_dimensions", "updated_at"])
    team.definition_conditions.set(conditions)
    Team.objects.filter(pk=team.pk).update(version=F("version") + 1)
    team.refresh_from_db(fields=["version"])
    changes = audit.diff(before, audit.snapshot(team))
    if changes:
        audit.record(by, "change", team, changes, note="definition")
    return team

"""Snapshots of a team's artifacts: each artifact serialised to plain JSON data, snapshots taken at
the end of a session (every team of a cohort at once) or by a team itself, and a readable
difference between two snapshots of the same artifact.

The serialised data uses names, not database ids, so a snapshot reads on its own years later even
when the organizations or outcomes it names were renamed or deleted; every item keeps a stable key
(its public id, or a composite key where the model has none) so `diff` can match items across
snapshots. Snapshots are read-only: there is no edit, and only administrators delete one.
"""

import copy
import dataclasses
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.collaborative.models import EPRESDimension, Session, Team
from healthywork.core import audit
from healthywork.planning.models import (
    ActionPlan,
    ActionStep,
    ActorKind,
    ActorLinkKind,
    ArtifactKind,
    Assumption,
    Indicator,
    Intervention,
    Objective,
    OutcomeLink,
    PowerMap,
    Snapshot,
    StepStatus,
    TheoryOfChange,
)

KINDS: tuple[str, ...] = tuple(ArtifactKind.values)
ARTIFACT_MODELS = {
    ArtifactKind.POWER_MAP: PowerMap,
    ArtifactKind.THEORY_OF_CHANGE: TheoryOfChange,
    ArtifactKind.ACTION_PLAN: ActionPlan,
}


# --- Serialisation ----------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def artifact_of(team: Team, kind: str) -> Any:
    """The team's power map, theory of change or action plan (None if it has not been started);
    for the definition, the team itself (it carries the definition's version)."""
    if kind == ArtifactKind.DEFINITION:
        return team
    model = ARTIFACT_MODELS.get(kind)
    if model is None:
        raise ValueError(f"Unknown artifact kind: {kind}")
    return model.objects.filter(team=team).first()


def _power_map_data(power_map: PowerMap) -> dict[str, Any]:
    actors = list(power_map.actors.select_related("organization"))
    names = {actor.pk: actor.name for actor in actors}
    keys = {actor.pk: str(actor.public_id) for actor in actors}
    return {
        "issue": power_map.issue,
        "actors": [
            {
                "id": str(actor.public_id),
                "name": actor.name,
                "kind": actor.kind,
                "organization": _name(actor.organization),
                "power": _number(actor.power),
                "stance": _number(actor.stance),
                "is_target": actor.is_target,
                "notes": actor.notes,
            }
            for actor in actors
        ],
        "links": [
            {
                # Relationships have no public id; (source, kind, target) is unique, so it is the key.
                "id": f"{keys[link.source_id]}:{link.kind}:{keys[link.target_id]}",
                "source": names[link.source_id],
                "target": names[link.target_id],
                "kind": link.kind,
                "strength": link.strength,
            }
            for link in power_map.links.all()
        ],
    }


def _theory_data(theory: TheoryOfChange) -> dict[str, Any]:
    outcomes = list(theory.outcomes.all())
    titles = {outcome.pk: outcome.title for outcome in outcomes}
    links = list(OutcomeLink.objects.filter(theory=theory))
    link_titles = {link.pk: f"{titles[link.precondition_id]} → {titles[link.outcome_id]}" for link in links}
    indicators: dict[int, list[dict[str, Any]]] = {}
    for indicator in Indicator.objects.filter(outcome__theory=theory):
        indicators.setdefault(indicator.outcome_id, []).append(
            {
                "id": str(indicator.public_id),
                "what": indicator.what,
                "population": indicator.population,
                "target": indicator.target,
                "threshold": indicator.threshold,
                "by_when": _date(indicator.by_when),
                "data_source": indicator.data_source,
            }
        )

    def placed_on(item: Intervention | Assumption) -> str | None:
        if item.outcome_id:
            return titles.get(item.outcome_id)
        return link_titles.get(item.link_id) if item.link_id else None

    goal = next((outcome for outcome in outcomes if outcome.is_goal), None)
    return {
        "goal": goal.title if goal else "",
        "narrative": theory.narrative,
        "outcomes": [
            {
                "id": str(outcome.public_id),
                "title": outcome.title,
                "description": outcome.description,
                "is_goal": outcome.is_goal,
                "is_below_ceiling": outcome.is_below_ceiling,
                "indicators": indicators.get(outcome.pk, []),
            }
            for outcome in outcomes
        ],
        "links": [
            {
                "id": str(link.public_id),
                "precondition": titles[link.precondition_id],
                "outcome": titles[link.outcome_id],
                "rationale": link.rationale,
            }
            for link in links
        ],
        "interventions": [
            {
                "id": str(intervention.public_id),
                "title": intervention.title,
                "description": intervention.description,
                "on": placed_on(intervention),
                "responsible_organization": _name(intervention.responsible_organization),
            }
            for intervention in theory.interventions.select_related("responsible_organization")
        ],
        "assumptions": [
            # Assumptions have no public id; the row number is stable for as long as the row lives.
            {"id": f"assumption-{assumption.pk}", "text": assumption.text, "on": placed_on(assumption)}
            for assumption in theory.assumptions.all()
        ],
    }


def _plan_data(plan: ActionPlan) -> dict[str, Any]:
    steps: dict[int, list[dict[str, Any]]] = {}
    related = ("who_person", "who_organization", "outcome", "intervention")
    for step in ActionStep.objects.filter(objective__plan=plan).select_related(*related):
        who = [str(who) for who in (step.who_person, step.who_organization) if who is not None]
        steps.setdefault(step.objective_id, []).append(
            {
                "id": str(step.public_id),
                "what": step.what,
                "who": ", ".join(who),
                "who_person": _name(step.who_person),
                "who_organization": _name(step.who_organization),
                "start_date": _date(step.start_date),
                "due_date": _date(step.due_date),
                "resources_available": step.resources_available,
                "resources_needed": step.resources_needed,
                "barriers": step.barriers,
                "communication": step.communication,
                "status": step.status,
                "outcome": _name(step.outcome),
                "intervention": _name(step.intervention),
                "position": step.position,
            }
        )
    objectives: Iterable[Objective] = plan.objectives.select_related("outcome")
    return {
        "objectives": [
            {
                "id": str(objective.public_id),
                "text": objective.text,
                "outcome": _name(objective.outcome),
                "position": objective.position,
                "steps": steps.get(objective.pk, []),
            }
            for objective in objectives
        ]
    }


def _definition_data(team: Team) -> dict[str, Any]:
    return {
        "text": team.definition,
        "conditions": sorted(str(condition) for condition in team.definition_conditions.all()),
        "dimensions": [
            value for value in EPRESDimension.values if value in (team.definition_dimensions or [])
        ],
    }


def serialise(team: Team, kind: str) -> dict[str, Any] | None:
    """The artifact `kind` of `team` as plain JSON data, or None when the team has not started it
    (a definition counts as started once it has text or a ticked condition or dimension)."""
    artifact = artifact_of(team, kind)
    if artifact is None:
        return None
    if kind == ArtifactKind.POWER_MAP:
        return _power_map_data(artifact)
    if kind == ArtifactKind.THEORY_OF_CHANGE:
        return _theory_data(artifact)
    if kind == ArtifactKind.ACTION_PLAN:
        return _plan_data(artifact)
    data = _definition_data(team)
    return data if (data["text"].strip() or data["conditions"] or data["dimensions"]) else None


def version_of(team: Team, kind: str) -> int | None:
    """The artifact's current version (None if it does not exist yet)."""
    artifact = artifact_of(team, kind)
    return artifact.version if artifact is not None else None


def readable(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """A copy of snapshot data with what a page shows beside the stored values: choice labels and
    numbers written as `display_value` writes them."""
    data = copy.deepcopy(data or {})
    if kind == ArtifactKind.POWER_MAP:
        for actor in data.get("actors", []):
            actor["kind_label"] = display_value("kind", actor.get("kind"))
            actor["power_text"] = display_value("power", actor.get("power"))
            actor["stance_text"] = display_value("stance", actor.get("stance"))
        for link in data.get("links", []):
            link["kind_label"] = display_value("kind", link.get("kind"))
    elif kind == ArtifactKind.ACTION_PLAN:
        for objective in data.get("objectives", []):
            for step in objective.get("steps", []):
                step["status_label"] = display_value("status", step.get("status"))
    elif kind == ArtifactKind.DEFINITION:
        labels = dict(EPRESDimension.choices)
        data["dimension_labels"] = [str(labels.get(value, value)) for value in data.get("dimensions", [])]
    return data


# --- Taking and deleting snapshots ------------------------------------------------------------


@transaction.atomic
def take_snapshots(
    session: Session | None, teams: Iterable[Team], *, label: str, by: Any, kinds: Sequence[str] = KINDS
) -> list[Snapshot]:
    """Snapshot every artifact that exists of every team in `teams` (one Snapshot per team per
    kind, with the artifact's version), for `session` if given. One audit event per snapshot."""
    taken = []
    for team in teams:
        for kind in kinds:
            data = serialise(team, kind)
            if data is None:
                continue
            snapshot = Snapshot.objects.create(
                team=team,
                session=session,
                kind=kind,
                label=label,
                version=version_of(team, kind) or 1,
                data=data,
                taken_by=by if getattr(by, "is_authenticated", False) else None,
            )
            audit.record(
                by,
                "create",
                snapshot,
                {"team": [None, team.name], "kind": [None, kind], "version": [None, snapshot.version]},
            )
            taken.append(snapshot)
    return taken


@transaction.atomic
def delete_snapshot(snapshot: Snapshot, *, by: Any) -> None:
    """Remove a snapshot (administrators only: the view checks)."""
    audit.record(
        by,
        "delete",
        snapshot,
        {
            "team": [snapshot.team.name, None],
            "label": [snapshot.label, None],
            "version": [snapshot.version, None],
        },
    )
    snapshot.delete()


# --- Difference -------------------------------------------------------------------------------

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
MINUS = "−"  # the minus sign, so "−3" reads as a number, not a dash

# Field labels, by field key (shared across items; the item's own label says which item).
FIELD_LABELS = {
    "issue": gettext_lazy("Issue"),
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "organization": gettext_lazy("Organization"),
    "power": gettext_lazy("Power"),
    "stance": gettext_lazy("Stance"),
    "is_target": gettext_lazy("Target"),
    "notes": gettext_lazy("Notes"),
    "strength": gettext_lazy("Strength"),
    "goal": gettext_lazy("Long-term goal"),
    "narrative": gettext_lazy("Narrative"),
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "is_goal": gettext_lazy("Long-term goal"),
    "is_below_ceiling": gettext_lazy("Below the ceiling of accountability"),
    "rationale": gettext_lazy("Rationale"),
    "on": gettext_lazy("Placed on"),
    "responsible_organization": gettext_lazy("Responsible organization"),
    "text": gettext_lazy("Text"),
    "what": gettext_lazy("What"),
    "population": gettext_lazy("Population"),
    "target": gettext_lazy("Target"),
    "threshold": gettext_lazy("Threshold"),
    "by_when": gettext_lazy("By when"),
    "data_source": gettext_lazy("Data source"),
    "who": gettext_lazy("Who"),
    "start_date": gettext_lazy("Start"),
    "due_date": gettext_lazy("By when"),
    "resources_available": gettext_lazy("Resources available"),
    "resources_needed": gettext_lazy("Resources needed"),
    "barriers": gettext_lazy("Potential barriers or resistance"),
    "communication": gettext_lazy("Communication"),
    "status": gettext_lazy("Status"),
    "outcome": gettext_lazy("Outcome it serves"),
    "intervention": gettext_lazy("Intervention it serves"),
}

SECTION_LABELS = {
    "actor": gettext_lazy("Actor"),
    "link": gettext_lazy("Relationship"),
    "outcome": gettext_lazy("Outcome"),
    "outcome_link": gettext_lazy("Link"),
    "indicator": gettext_lazy("Indicator"),
    "intervention": gettext_lazy("Intervention"),
    "assumption": gettext_lazy("Assumption"),
    "objective": gettext_lazy("Objective"),
    "step": gettext_lazy("Step"),
    "condition": gettext_lazy("Healthy-work condition"),
    "dimension": gettext_lazy("EPRES dimension"),
}

# Fields whose changes are shown word by word (the others as "old → new").
TEXT_FIELDS = {
    "issue",
    "narrative",
    "notes",
    "description",
    "rationale",
    "text",
    "resources_available",
    "resources_needed",
    "barriers",
    "communication",
}
CHOICES = {
    "kind": {**dict(ActorKind.choices), **dict(ActorLinkKind.choices)},
    "status": dict(StepStatus.choices),
}


@dataclass
class Segment:
    """A run of words of a text difference: `op` is "equal", "insert" or "delete"."""

    op: str
    text: str


@dataclass
class Change:
    """One readable difference between two snapshots."""

    action: str  # added, removed, changed
    section: str  # actor, link, outcome, ... or "" for a field of the artifact itself
    label: str  # the item's name ("City Council"), or "" for the artifact itself
    field: str = ""  # the field that changed, for `changed`
    before: Any = None
    after: Any = None
    segments: list[Segment] = dataclasses.field(default_factory=list)  # word-level difference of a text field

    @property
    def is_text(self) -> bool:
        return bool(self.segments)

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    @property
    def section_label(self) -> str:
        return str(SECTION_LABELS.get(self.section, self.section))

    @property
    def before_text(self) -> str:
        return display_value(self.field, self.before)

    @property
    def after_text(self) -> str:
        return display_value(self.field, self.after)

    @property
    def message(self) -> str:
        """ "Power of City Council: 6 → 8", "Outcome “X” added", "Narrative changed"."""
        if self.action == ADDED:
            return _("%(section)s “%(label)s” added") % {"section": self.section_label, "label": self.label}
        if self.action == REMOVED:
            return _("%(section)s “%(label)s” removed") % {"section": self.section_label, "label": self.label}
        if self.is_text:
            if self.label:
                return _("%(field)s of %(label)s changed") % {"field": self.field_label, "label": self.label}
            return _("%(field)s changed") % {"field": self.field_label}
        values = {"before": self.before_text, "after": self.after_text, "field": self.field_label}
        if self.label:
            return _("%(field)s of %(label)s: %(before)s → %(after)s") % {**values, "label": self.label}
        return _("%(field)s: %(before)s → %(after)s") % values

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "section": self.section,
            "item": self.label,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "message": self.message,
            "words": [{"op": segment.op, "text": segment.text} for segment in self.segments],
        }


def display_value(field_name: str, value: Any) -> str:
    """A stored value as a person reads it: numbers without a needless ".0" and with a real minus
    sign, yes/no, choice labels, "(empty)"."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        number = int(value) if float(value).is_integer() else value
        text = str(abs(number))
        return f"{MINUS}{text}" if number < 0 else text
    if field_name in CHOICES:
        return str(CHOICES[field_name].get(value, value))
    return str(value)


def word_diff(before: str, after: str) -> list[Segment]:
    """The word-level difference of two texts (difflib's SequenceMatcher on words)."""
    old, new = (before or "").split(), (after or "").split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", " ".join(old[old_start:old_end])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", " ".join(old[old_start:old_end])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", " ".join(new[new_start:new_end])))
    return segments


def _field_changes(
    section: str, label: str, before: dict, after: dict, fields: Sequence[str]
) -> list[Change]:
    changes = []
    for name in fields:
        old, new = before.get(name), after.get(name)
        if old == new or (not old and not new and old is not False and new is not False):
            continue
        change = Change(CHANGED, section, label, name, old, new)
        if name in TEXT_FIELDS and isinstance(old or "", str) and isinstance(new or "", str):
            change.segments = word_diff(old or "", new or "")
        changes.append(change)
    return changes


def _item_changes(
    section: str, old_items: Sequence[dict], new_items: Sequence[dict], fields: Sequence[str], label_of
) -> list[Change]:
    """Items added (in the newer order), changed field by field, and removed, matched by "id"."""
    old_by_id = {item["id"]: item for item in old_items}
    new_ids = {item["id"] for item in new_items}
    changes: list[Change] = []
    for item in new_items:
        previous = old_by_id.get(item["id"])
        if previous is None:
            changes.append(Change(ADDED, section, label_of(item)))
        else:
            changes += _field_changes(section, label_of(item), previous, item, fields)
    changes += [Change(REMOVED, section, label_of(item)) for item in old_items if item["id"] not in new_ids]
    return changes


def _set_changes(
    section: str, old_values: Sequence[str], new_values: Sequence[str], labels=None
) -> list[Change]:
    labels = labels or {}
    old, new = list(old_values or []), list(new_values or [])
    added = [Change(ADDED, section, str(labels.get(value, value))) for value in new if value not in old]
    removed = [Change(REMOVED, section, str(labels.get(value, value))) for value in old if value not in new]
    return added + removed


def _nested(items: Sequence[dict], key: str) -> list[dict]:
    """The children of each item (an outcome's indicators, an objective's steps), with their parent."""
    return [
        {**child, "_parent": parent.get("title") or parent.get("text", "")}
        for parent in items
        for child in parent.get(key, [])
    ]


def _short(text: str, length: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _link_label(link: dict) -> str:
    kind = CHOICES["kind"].get(link.get("kind"), link.get("kind"))
    return f"{link.get('source')} — {str(kind).lower()} → {link.get('target')}"


ACTOR_FIELDS = ["name", "kind", "organization", "power", "stance", "is_target", "notes"]
OUTCOME_FIELDS = ["title", "description", "is_goal", "is_below_ceiling"]
INDICATOR_FIELDS = ["what", "population", "target", "threshold", "by_when", "data_source"]
INTERVENTION_FIELDS = ["title", "description", "on", "responsible_organization"]
STEP_FIELDS = [
    "what",
    "who",
    "start_date",
    "due_date",
    "resources_available",
    "resources_needed",
    "barriers",
    "communication",
    "status",
    "outcome",
    "intervention",
]


def diff(a_data: dict[str, Any], b_data: dict[str, Any], kind: str) -> list[Change]:
    """What changed from snapshot data `a_data` (older) to `b_data` (newer) of artifact `kind`:
    items added and removed, and each changed field of the items in both (text fields word by word).
    Items are matched by their stable key, so a renamed actor is a change of name, not a new actor."""
    a, b = a_data or {}, b_data or {}
    changes: list[Change] = []
    if kind == ArtifactKind.POWER_MAP:
        changes += _field_changes("", "", a, b, ["issue"])
        changes += _item_changes(
            "actor", a.get("actors", []), b.get("actors", []), ACTOR_FIELDS, lambda i: i["name"]
        )
        changes += _item_changes("link", a.get("links", []), b.get("links", []), ["strength"], _link_label)
    elif kind == ArtifactKind.THEORY_OF_CHANGE:
        changes += _field_changes("", "", a, b, ["goal", "narrative"])
        old_outcomes, new_outcomes = a.get("outcomes", []), b.get("outcomes", [])
        changes += _item_changes("outcome", old_outcomes, new_outcomes, OUTCOME_FIELDS, lambda i: i["title"])
        changes += _item_changes(
            "indicator",
            _nested(old_outcomes, "indicators"),
            _nested(new_outcomes, "indicators"),
            INDICATOR_FIELDS,
            lambda i: f"{i['what']} ({i['_parent']})",
        )
        changes += _item_changes(
            "outcome_link",
            a.get("links", []),
            b.get("links", []),
            ["rationale"],
            lambda i: f"{i['precondition']} → {i['outcome']}",
        )
        changes += _item_changes(
            "intervention", a.get("interventions", []), b.get("interventions", []), INTERVENTION_FIELDS,
            lambda i: i["title"],
        )  # fmt: skip
        changes += _item_changes(
            "assumption", a.get("assumptions", []), b.get("assumptions", []), ["text", "on"],
            lambda i: _short(i["text"]),
        )  # fmt: skip
    elif kind == ArtifactKind.ACTION_PLAN:
        old_objectives, new_objectives = a.get("objectives", []), b.get("objectives", [])
        changes += _item_changes(
            "objective", old_objectives, new_objectives, ["text", "outcome"], lambda i: _short(i["text"])
        )
        changes += _item_changes(
            "step", _nested(old_objectives, "steps"), _nested(new_objectives, "steps"), STEP_FIELDS,
            lambda i: _short(i["what"]),
        )  # fmt: skip
    elif kind == ArtifactKind.DEFINITION:
        changes += _field_changes("", "", a, b, ["text"])
        changes += _set_changes("condition", a.get("conditions", []), b.get("conditions", []))
        changes += _set_changes(
            "dimension", a.get("dimensions", []), b.get("dimensions", []), dict(EPRESDimension.choices)
        )
    else:
        raise ValueError(f"Unknown artifact kind: {kind}")
    return changes


def summary(changes: Sequence[Change]) -> dict[str, int]:
    """How many items were added, removed and changed (a count of changed fields)."""
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
    for change in changes:
        counts[change.action] += 1
    return counts

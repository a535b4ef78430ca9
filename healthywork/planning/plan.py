"""A team's action plan: objectives and their steps (writes with optimistic concurrency, one audit
event each), the table's filters and due-date labels, the completeness check, the timeline's
geometry, and the exports (CSV, XLSX, iCalendar, JSON).

Every write takes the plan's `version` as the form read it: `check_version` refuses a write at an
older version (EditConflict, with the stored values for the "both versions" message) and
`plan.bump` raises it after the write. The check and the timeline are pure functions of
`ObjectiveOutline` lists, so the page, the API and the command line share them.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from healthywork.collaborative.models import Cohort, Team
from healthywork.core import audit, icalendar, tabular
from healthywork.planning.concurrency import check_version
from healthywork.planning.models import ActionPlan, ActionStep, Objective, StepStatus

UPCOMING_DAYS = 14
OBJECTIVE_FIELDS = ("text", "outcome")
STEP_FIELDS = (
    "what",
    "who_person",
    "who_organization",
    "start_date",
    "due_date",
    "resources_available",
    "resources_needed",
    "barriers",
    "communication",
    "status",
    "outcome",
    "intervention",
)
EXPORT_FORMATS = ("csv", "xlsx", "ics", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}


# --- Loading ----------------------------------------------------------------------------------


def plan_of(team: Team) -> ActionPlan | None:
    return ActionPlan.objects.filter(team=team).first()


@transaction.atomic
def ensure_plan(team: Team, *, by: Any) -> ActionPlan:
    """The team's action plan, created (with its audit event) the first time it is needed."""
    plan, created = ActionPlan.objects.get_or_create(team=team)
    if created:
        audit.record(by, "create", plan)
    return plan


def objectives_with_steps(plan: ActionPlan) -> list[Objective]:
    """The plan's objectives in order, each with its steps (and what they name) loaded."""
    steps = ActionStep.objects.select_related("who_person", "who_organization", "outcome", "intervention")
    return list(plan.objectives.select_related("outcome").prefetch_related(Prefetch("steps", queryset=steps)))


# --- Writes -----------------------------------------------------------------------------------


def _values(obj: Any, names: Sequence[str]) -> dict[str, str]:
    """{field name: readable value} of a stored row, for the conflict message's "their" side."""
    shown: dict[str, str] = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if model_field.choices:
            value = getattr(obj, f"get_{name}_display")()
        shown[name] = "" if value is None else str(value)
    return shown


def plan_summary(plan: ActionPlan) -> dict[str, str]:
    """The plan as it is stored now, as one readable entry (the other side of a conflict)."""
    lines = []
    for number, objective in enumerate(objectives_with_steps(plan), start=1):
        lines.append(f"{number}. {objective.text}")
        lines.extend(f"   – {step.what}" for step in objective.steps.all())
    return {_("The plan now"): "\n".join(lines) or _("No objectives yet.")}


def _apply(obj: Any, data: dict[str, Any], names: Sequence[str]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, data[name])
    start, due = getattr(obj, "start_date", None), getattr(obj, "due_date", None)
    if start and due and due < start:
        raise ValidationError({"due_date": _("The by-when date is before the start.")})
    obj.full_clean(validate_constraints=False, exclude=["objective", "plan"])
    obj.save()


def _next_position(queryset) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def create_objective(plan: ActionPlan, data: dict[str, Any], *, version: Any, by: Any) -> Objective:
    """Add an objective (text, outcome) at the end of the plan."""
    check_version(plan, version, plan_summary(plan))
    objective = Objective(plan=plan, position=_next_position(plan.objectives.all()))
    _apply(objective, data, OBJECTIVE_FIELDS)
    audit.record(by, "create", objective, audit.diff({}, audit.snapshot(objective)))
    plan.bump(by)
    return objective


@transaction.atomic
def update_objective(objective: Objective, data: dict[str, Any], *, version: Any, by: Any) -> Objective:
    stored = Objective.objects.get(pk=objective.pk)
    check_version(objective.plan, version, _values(stored, OBJECTIVE_FIELDS))
    before = audit.snapshot(stored)
    _apply(objective, data, OBJECTIVE_FIELDS)
    changes = audit.diff(before, audit.snapshot(objective))
    if changes:
        audit.record(by, "change", objective, changes)
        objective.plan.bump(by)
    return objective


@transaction.atomic
def delete_objective(objective: Objective, *, version: Any, by: Any) -> None:
    """Delete an objective with its steps."""
    check_version(objective.plan, version, plan_summary(objective.plan))
    snapshot = audit.snapshot(objective)
    snapshot["steps"] = [step.what for step in objective.steps.all()]
    audit.record(by, "delete", objective, audit.diff(snapshot, {}))
    plan = objective.plan
    objective.delete()
    plan.bump(by)


@transaction.atomic
def create_step(objective: Objective, data: dict[str, Any], *, version: Any, by: Any) -> ActionStep:
    """Add a step at the end of `objective`; raises ValidationError for a due date before the start."""
    check_version(objective.plan, version, plan_summary(objective.plan))
    step = ActionStep(objective=objective, position=_next_position(objective.steps.all()))
    _apply(step, data, STEP_FIELDS)
    audit.record(by, "create", step, audit.diff({}, audit.snapshot(step)))
    objective.plan.bump(by)
    return step


@transaction.atomic
def update_step(step: ActionStep, data: dict[str, Any], *, version: Any, by: Any) -> ActionStep:
    stored = ActionStep.objects.get(pk=step.pk)
    plan = step.objective.plan
    check_version(plan, version, _values(stored, STEP_FIELDS))
    before = audit.snapshot(stored)
    _apply(step, data, STEP_FIELDS)
    changes = audit.diff(before, audit.snapshot(step))
    if changes:
        audit.record(by, "change", step, changes)
        plan.bump(by)
    return step


@transaction.atomic
def delete_step(step: ActionStep, *, version: Any, by: Any) -> None:
    plan = step.objective.plan
    check_version(plan, version, plan_summary(plan))
    audit.record(by, "delete", step, audit.diff(audit.snapshot(step), {}))
    step.delete()
    plan.bump(by)


def _move(item: Objective | ActionStep, siblings: list, direction: str) -> bool:
    """Swap `item` with its neighbour above or below; renumbers the positions 0..n first."""
    index = next(number for number, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            type(sibling).objects.filter(pk=sibling.pk).update(position=position)
            sibling.position = position
    return True


@transaction.atomic
def move_objective(objective: Objective, direction: str, *, version: Any, by: Any) -> bool:
    """Move an objective one place up or down; False when it is already first or last."""
    plan = objective.plan
    check_version(plan, version, plan_summary(plan))
    if not _move(objective, list(plan.objectives.all()), direction):
        return False
    audit.record(by, "change", objective, note=_("moved %(direction)s") % {"direction": direction})
    plan.bump(by)
    return True


@transaction.atomic
def move_step(step: ActionStep, direction: str, *, version: Any, by: Any) -> bool:
    plan = step.objective.plan
    check_version(plan, version, plan_summary(plan))
    if not _move(step, list(step.objective.steps.all()), direction):
        return False
    audit.record(by, "change", step, note=_("moved %(direction)s") % {"direction": direction})
    plan.bump(by)
    return True


# --- Dates ------------------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def is_overdue(step: ActionStep, on: date) -> bool:
    return step.due_date is not None and step.due_date < on and step.status != StepStatus.DONE


def is_upcoming(step: ActionStep, on: date, days: int = UPCOMING_DAYS) -> bool:
    return (
        step.due_date is not None
        and on <= step.due_date <= on + timedelta(days=days)
        and step.status != StepStatus.DONE
    )


def due_label(step: ActionStep, on: date) -> tuple[str, str]:
    """("overdue" | "upcoming" | "", the words shown beside the date): never colour alone."""
    if is_overdue(step, on):
        late = (on - step.due_date).days
        return "overdue", ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", late) % {
            "days": late
        }
    if is_upcoming(step, on):
        left = (step.due_date - on).days
        if left == 0:
            return "upcoming", _("Due today")
        return "upcoming", ngettext("Due in %(days)s day", "Due in %(days)s days", left) % {"days": left}
    return "", ""


def date_warnings(start_date: date | None, due_date: date | None, cohort: Cohort) -> list[str]:
    """Dates outside the cohort's dates: a warning, not an error (plans may run past it)."""
    warnings = []
    for label, value in ((_("The start"), start_date), (_("The by-when date"), due_date)):
        if value is not None and not cohort.start_date <= value <= cohort.end_date:
            warnings.append(
                _("%(what)s (%(date)s) is outside the cohort's dates (%(start)s to %(end)s).")
                % {
                    "what": label,
                    "date": value.isoformat(),
                    "start": cohort.start_date.isoformat(),
                    "end": cohort.end_date.isoformat(),
                }
            )
    return warnings


# --- Filters ----------------------------------------------------------------------------------


def who_key(step: ActionStep) -> list[str]:
    keys = []
    if step.who_person_id:
        keys.append(f"person:{step.who_person.public_id}")
    if step.who_organization_id:
        keys.append(f"organization:{step.who_organization.public_id}")
    return keys


def who_text(step: ActionStep) -> str:
    return " / ".join(str(part) for part in (step.who_person, step.who_organization) if part)


def who_choices(objectives: Iterable[Objective]) -> list[tuple[str, str]]:
    """The people and organizations the plan's steps name, for the "who" filter."""
    seen: dict[str, str] = {}
    for objective in objectives:
        for step in objective.steps.all():
            if step.who_person_id:
                seen[f"person:{step.who_person.public_id}"] = str(step.who_person)
            if step.who_organization_id:
                seen[f"organization:{step.who_organization.public_id}"] = str(step.who_organization)
    return sorted(seen.items(), key=lambda item: item[1].casefold())


def keeps(step: ActionStep, params: dict[str, Any], on: date) -> bool:
    """Whether a step passes the table's filters: status, who, overdue, upcoming."""
    if params.get("status") and step.status != params["status"]:
        return False
    if params.get("who") and params["who"] not in who_key(step):
        return False
    if params.get("overdue") and params.get("upcoming"):
        return is_overdue(step, on) or is_upcoming(step, on)
    if params.get("overdue") and not is_overdue(step, on):
        return False
    return not (params.get("upcoming") and not is_upcoming(step, on))


# --- Completeness check -----------------------------------------------------------------------


@dataclass
class StepOutline:
    public_id: str
    what: str
    has_who: bool
    start_date: date | None
    due_date: date | None
    status: str = StepStatus.NOT_STARTED
    status_label: str = ""
    who: str = ""


@dataclass
class ObjectiveOutline:
    public_id: str
    text: str
    has_outcome: bool
    steps: list[StepOutline] = field(default_factory=list)


@dataclass
class Finding:
    level: str  # "problem" (the plan is incomplete) or "warning"
    message: str
    about: str = ""  # public id of the objective or step
    about_kind: str = ""  # "objective" or "step"

    @property
    def anchor(self) -> str:
        return f"{self.about_kind}-{self.about}" if self.about else ""


def outline(objectives: Iterable[Objective]) -> list[ObjectiveOutline]:
    return [
        ObjectiveOutline(
            public_id=str(objective.public_id),
            text=objective.text,
            has_outcome=objective.outcome_id is not None,
            steps=[
                StepOutline(
                    public_id=str(step.public_id),
                    what=step.what,
                    has_who=step.has_who,
                    start_date=step.start_date,
                    due_date=step.due_date,
                    status=step.status,
                    status_label=str(step.get_status_display()),
                    who=who_text(step),
                )
                for step in objective.steps.all()
            ],
        )
        for objective in objectives
    ]


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def check_completeness(
    objectives: Sequence[ObjectiveOutline], cohort_start: date | None = None, cohort_end: date | None = None
) -> list[Finding]:
    """What an action plan still lacks (after the Community Tool Box's action-plan checklist):
    every objective has steps and serves a theory-of-change outcome; every step has a who and a
    when (its by-when date). Dates outside the cohort's are warnings, not problems."""
    findings: list[Finding] = []
    if not objectives:
        findings.append(Finding("problem", _("The plan has no objectives yet.")))
    for objective in objectives:
        name = _short(objective.text)
        if not objective.steps:
            findings.append(
                Finding(
                    "problem",
                    _("Objective “%(name)s” has no steps.") % {"name": name},
                    objective.public_id,
                    "objective",
                )
            )
        if not objective.has_outcome:
            findings.append(
                Finding(
                    "problem",
                    _("Objective “%(name)s” is not linked to a theory-of-change outcome.") % {"name": name},
                    objective.public_id,
                    "objective",
                )
            )
        for step in objective.steps:
            what = _short(step.what)
            if not step.has_who:
                findings.append(
                    Finding(
                        "problem",
                        _("Step “%(name)s” has no one responsible.") % {"name": what},
                        step.public_id,
                        "step",
                    )
                )
            if step.due_date is None:
                findings.append(
                    Finding(
                        "problem",
                        _("Step “%(name)s” has no by-when date.") % {"name": what},
                        step.public_id,
                        "step",
                    )
                )
            if cohort_start and cohort_end:
                for value in (step.start_date, step.due_date):
                    if value is not None and not cohort_start <= value <= cohort_end:
                        findings.append(
                            Finding(
                                "warning",
                                _("Step “%(name)s” has a date (%(date)s) outside the cohort's dates.")
                                % {"name": what, "date": value.isoformat()},
                                step.public_id,
                                "step",
                            )
                        )
                        break
    return findings


# --- Timeline ---------------------------------------------------------------------------------

LABEL_WIDTH = 280
CHART_WIDTH = 640
ROW_HEIGHT = 30
HEADER_HEIGHT = 34


@dataclass
class TimelineRow:
    kind: str  # "objective" or "step"
    label: str
    full_label: str
    y: int
    status: str = ""
    status_label: str = ""
    x_start: float | None = None
    x_end: float | None = None
    is_milestone: bool = False
    is_undated: bool = False
    note: str = ""  # overdue / due soon, as words

    @property
    def bar_width(self) -> float:
        return max((self.x_end or 0) - (self.x_start or 0), 2)

    @property
    def text_x(self) -> float:
        return (self.x_end if self.x_end is not None else LABEL_WIDTH) + 8

    @property
    def diamond(self) -> str:
        x, y = self.x_end or 0, self.y + ROW_HEIGHT / 2
        return f"{x:.1f},{y - 8:.1f} {x + 8:.1f},{y:.1f} {x:.1f},{y + 8:.1f} {x - 8:.1f},{y:.1f}"


@dataclass
class Timeline:
    rows: list[TimelineRow]
    months: list[dict[str, Any]]
    width: int
    height: int
    today_x: float | None
    start: date | None
    end: date | None

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def last_month(self) -> date | None:
        return self.end - timedelta(days=1) if self.end else None


def _month_start(value: date) -> date:
    return value.replace(day=1)


def _next_month(value: date) -> date:
    return (value.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_label(month: date, width: float) -> str:
    """As much of the month's name as its column has room for (localised)."""
    from django.utils.dates import MONTHS, MONTHS_3

    if width >= 80:
        return f"{MONTHS[month.month]} {month.year}"
    if width >= 55:
        return f"{MONTHS_3[month.month].capitalize()} {month.year}"
    if width >= 26:
        return str(MONTHS_3[month.month].capitalize())
    return ""


def timeline(
    objectives: Sequence[ObjectiveOutline], on: date, labels: dict[str, str] | None = None
) -> Timeline:
    """The Gantt chart's geometry: whole months from the earliest to the latest date of the plan
    (and today), one row per objective followed by one per step; a bar from start to by-when (the
    by-when day included), a diamond (milestone) when a step has no start."""
    labels = labels or {}
    dates = [
        d
        for objective in objectives
        for step in objective.steps
        for d in (step.start_date, step.due_date)
        if d
    ]
    rows: list[TimelineRow] = []
    if not dates:
        start = end = None
    else:
        start = _month_start(min([*dates, on]))
        end = _next_month(max([*dates, on]))
    total_days = (end - start).days if start and end else 1

    def x_of(value: date) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (value - start).days / total_days

    y = HEADER_HEIGHT
    for objective in objectives:
        rows.append(TimelineRow("objective", _short(objective.text, 42), objective.text, y))
        y += ROW_HEIGHT
        for step in objective.steps:
            row = TimelineRow(
                "step",
                _short(step.what, 38),
                step.what,
                y,
                status=step.status,
                status_label=step.status_label,
            )
            row.note = labels.get(step.public_id, "")
            if step.due_date and start:
                row.x_end = (
                    x_of(step.due_date + timedelta(days=1)) if step.start_date else x_of(step.due_date)
                )
                if step.start_date:
                    row.x_start = x_of(step.start_date)
                else:
                    row.is_milestone = True
            elif step.start_date and start:
                row.x_start = x_of(step.start_date)
                row.x_end = row.x_start + 2
                row.is_undated = True
            else:
                row.is_undated = True
            rows.append(row)
            y += ROW_HEIGHT
    months = []
    if start and end:
        month = start
        while month < end:
            following = _next_month(month)
            width = x_of(following) - x_of(month)
            label = month_label(month, width)
            months.append({"x": x_of(month), "width": width, "label": label, "full": month_label(month, 999)})
            month = following
    today_x = x_of(on) if start and start <= on <= end else None
    return Timeline(rows, months, LABEL_WIDTH + CHART_WIDTH + 160, y + 10, today_x, start, end)


# --- Exports ----------------------------------------------------------------------------------

COLUMNS = (
    "objective_number",
    "objective",
    "objective_outcome",
    "step_number",
    "what",
    "who_person",
    "who_organization",
    "start",
    "by_when",
    "status",
    "resources_available",
    "resources_needed",
    "barriers",
    "communication",
    "serves_outcome",
    "serves_intervention",
)


def export_rows(objectives: Sequence[Objective]) -> list[list[Any]]:
    """One row per step (an objective without steps gets one row of its own)."""
    rows = []
    for number, objective in enumerate(objectives, start=1):
        head = [number, objective.text, str(objective.outcome or "")]
        steps = list(objective.steps.all())
        if not steps:
            rows.append([*head, "", "", "", "", "", "", "", "", "", "", "", "", ""])
        for step_number, step in enumerate(steps, start=1):
            rows.append(
                [
                    *head,
                    step_number,
                    step.what,
                    str(step.who_person or ""),
                    str(step.who_organization or ""),
                    step.start_date.isoformat() if step.start_date else "",
                    step.due_date.isoformat() if step.due_date else "",
                    str(step.get_status_display()),
                    step.resources_available,
                    step.resources_needed,
                    step.barriers,
                    step.communication,
                    str(step.outcome or ""),
                    str(step.intervention or ""),
                ]
            )
    return rows


def plan_data(plan: ActionPlan, objectives: Sequence[Objective] | None = None) -> dict[str, Any]:
    """The plan as plain JSON data: objectives in order, each with its steps (for the JSON export,
    and for anyone who needs a copy of the plan, such as a snapshot)."""
    objectives = objectives_with_steps(plan) if objectives is None else objectives

    def named(obj: Any) -> dict[str, str] | None:
        return {"public_id": str(obj.public_id), "name": str(obj)} if obj is not None else None

    return {
        "team": {"public_id": str(plan.team.public_id), "name": plan.team.name},
        "cohort": plan.team.cohort.name,
        "version": plan.version,
        "objectives": [
            {
                "public_id": str(objective.public_id),
                "text": objective.text,
                "outcome": named(objective.outcome),
                "steps": [
                    {
                        "public_id": str(step.public_id),
                        "what": step.what,
                        "who_person": named(step.who_person),
                        "who_organization": named(step.who_organization),
                        "start_date": step.start_date.isoformat() if step.start_date else None,
                        "due_date": step.due_date.isoformat() if step.due_date else None,
                        "status": step.status,
                        "resources_available": step.resources_available,
                        "resources_needed": step.resources_needed,
                        "barriers": step.barriers,
                        "communication": step.communication,
                        "outcome": named(step.outcome),
                        "intervention": named(step.intervention),
                    }
                    for step in objective.steps.all()
                ],
            }
            for objective in objectives
        ],
    }


# The RFC 5545 writer is shared (core.icalendar); these names stay for callers and tests.
ical_escape = icalendar.escape
ical_fold = icalendar.fold


def export_ical(plan: ActionPlan, objectives: Sequence[Objective] | None = None) -> bytes:
    """One all-day VEVENT per step with a by-when date, on that date; its UID is the step's public
    id, so that importing the file again updates the events instead of duplicating them."""
    objectives = objectives_with_steps(plan) if objectives is None else objectives
    events = []
    for objective in objectives:
        for step in objective.steps.all():
            if step.due_date is None:
                continue
            details = [
                _("Objective: %(text)s") % {"text": objective.text},
                _("Who: %(who)s") % {"who": who_text(step) or "—"},
                _("Status: %(status)s") % {"status": step.get_status_display()},
            ]
            if step.start_date:
                details.append(_("Start: %(date)s") % {"date": step.start_date.isoformat()})
            for label, value in (
                (_("Resources needed"), step.resources_needed),
                (_("Potential barriers or resistance"), step.barriers),
                (_("Communication"), step.communication),
            ):
                if value:
                    details.append(f"{label}: {value}")
            events.append(
                icalendar.Event(
                    uid=f"{step.public_id}@healthywork",
                    summary=_("Due: %(what)s") % {"what": step.what},
                    start=step.due_date,
                    description="\n".join(details),
                    categories=str(step.get_status_display()),
                    is_transparent=True,
                )
            )
    return icalendar.calendar_bytes(
        events, name=str(plan), product="-//healthywork//action plan//EN", stamp=plan.updated_at
    )


def export_plan(plan: ActionPlan, fmt: str) -> tuple[bytes, str]:
    """(content, content type) of the plan as CSV, XLSX, iCalendar or JSON."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(
            _("Unknown format “%(value)s”. Valid formats: %(valid)s.")
            % {"value": fmt, "valid": ", ".join(EXPORT_FORMATS)}
        )
    objectives = objectives_with_steps(plan)
    if fmt == "ics":
        return export_ical(plan, objectives), CONTENT_TYPES["ics"]
    if fmt == "json":
        content = json.dumps(plan_data(plan, objectives), ensure_ascii=False, indent=2)
        return content.encode("utf-8"), CONTENT_TYPES["json"]
    content, content_type = tabular.export_bytes(fmt, COLUMNS, export_rows(objectives))
    return content, content_type


def export_filename(plan: ActionPlan, fmt: str) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"action-plan-{slugify(plan.team.name) or 'team'}-{stamp}.{fmt}"

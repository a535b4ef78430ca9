"""Plain factory functions for the planning tools."""

from decimal import Decimal

from healthywork.collaborative.models import Team
from healthywork.planning.models import (
    ActionPlan,
    ActionStep,
    Actor,
    ActorLink,
    Indicator,
    Objective,
    Outcome,
    OutcomeLink,
    PowerMap,
    TheoryOfChange,
)


def power_map(team: Team, issue: str = "Pass a fair workweek ordinance") -> PowerMap:
    return PowerMap.objects.create(team=team, issue=issue)


def actor(map_obj: PowerMap, name: str, power: float = 5, stance: float = 0, **fields) -> Actor:
    return Actor.objects.create(
        power_map=map_obj, name=name, power=Decimal(str(power)), stance=Decimal(str(stance)), **fields
    )


def actor_link(source: Actor, target: Actor, kind: str = "influences", **fields) -> ActorLink:
    return ActorLink.objects.create(
        power_map=source.power_map, source=source, target=target, kind=kind, **fields
    )


def theory(
    team: Team, goal: str = "Workers in the county have stable schedules and paid sick leave"
) -> TheoryOfChange:
    created = TheoryOfChange.objects.create(team=team)
    Outcome.objects.create(theory=created, title=goal, is_goal=True, is_below_ceiling=False)
    return created


def outcome(theory_obj: TheoryOfChange, title: str, **fields) -> Outcome:
    return Outcome.objects.create(theory=theory_obj, title=title, **fields)


def link(
    precondition: Outcome, leads_to: Outcome, rationale: str = "Because it makes the next step possible."
) -> OutcomeLink:
    return OutcomeLink.objects.create(
        theory=precondition.theory, precondition=precondition, outcome=leads_to, rationale=rationale
    )


def indicator(
    outcome_obj: Outcome, what: str = "Number of employers with predictable schedules", **fields
) -> Indicator:
    return Indicator.objects.create(outcome=outcome_obj, what=what, **fields)


def plan(team: Team) -> ActionPlan:
    return ActionPlan.objects.create(team=team)


def objective(
    plan_obj: ActionPlan, text: str = "By June, 10 employers adopt predictable scheduling", **fields
) -> Objective:
    return Objective.objects.create(plan=plan_obj, text=text, **fields)


def step(objective_obj: Objective, what: str = "Meet the chamber of commerce", **fields) -> ActionStep:
    return ActionStep.objects.create(objective=objective_obj, what=what, **fields)
